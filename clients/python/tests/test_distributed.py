"""Measurements under torch.distributed: two processes on the gloo backend (CPU) return what one
process does, each having measured its share."""

import json
import os
import socket
import subprocess
import sys
import unittest

import torch
from torch import nn

import bitplan.torch as bt

FORMATS = ["int2", "int3", "int4", "int8"]

# The same model, batches and measurements in every process; rank and world from the arguments.
WORKER = r"""
import json, sys, torch
from torch import nn
import bitplan.torch as bt
sys.path.insert(0, sys.argv[4])
from test_distributed import measure
rank, world, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.distributed.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
try:
    calls = []
    result = measure(calls)
    print(json.dumps({"result": result, "calls": len(calls)}))
finally:
    torch.distributed.destroy_process_group()
"""


def measure(calls):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 4))
    x = torch.randn(256, 12)
    y = torch.randint(0, 4, (256,))
    batches = [(x[i : i + 64], y[i : i + 64]) for i in range(0, 256, 64)]
    supervised = bt.supervised(nn.CrossEntropyLoss())

    def loss(m, batch):
        calls.append(1)
        return supervised(m, batch)

    return {
        "deltas": bt.loss_deltas(model, loss, batches, FORMATS, progress=False),
        "noise": bt.noise_sensitivities(model, loss, batches, FORMATS, progress=False),
        "pairs": bt.pair_deltas(model, loss, batches, ["int2", "int4"], progress=False),
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DistributedTest(unittest.TestCase):
    def test_two_gloo_processes_return_what_one_does_each_measuring_its_share(self):
        alone_calls = []
        alone = json.loads(json.dumps(measure(alone_calls)))
        port = str(free_port())
        here = os.path.dirname(os.path.abspath(__file__))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(rank), "2", port, here], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for rank in (0, 1)]
        outputs = []
        for worker in workers:
            out, err = worker.communicate(timeout=300)
            self.assertEqual(worker.returncode, 0, err[-3000:])
            outputs.append(json.loads(out.strip().splitlines()[-1]))
        for output in outputs:
            self.assertEqual(list(output["result"]["deltas"]), list(alone["deltas"]))
            self.assert_close(output["result"], alone)
            # Each rank measured about half: the base losses, then its share of the grids.
            self.assertLess(output["calls"], 0.7 * len(alone_calls))
        self.assertEqual(outputs[0]["result"], outputs[1]["result"])

    def assert_close(self, got, want, path="result"):
        if isinstance(want, dict):
            self.assertEqual(set(got), set(want), path)
            for key in want:
                self.assert_close(got[key], want[key], f"{path}.{key}")
        elif isinstance(want, list):
            self.assertEqual(len(got), len(want), path)
            for i, (g, w) in enumerate(zip(got, want)):
                self.assert_close(g, w, f"{path}[{i}]")
        elif isinstance(want, float):
            self.assertAlmostEqual(got, want, delta=1e-9 * max(1.0, abs(want)), msg=path)
        else:
            self.assertEqual(got, want, path)


if __name__ == "__main__":
    unittest.main()
