"""Calibration batches follow the model to its device in the built-in losses."""

import unittest

import torch
from torch import nn

import bitplan.torch as bt


class DeviceTest(unittest.TestCase):
    def test_batches_move_to_the_models_device_in_the_built_in_losses(self):
        class Recorder(nn.Module):
            """A model on the meta device that records where its input was."""

            def __init__(self):
                super().__init__()
                self.weight = nn.Parameter(torch.empty(3, 4, device="meta"))
                self.seen = []

            def forward(self, x):
                self.seen.append(x.device.type)
                return x @ self.weight.t()

        model = Recorder()
        batch = (torch.randn(2, 4), torch.tensor([0, 1]))
        bt.supervised(nn.CrossEntropyLoss())(model, batch)
        kl = bt.kl_to_float(model, [batch])
        kl(model, batch)
        self.assertEqual(model.seen, ["meta", "meta", "meta"])
        # The batch itself stays where it was (kl_to_float finds it by identity).
        self.assertEqual(batch[0].device.type, "cpu")
        self.assertIs(bt.losses.on_device(batch[0], torch.device("cpu")), batch[0])


if __name__ == "__main__":
    unittest.main()
