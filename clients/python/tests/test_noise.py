"""noise_sensitivities against loss_deltas on a model whose loss is exactly quadratic in its weights."""

import unittest

import torch
from torch import nn

import bitplan.torch as bt


class NoiseSensitivitiesTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        # y = W x with isotropic x: at W the loss E||(W' - W) x||^2 is ||W' - W||^2 (times the
        # samples' covariance, close to I), so alpha = ||W||^2 and the theorem holds exactly,
        # whatever the error's shape. (Behind another layer, or with correlated inputs, the
        # shape of a grid's error matters and the prediction is approximate.)
        self.model = nn.Sequential(nn.Linear(32, 16, bias=False))
        x = torch.randn(8192, 32)
        with torch.no_grad():
            y = self.model(x)
        self.batches = [(x[i : i + 2048], y[i : i + 2048]) for i in range(0, 8192, 2048)]
        self.loss = lambda model, batch: float(((model(batch[0]) - batch[1]) ** 2).sum(dim=1).mean())

    def test_predicts_the_measured_loss_change_of_each_format(self):
        formats = ["int3", "int4", "int8"]
        predicted = bt.noise_sensitivities(self.model, self.loss, self.batches, formats, progress=False)
        measured = bt.loss_deltas(self.model, self.loss, self.batches, formats, progress=False)
        self.assertEqual(set(predicted), {"0"})
        for f in formats:
            p, m = predicted["0"][f], measured["0"][f]["delta"]
            self.assertLess(abs(p["delta"] - m) / m, 0.05, f"{f}: predicted {p['delta']:.4g}, measured {m:.4g}")
            self.assertGreater(p["stderr"], 0)
            self.assertAlmostEqual(p["delta"], p["alpha"] * p["relativeError"], places=12)
        norm = float((self.model[0].weight.detach().double() ** 2).sum())
        self.assertLess(abs(predicted["0"]["int4"]["alpha"] - norm) / norm, 0.05)
        # The model is unchanged, and evidence() takes the answer as it takes loss_deltas'.
        self.assertEqual(self.loss(self.model, self.batches[0]), 0.0)
        descriptor = bt.evidence({"name": "m", "layers": [{"name": "0", "params": 512}]}, deltas=predicted)
        self.assertEqual(set(descriptor["layers"][0]["sensitivity"]), {"lossDelta", "lossDeltaStdErr"})

    def test_costs_points_evaluations_per_layer_whatever_the_formats(self):
        calls = []

        def counted(model, batch):
            calls.append(1)
            return self.loss(model, batch)

        model = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 16))
        bt.noise_sensitivities(model, counted, self.batches, ["int2", "int3", "int4", "int5", "int6", "int8"], points=3, progress=False)
        # One pass for the base loss, then 3 antithetic pairs per layer, each over the 4 batches: 6 formats cost no more than 1.
        self.assertEqual(len(calls), 4 * (1 + 2 * 3 * 2))


if __name__ == "__main__":
    unittest.main()
