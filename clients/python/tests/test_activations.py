"""Activation formats simulated: the grids, the measurements that use them, and quantize()."""

import unittest
import warnings

import torch
from torch import nn

import bitplan.torch as bt


class GridsTest(unittest.TestCase):
    def test_integer_grid_is_symmetric_per_tensor_over_the_range(self):
        x = torch.tensor([-2.0, -0.26, 0.0, 0.09, 0.99, 3.0])
        # int4: 7 levels a side over a range of 1.4: step 0.2, clamped at +-1.4.
        self.assertTrue(torch.allclose(bt.fake_quantize(x, "int4", 1.4), torch.tensor([-1.4, -0.2, 0.0, 0.0, 1.0, 1.4])))

    def test_minifloat_grids_hold_their_representable_values_and_round_to_nearest(self):
        e2m1 = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -6.0])
        self.assertTrue(torch.equal(bt.fake_quantize(e2m1, "fp4-e2m1", 6.0), e2m1))
        self.assertTrue(torch.equal(bt.fake_quantize(torch.tensor([0.3, 2.4, 7.0, -0.74]), "fp4-e2m1", 6.0), torch.tensor([0.5, 2.0, 6.0, -0.5])))
        e4m3 = torch.tensor([448.0, 1.125, 2.0**-9, 240.0])
        self.assertTrue(torch.equal(bt.fake_quantize(e4m3, "fp8-e4m3", 448.0), e4m3))
        self.assertEqual(float(bt.fake_quantize(torch.tensor([1.0 + 1 / 32]), "fp8-e4m3", 448.0)), 1.0)
        # e3m4 (a custom minifloat): largest (2 - 1/16) x 2^4 = 31.
        self.assertEqual(float(bt.fake_quantize(torch.tensor([100.0]), "e3m4", 31.0)), 31.0)

    def test_block_scaled_formats_scale_each_block_by_its_own_maximum(self):
        x = torch.cat([torch.full((16,), 0.03), torch.full((16,), 30.0)]).reshape(1, 32)
        self.assertTrue(torch.allclose(bt.fake_quantize(x, "nvfp4", None), x))
        with self.assertRaisesRegex(ValueError, "no activation quantizer for 'int4-g128'"):
            bt.fake_quantize(x, "int4-g128", 1.0)


class MeasuredTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
        x = torch.randn(256, 8)
        self.batches = [(x[i : i + 64], (x[i : i + 64, 0] > 0).long()) for i in range(0, 256, 64)]
        self.loss = bt.supervised(nn.CrossEntropyLoss())

    def test_loss_deltas_round_the_input_for_an_activation_format(self):
        deltas = bt.loss_deltas(self.model, self.loss, self.batches, ["int8", "int8/fp16", "int8/int4", "int8/int2"], progress=False)
        for layer in ("0", "2"):
            self.assertEqual(deltas[layer]["int8/fp16"], deltas[layer]["int8"])
            self.assertGreater(deltas[layer]["int8/int2"]["delta"], deltas[layer]["int8/int4"]["delta"])
            self.assertGreater(deltas[layer]["int8/int2"]["delta"], deltas[layer]["int8"]["delta"])

    def test_quantize_applies_weights_and_inputs_as_planned(self):
        plan = {"0": "int8/int4", "2": "int8"}
        with self.assertRaisesRegex(ValueError, "give loss_fn and batches"):
            bt.quantize(self.model, plan)
        quantized = bt.quantize(self.model, plan, self.loss, self.batches)
        x = self.batches[0][0]
        ranges = bt.calibrate_ranges(self.model, self.loss, self.batches, [s for s in bt.planned_weights(self.model) if s.name == "0"])
        weights_only = bt.quantize_weights(self.model, {"0": "int8", "2": "int8"})
        with torch.no_grad():
            expected = weights_only[2](weights_only[1](weights_only[0](bt.fake_quantize(x, "int4", ranges["0"]))))
            self.assertTrue(torch.allclose(quantized(x), expected))
        # The original model is untouched.
        self.assertEqual(len(self.model[0]._forward_pre_hooks), 0)

    def test_names_layers_whose_input_cannot_be_rounded(self):
        class Attention(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

            def forward(self, x):
                return self.attn(x, x, x)[0].mean(dim=1)[:, :3]

        model = Attention()
        batches = [(torch.randn(4, 5, 8), torch.tensor([0, 1, 2, 0]))]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bt.loss_deltas(model, bt.supervised(nn.CrossEntropyLoss()), batches, ["int8/int8"], progress=False)
        self.assertTrue(any("activation formats are not simulated on" in str(w.message) and "attn.in_proj_weight" in str(w.message) for w in caught), [str(w.message) for w in caught])
        # out_proj is a Linear, but the fused kernel takes its weight without calling it: no hook would fire.
        self.assertTrue(any("activation formats are not simulated on" in str(w.message) and "attn.out_proj" in str(w.message) for w in caught), [str(w.message) for w in caught])


if __name__ == "__main__":
    unittest.main()

