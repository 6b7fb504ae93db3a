"""bitplan.torch on small models, checked against direct computations and a running service."""

import math
import unittest
import warnings

import torch
from torch import nn

import bitplan
import bitplan.torch as bt


class TiedLM(nn.Module):
    """An embedding whose weight the output head shares, a convolution and a linear layer."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(11, 6)
        self.conv = nn.Conv1d(6, 5, 3, padding=1)
        self.mix = nn.Linear(5, 6)
        self.head = nn.Linear(6, 11, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, tokens):
        x = self.embed(tokens).transpose(1, 2)  # batch, 6, length
        x = torch.relu(self.conv(x)).transpose(1, 2)  # batch, length, 5
        return self.head(self.mix(x))


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(4, 3)
        self.second = nn.Linear(3, 2)

    def forward(self, x):
        return self.second(torch.tanh(self.first(x)))


class DescribeTest(unittest.TestCase):
    def test_layers_params_macs_and_tied_weights(self):
        torch.manual_seed(0)
        model = TiedLM()
        tokens = torch.randint(0, 11, (4, 7))
        descriptor = bt.describe(model, tokens)
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(list(layers), ["embed", "conv", "mix", "head"])
        # Every weight counted once, the shared one included; biases are not planned but listed.
        self.assertEqual(sum(layer["params"] for layer in layers.values()) + descriptor["unplanned"]["params"], sum(p.numel() for p in model.parameters()))
        self.assertEqual(descriptor["unplanned"], {"params": 5 + 6, "tensors": ["conv.bias", "mix.bias"]})
        self.assertEqual(layers["embed"]["params"], 66)
        self.assertEqual(layers["head"]["params"], 0)
        self.assertEqual(descriptor["groups"], [["embed", "head"]])
        # Per sample (of 7 tokens): conv 7 x 5 outputs x 6 x 3 terms, mix 7 x 6 x 5, head 7 x 11 x 6.
        self.assertEqual(layers["conv"]["macs"], 7 * 5 * 6 * 3)
        self.assertEqual(layers["mix"]["macs"], 7 * 6 * 5)
        self.assertEqual(layers["head"]["macs"], 7 * 11 * 6)
        self.assertEqual(layers["embed"]["macs"], 0)
        self.assertEqual(layers["mix"]["activationElements"], 7 * 5 + 7 * 6)
        self.assertIsInstance(layers["mix"]["macs"], int)
        self.assertEqual(layers["conv"]["op"], "conv1d")
        self.assertEqual(descriptor["precision"], "fp32")
        # Row lengths for runtime targets' block and group sizes: the weight's flattened input side.
        self.assertEqual({name: layer["inFeatures"] for name, layer in layers.items()}, {"embed": 6, "conv": 6 * 3, "mix": 5, "head": 6})


class WeightErrorsTest(unittest.TestCase):
    def test_per_channel_and_group_wise_errors_equal_a_direct_computation(self):
        torch.manual_seed(1)
        model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(10, 6))
        errors = bt.weight_errors(model, ["int4", "int3-g4", "fp16"])
        conv = model[0].weight.detach().double()
        expected = 0.0
        for row in conv.reshape(4, -1):
            step = row.abs().max() / 7
            expected += float(((torch.clamp(torch.round(row / step), -7, 7) * step - row) ** 2).sum())
        self.assertAlmostEqual(errors["0"]["int4"], expected, delta=1e-6 * expected)
        linear = model[2].weight.detach().double()
        expected = 0.0
        for row in linear:
            for start in range(0, 10, 4):  # groups of 4: [0:4], [4:8], [8:10]
                group = row[start : start + 4]
                step = group.abs().max() / 3
                expected += float(((torch.clamp(torch.round(group / step), -3, 3) * step - group) ** 2).sum())
        self.assertAlmostEqual(errors["2"]["int3-g4"], expected, delta=1e-6 * expected)
        self.assertLess(errors["2"]["fp16"], 1e-6)
        with self.assertRaisesRegex(ValueError, "no default quantizer for 'nvfp4'"):
            bt.weight_errors(model, ["nvfp4"])
        custom = bt.weight_errors(model, ["anything"], quantizer=lambda w, f: torch.zeros_like(w))
        self.assertAlmostEqual(custom["2"]["anything"], float((linear**2).sum()), places=4)


class QuantizeWeightsTest(unittest.TestCase):
    def test_applies_exactly_the_planned_formats(self):
        torch.manual_seed(2)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 2))
        before = [p.detach().clone() for p in model.parameters()]
        plan = {"layers": [{"name": "0", "candidate": "int3"}, {"name": "2", "candidate": "int5-g8"}]}
        quantized = bt.quantize_weights(model, plan)
        for p, q in zip(before, model.parameters()):
            self.assertTrue(torch.equal(p, q), "the original model is left alone")
        first = quantized[0].weight.detach()
        self.assertTrue(torch.equal(first, bt.quantize_tensor(model[0].weight.detach(), "int3")))
        for row in first:
            self.assertLessEqual(len(torch.unique(row)), 7)  # int3: levels -3..3
        second = quantized[2].weight.detach()
        for row in second:
            for group in row.split(8):
                self.assertLessEqual(len(torch.unique(group)), 31)
        self.assertTrue(torch.equal(second, bt.quantize_tensor(model[2].weight.detach(), "int5-g8")))
        self.assertTrue(torch.equal(quantized[4].weight, model[4].weight), "an unplanned layer is unchanged")
        self.assertTrue(torch.equal(quantized[0].bias, model[0].bias), "biases stay in floating point")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bt.quantize_weights(model, {"0": "int4/int8"})
        self.assertIn("activation formats int8 are not simulated", str(caught[0].message))
        with self.assertRaisesRegex(KeyError, "layers the model does not have: nope"):
            bt.quantize_weights(model, {"nope": "int4"})


class HutchinsonTest(unittest.TestCase):
    def test_the_estimate_lies_within_3_standard_errors_of_the_exact_trace(self):
        torch.manual_seed(3)
        model = Tiny()
        x = torch.randn(32, 4)
        y = torch.randint(0, 2, (32,))
        criterion = nn.CrossEntropyLoss()

        def loss_of_first(weight):
            hidden = torch.tanh(nn.functional.linear(x, weight, model.first.bias))
            return criterion(model.second(hidden), y)

        hessian = torch.autograd.functional.hessian(loss_of_first, model.first.weight.detach())
        exact = float(hessian.reshape(12, 12).diagonal().sum()) / 12
        traces = bt.hutchinson_traces(model, bt.supervised(criterion), [(x, y)], rel_stderr=0.02, max_samples=3000, seed=5)
        first = traces["first"]
        self.assertGreater(first["samples"], 10)
        self.assertGreater(first["stderr"], 0)
        self.assertLessEqual(abs(first["trace"] - exact), 3 * first["stderr"], (first, exact))
        # It stops at the relative standard error asked for (or the sample cap).
        self.assertTrue(first["stderr"] <= 0.02 * abs(first["trace"]) or first["samples"] == 3000, first)
        self.assertEqual(set(traces), {"first", "second"})

    def test_loss_deltas_carry_standard_errors_across_batches(self):
        torch.manual_seed(4)
        model = Tiny()
        batches = [(torch.randn(16, 4), torch.randint(0, 2, (16,))) for _ in range(4)]
        deltas = bt.loss_deltas(model, bt.supervised(nn.CrossEntropyLoss()), batches, ["int2", "int8"])
        self.assertEqual(set(deltas), {"first", "second"})
        for layer in deltas.values():
            self.assertIn("stderr", layer["int8"])
            self.assertLess(abs(layer["int8"]["delta"]), abs(layer["int2"]["delta"]) + 1e-9)
        single = bt.loss_deltas(model, bt.supervised(nn.CrossEntropyLoss()), batches[:1], ["int2"])
        self.assertNotIn("stderr", single["first"]["int2"])


class Three(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(5, 6)
        self.b = nn.Linear(6, 6)
        self.c = nn.Linear(6, 3)

    def forward(self, x):
        return self.c(torch.tanh(self.b(torch.tanh(self.a(x)))))


class PairDeltasTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(6)
        self.model = Three()
        self.batches = [(torch.randn(32, 5), torch.randint(0, 3, (32,))) for _ in range(3)]
        self.loss_fn = bt.supervised(nn.CrossEntropyLoss())

    def loss_with(self, formats):
        """Mean loss over the batches with the given layers rounded, computed directly."""
        model = bt.quantize_weights(self.model, formats) if formats else self.model
        with torch.no_grad():
            return [float(self.loss_fn(model, batch)) for batch in self.batches]

    def test_terms_equal_the_joint_loss_minus_the_single_ones_per_batch(self):
        before = {name: p.detach().clone() for name, p in self.model.named_parameters()}
        pairs = bt.pair_deltas(self.model, self.loss_fn, self.batches, ["int2", "int3"])
        self.assertEqual(len(pairs), 3, "all pairs of three layers")
        for name, p in self.model.named_parameters():
            self.assertTrue(torch.equal(p, before[name]), f"{name} restored")
        entry = next(e for e in pairs if set(e["layers"]) == {"a", "c"})
        a, c = entry["layers"]
        base = self.loss_with({})
        for x in ("int2", "int3"):
            for y in ("int2", "int3"):
                joint, first, second = self.loss_with({a: x, c: y}), self.loss_with({a: x}), self.loss_with({c: y})
                terms = [j - f - s + b for j, f, s, b in zip(joint, first, second, base)]
                mean = sum(terms) / 3
                stderr = math.sqrt(sum((t - mean) ** 2 for t in terms) / 2 / 3)
                self.assertAlmostEqual(entry["delta"][f"{x}|{y}"], mean, places=9)
                self.assertAlmostEqual(entry["stdErr"][f"{x}|{y}"], stderr, places=9)

    def test_pairs_are_chosen_by_list_top_and_screen(self):
        singles = bt.loss_deltas(self.model, self.loss_fn, self.batches, ["int2"])
        largest = {layer: max(0.0, d["int2"]["delta"]) for layer, d in singles.items()}
        score = lambda pair: math.sqrt(largest[pair[0]] * largest[pair[1]])
        ranked = sorted([("a", "b"), ("a", "c"), ("b", "c")], key=score, reverse=True)
        top = bt.pair_deltas(self.model, self.loss_fn, self.batches, ["int2"], top=1)
        self.assertEqual([set(e["layers"]) for e in top], [set(ranked[0])])
        screened = bt.pair_deltas(self.model, self.loss_fn, self.batches, ["int2"], screen=1.0)
        self.assertEqual([set(e["layers"]) for e in screened], [set(ranked[0])])
        listed = bt.pair_deltas(self.model, self.loss_fn, self.batches[:1], ["int2"], pairs=[("b", "c")])
        self.assertEqual(listed[0]["layers"], ["b", "c"])
        self.assertNotIn("stdErr", listed[0], "one batch has no spread")
        with self.assertRaises(KeyError):
            bt.pair_deltas(self.model, self.loss_fn, self.batches, ["int2"], pairs=[("a", "nope")])
        with self.assertRaises(ValueError):
            bt.pair_deltas(self.model, self.loss_fn, self.batches, ["int2"], screen=2)

    def test_interactions_plan_on_the_service_with_alternatives(self):
        formats = ["int2", "int3", "int4", "int8"]
        descriptor = bt.evidence(
            bt.describe(self.model, self.batches[0][0]),
            deltas=bt.loss_deltas(self.model, self.loss_fn, self.batches, formats),
            interactions=bt.pair_deltas(self.model, self.loss_fn, self.batches, formats[:2]),
        )
        self.assertEqual(len(descriptor["interactions"]), 3)
        again = bt.evidence(descriptor, interactions=[{"layers": ["b", "a"], "delta": {"int2|int2": 0.5}}])
        self.assertEqual(len(again["interactions"]), 3, "a measured pair replaces the earlier entry")
        with bitplan.Client() as client:
            plan = client.plan(model=descriptor, candidates=formats, budgets=[{"metric": "avgBits", "max": 4}], alternatives=3)
        self.assertEqual(plan["status"], "optimal")
        parts = plan["sensitivityParts"]
        self.assertAlmostEqual(parts["layers"] + parts["interactions"], plan["objective"]["sensitivity"], places=9)
        objectives = [alternative["objective"] for alternative in plan["alternatives"]]
        self.assertEqual(len(objectives), 3)
        self.assertEqual(objectives, sorted(objectives))


class EvidenceTest(unittest.TestCase):
    def test_merged_evidence_plans_on_the_service_within_its_budget(self):
        torch.manual_seed(5)
        model = TiedLM()
        tokens = torch.randint(0, 11, (8, 7))
        batches = [(tokens[:4], tokens[:4]), (tokens[4:], tokens[4:])]
        loss_fn = lambda m, batch: nn.functional.cross_entropy(m(batch[0]).reshape(-1, 11), batch[1].reshape(-1))
        formats = ["int2", "int4", "int8"]
        descriptor = bt.evidence(
            bt.describe(model, tokens),
            traces=bt.hutchinson_traces(model, loss_fn, batches, max_samples=40),
            errors=bt.weight_errors(model, formats),
        )
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(set(layers["conv"]["sensitivity"]), {"hessianTrace", "hessianTraceStdErr", "perturbation"})
        self.assertNotIn("sensitivity", layers["head"], "the tied head carries no evidence of its own")
        with bitplan.Client() as client:
            plan = client.plan(model=descriptor, candidates=formats, budgets=[{"metric": "avgBits", "max": 5}])
        self.assertEqual(plan["status"], "optimal")
        self.assertLessEqual(plan["totals"]["avgBits"], 5 + 1e-9)
        chosen = bitplan.choice(plan)
        self.assertEqual(chosen["head"], chosen["embed"])
        quantized = bt.quantize_weights(model, plan)
        self.assertTrue(torch.equal(quantized.head.weight, quantized.embed.weight))
        self.assertTrue(math.isfinite(float(loss_fn(quantized, batches[0]))))


if __name__ == "__main__":
    unittest.main()
