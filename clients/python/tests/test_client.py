"""bitplan.Client against a running service (BITPLAN_URL; the suite starts one)."""

import os
import subprocess
import sys
import unittest
from unittest import mock

import bitplan


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = bitplan.Client(timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_default_url_from_the_environment(self):
        with mock.patch.dict(os.environ, {"BITPLAN_URL": "http://example.invalid:1/"}):
            self.assertEqual(bitplan.Client().url, "http://example.invalid:1")
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(bitplan.Client().url, "http://localhost:8080")
        self.assertEqual(bitplan.Client("http://other:9").url, "http://other:9")

    def test_bearer_token_from_the_argument_or_the_environment(self):
        with mock.patch.dict(os.environ, {"BITPLAN_TOKEN": "from-the-environment-0001"}):
            self.assertEqual(bitplan.Client()._session.headers["Authorization"], "Bearer from-the-environment-0001")
            self.assertEqual(bitplan.Client(token="given-0123456789abcd")._session.headers["Authorization"], "Bearer given-0123456789abcd")
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertNotIn("Authorization", bitplan.Client()._session.headers)

    def test_catalog(self):
        self.assertEqual(self.client.health()["status"], "ok")
        self.assertIn("resnet18-hawq-v3", [s["name"] for s in self.client.seeds()])
        self.assertIn("nvidia-t4", [h["id"] for h in self.client.hardware()])
        ids = [f["id"] for f in self.client.formats()]
        self.assertTrue({"int2", "int4", "int8", "int4-g128", "nvfp4"} <= set(ids), ids)

    def test_plan_frontier_and_export(self):
        plan = self.client.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "bops", "fraction": 0.25}])
        self.assertEqual(plan["status"], "optimal")
        chosen = bitplan.choice(plan)
        self.assertEqual(chosen["stage1.unit1.convbn1"], "int8/int8")
        self.assertEqual(chosen["stage4.unit2.convbn2"], "int4/int4")

        frontier = self.client.frontier(seed="resnet18-hawq-v3", axis="sizeBytes", points=12)
        points = frontier["points"]
        self.assertTrue(all(a["cost"] < b["cost"] and a["sensitivity"] > b["sensitivity"] for a, b in zip(points, points[1:])))
        knee = frontier["knee"]
        at_knee = bitplan.apply(frontier, knee)
        model = bitplan.pinned(self.client.seed("resnet18-hawq-v3")["model"], at_knee)
        pinned_plan = self.client.plan(model=model)
        self.assertAlmostEqual(pinned_plan["totals"]["sensitivity"], points[knee]["sensitivity"], delta=1e-9 * max(1.0, points[knee]["sensitivity"]))
        self.assertIn('bit_config_dict["bit_config_resnet18_bitplan"]', self.client.plan(model=model, format="hawq"))
        self.assertTrue(self.client.frontier(seed="resnet18-hawq-v3", axis="sizeBytes", points=5, format="svg").startswith("<svg"))

    def test_problems_raise_one_exception_type(self):
        with self.assertRaises(bitplan.BitplanError) as infeasible:
            self.client.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "sizeBytes", "max": 1}])
        self.assertEqual((infeasible.exception.status, infeasible.exception.type), (422, "/problems/infeasible"))
        self.assertTrue(infeasible.exception.infeasible)
        self.assertIn("budgets", infeasible.exception.problem)
        with self.assertRaises(bitplan.BitplanError) as invalid:
            self.client.plan(seed="resnet18-hawq-v3", candidates=["int9/int9"])
        self.assertEqual((invalid.exception.status, invalid.exception.type), (400, "/problems/invalid-request"))
        self.assertEqual(invalid.exception.errors[0]["path"], "candidates[0]")
        self.assertIn("candidates[0]: unknown candidate", str(invalid.exception))

    def test_command_line(self):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        ok = subprocess.run([sys.executable, "-m", "bitplan", "--seed", "resnet18-hawq-v3", "--budget", "sizeBytes:0.5"], capture_output=True, text=True, env=env)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn('"status": "optimal"', ok.stdout)
        infeasible = subprocess.run([sys.executable, "-m", "bitplan", "--seed", "resnet18-hawq-v3", "--budget", "sizeBytes<=1000"], capture_output=True, text=True, env=env)
        self.assertEqual(infeasible.returncode, 2)
        self.assertIn("422 Infeasible", infeasible.stderr)


if __name__ == "__main__":
    unittest.main()
