"""resume=PATH: results written as measured and reused, a journal of another measurement refused."""

import os
import tempfile
import unittest

import torch
from torch import nn

import bitplan.torch as bt


class ResumeTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
        x = torch.randn(128, 8)
        self.batches = [(x[i : i + 64], (x[i : i + 64, 0] > 0).long()) for i in range(0, 128, 64)]
        self.calls = []
        supervised = bt.supervised(nn.CrossEntropyLoss())

        def loss(model, batch):
            self.calls.append(1)
            return supervised(model, batch)

        self.loss = loss
        self.path = os.path.join(tempfile.mkdtemp(), "deltas.jsonl")

    def test_a_second_run_reuses_every_result_and_a_stopped_one_measures_the_rest(self):
        formats = ["int2", "int4", "int8"]
        first = bt.loss_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path)
        measured = len(self.calls)
        self.calls.clear()
        again = bt.loss_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path)
        self.assertEqual(again, first)
        self.assertEqual(len(self.calls), len(self.batches))  # the base losses only
        # A run stopped after two results: the journal keeps them, the next run measures the other four.
        with open(self.path) as file:
            lines = file.readlines()
        with open(self.path, "w") as file:
            file.writelines(lines[:3])
        self.calls.clear()
        resumed = bt.loss_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path)
        self.assertEqual(resumed, first)
        self.assertEqual(len(self.calls), len(self.batches) * (1 + 4))
        self.assertLess(len(self.calls), measured)
        with self.assertRaisesRegex(ValueError, "journals another measurement"):
            bt.loss_deltas(self.model, self.loss, self.batches, ["int3"], progress=False, resume=self.path)

    def test_noise_sensitivities_resume_per_layer(self):
        first = bt.noise_sensitivities(self.model, self.loss, self.batches, ["int4", "int8"], progress=False, resume=self.path)
        self.calls.clear()
        self.assertEqual(bt.noise_sensitivities(self.model, self.loss, self.batches, ["int4", "int8"], progress=False, resume=self.path), first)
        self.assertEqual(len(self.calls), len(self.batches))

    def test_pair_deltas_resume_single_layers_and_pairs(self):
        formats = ["int2", "int4"]
        first = bt.pair_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path)
        batches = len(self.batches)
        # The base, 2 layers x 2 formats alone, 1 pair x 4 combinations.
        self.assertEqual(len(self.calls), batches * (1 + 4 + 4))
        self.calls.clear()
        self.assertEqual(bt.pair_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path), first)
        self.assertEqual(len(self.calls), batches)
        # Stopped after the single layers: the next run measures the pair only.
        with open(self.path) as file:
            lines = file.readlines()
        self.assertEqual(len(lines), 1 + 4 + 1)
        with open(self.path, "w") as file:
            file.writelines(lines[:5])
        self.calls.clear()
        self.assertEqual(bt.pair_deltas(self.model, self.loss, self.batches, formats, progress=False, resume=self.path), first)
        self.assertEqual(len(self.calls), batches * (1 + 4))
        with self.assertRaisesRegex(ValueError, "journals another measurement"):
            bt.pair_deltas(self.model, self.loss, self.batches, ["int3"], progress=False, resume=self.path)

    def test_hutchinson_traces_resume_replays_samples_and_goes_on_with_more(self):
        # Ten samples a layer at most, then the same run again, then one allowed twenty.
        first = bt.hutchinson_traces(self.model, self.loss, self.batches, rel_stderr=1e-9, max_samples=10, progress=False, resume=self.path)
        self.assertEqual(len(self.calls), 10)
        self.calls.clear()
        self.assertEqual(bt.hutchinson_traces(self.model, self.loss, self.batches, rel_stderr=1e-9, max_samples=10, progress=False, resume=self.path), first)
        self.assertEqual(len(self.calls), 0)
        longer = bt.hutchinson_traces(self.model, self.loss, self.batches, rel_stderr=1e-9, max_samples=20, progress=False, resume=self.path)
        self.assertEqual(len(self.calls), 10)
        # Identical to twenty samples measured in one run: the generator was kept in step.
        self.calls.clear()
        whole = bt.hutchinson_traces(self.model, self.loss, self.batches, rel_stderr=1e-9, max_samples=20, progress=False)
        self.assertEqual(longer, whole)
        with self.assertRaisesRegex(ValueError, "journals another measurement"):
            bt.hutchinson_traces(self.model, self.loss, self.batches, rel_stderr=0.1, max_samples=20, progress=False, resume=self.path)


if __name__ == "__main__":
    unittest.main()
