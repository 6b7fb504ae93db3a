"""examples/torch/digits.py in a reduced form (fewer epochs, samples and allocations)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "examples", "torch", "digits.py")


class DigitsExampleTest(unittest.TestCase):
    def test_reduced_run_plans_within_budgets_and_reports_every_method(self):
        with tempfile.TemporaryDirectory() as directory:
            out = os.path.join(directory, "results.json")
            args = ["--seeds", "0", "--epochs", "4", "--random", "3", "--trace-samples", "20", "--budgets", "3.5", "4.5", "--pair-budgets", "3.5", "--pair-formats", "int2", "int3", "--negative", "cap", "keep", "--alternatives", "3", "--json", out]
            run = subprocess.run([sys.executable, EXAMPLE, *args], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            with open(out) as f:
                results = json.load(f)
        rows = results["results"][0]["rows"]
        methods = {(row["method"], row["budget"]) for row in rows}
        for budget in (3.5, 4.5):
            for method in ("plan, Hessian", "plan, Hessian x weightStats", "plan, loss deltas", "plan, noise sensitivities", "random x3"):
                self.assertIn((method, budget), methods)
        for suffix in ("", ", no int2"):
            for method in ("pairwise cap", "pairwise keep", "pairwise cap, best of 3"):
                self.assertIn((method + suffix, 3.5), methods)
        self.assertIn(("plan, loss deltas, no int2", 3.5), methods)
        for row in rows:
            if row["method"].endswith("no int2"):
                self.assertNotIn("int2", set(row["assignment"].values()), row["method"])
            if "predicted" in row:
                self.assertEqual(set(row["predicted"]), {"layers", "interactions"})
            self.assertLessEqual(row["bits"], row["budget"] + 1e-9, row["method"])
            self.assertTrue(0 <= row["accuracy"] <= 1)
        self.assertIn("uniform int4", {row["method"] for row in rows})
        self.assertIn("test accuracy and loss over 1 seed(s)", run.stdout)
        self.assertRegex(run.stdout, r"noise sensitivities +median relative error \d")
        wa = {row["method"]: row for row in results["results"][0]["weightActivation"]}
        self.assertEqual(set(wa), {"uniform W8A8", "uniform W4A8", "W/A plan at W8A8's BOPs", "W/A plan halfway", "W/A plan at W4A8's BOPs"})
        self.assertLessEqual(wa["W/A plan at W4A8's BOPs"]["bops"], wa["uniform W4A8"]["bops"] * (1 + 1e-9))
        self.assertIn("weight/activation plans", run.stdout)
        prediction = results["results"][0]["prediction"]
        self.assertEqual(len(prediction["noise sensitivities"]), 2 * 3)


if __name__ == "__main__":
    unittest.main()


TRANSFORMER = os.path.join(os.path.dirname(EXAMPLE), "transformer.py")


class TransformerExampleTest(unittest.TestCase):
    def test_reduced_run_plans_within_budgets_and_reports_every_method(self):
        with tempfile.TemporaryDirectory() as directory:
            out = os.path.join(directory, "results.json")
            args = ["--seeds", "0", "--steps", "30", "--random", "2", "--trace-samples", "10", "--budgets", "3.5", "--json", out]
            run = subprocess.run([sys.executable, TRANSFORMER, *args], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            with open(out) as f:
                results = json.load(f)
        rows = results[0]["rows"]
        methods = {(row["method"], row["budget"]) for row in rows}
        for method in ("plan, CE loss deltas", "plan, KL loss deltas", "plan, KL noise sensitivities", "plan, Hessian", "greedy, KL loss deltas", "random x2"):
            self.assertIn((method, 3.5), methods)
        self.assertEqual(len(results[0]["prediction"]["KL noise sensitivities"]), 2)
        self.assertRegex(run.stdout, r"KL noise sensitivities +median relative error \d")
        for row in rows:
            self.assertLessEqual(row["bits"], row["budget"] + 1e-9, row["method"])
        # Every weight is planned: the attention blocks' packed projections and the positional matrix too.
        self.assertEqual(results[0]["layers"], 11)
        self.assertNotIn("no MACs counted", run.stderr)
