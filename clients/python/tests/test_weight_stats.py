"""weight_stats: what weightStats needs, read off the model's weights."""

import unittest

import torch
from torch import nn

import bitplan.torch as bt


class WeightStatsTest(unittest.TestCase):
    def test_abs_max_rms_and_channels_per_layer_and_into_the_descriptor(self):
        model = nn.Sequential(nn.Linear(4, 2, bias=False))
        with torch.no_grad():
            model[0].weight.copy_(torch.tensor([[0.5, -0.25, 1.0, 0.0], [-2.0, 0.5, 0.25, 0.0]]))
        stats = bt.weight_stats(model)
        self.assertEqual(set(stats), {"0"})
        self.assertEqual(stats["0"]["absMax"], 2.0)
        self.assertAlmostEqual(stats["0"]["rms"], ((0.25 + 0.0625 + 1 + 4 + 0.25 + 0.0625) / 8) ** 0.5, places=12)
        self.assertEqual((stats["0"]["count"], stats["0"]["granularity"], stats["0"]["channels"]), (8, "per-channel", 2))
        descriptor = bt.evidence({"name": "m", "layers": [{"name": "0", "params": 8}]}, traces={"0": {"trace": 0.5, "stderr": 0.01}}, stats=stats)
        self.assertEqual(descriptor["layers"][0]["sensitivity"], {"hessianTrace": 0.5, "hessianTraceStdErr": 0.01, "weightStats": stats["0"]})


if __name__ == "__main__":
    unittest.main()
