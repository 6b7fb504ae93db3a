"""describe plans every weight a quantizer would touch, with MACs counted from what runs."""

import unittest
import warnings

import torch
from torch import nn

import bitplan.torch as bt


class Conv1D(nn.Module):
    """Hugging Face's GPT-2 Conv1D: a linear layer whose weight is stored (in, out)."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.randn(nx, nf) * 0.1)
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).reshape(*x.shape[:-1], self.nf)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.attn(x, x, x, need_weights=False)[0])


class Recurrent(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(4, 5, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        return self.fc(self.rnn(x)[0])


def described(model, inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layer may go uncounted
        return bt.describe(model, inputs)


class CoverageTest(unittest.TestCase):
    def assert_covers(self, model, descriptor):
        planned = sum(layer["params"] for layer in descriptor["layers"])
        self.assertEqual(planned + descriptor.get("unplanned", {"params": 0})["params"], sum(p.numel() for p in model.parameters()))
        # What is not planned is only biases and other 1-D tensors.
        for name in descriptor.get("unplanned", {"tensors": []})["tensors"]:
            self.assertEqual(dict(model.named_parameters())[name].dim(), 1, name)

    def test_multihead_attention_in_proj_and_out_proj(self):
        torch.manual_seed(0)
        model, x = Attention(), torch.randn(2, 5, 8)
        descriptor = described(model, x)
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(list(layers), ["attn.out_proj", "fc", "attn.in_proj_weight"])
        self.assert_covers(model, descriptor)
        # Per sample, 5 tokens: q, k, v projections 3 x 5 x 8 x 8, out_proj 5 x 8 x 8 (computed
        # inside F.multi_head_attention_forward, which no forward hook sees).
        self.assertEqual(layers["attn.in_proj_weight"]["macs"], 3 * 5 * 8 * 8)
        self.assertEqual(layers["attn.out_proj"]["macs"], 5 * 8 * 8)
        self.assertEqual(layers["fc"]["macs"], 5 * 8 * 3)
        self.assertEqual(layers["attn.in_proj_weight"]["inFeatures"], 8)

    def test_separate_qkv_projection_weights(self):
        model = nn.MultiheadAttention(8, 2, kdim=6, vdim=4, batch_first=True)
        q, k, v = torch.randn(2, 5, 8), torch.randn(2, 7, 6), torch.randn(2, 7, 4)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            descriptor = bt.describe(model, (q, k, v))
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(layers["q_proj_weight"]["macs"], 5 * 8 * 8)
        self.assertEqual(layers["k_proj_weight"]["macs"], 7 * 8 * 6)
        self.assertEqual(layers["v_proj_weight"]["macs"], 7 * 8 * 4)
        self.assertEqual(layers["out_proj"]["macs"], 5 * 8 * 8)
        self.assert_covers(model, descriptor)

    def test_lstm_gru_rnn_weights_per_layer_and_direction(self):
        for cell, gates in ((nn.LSTM, 4), (nn.GRU, 3), (nn.RNN, 1)):
            with self.subTest(cell=cell.__name__):
                model, x = Recurrent(cell), torch.randn(3, 6, 4)
                descriptor = described(model, x)
                layers = {layer["name"]: layer for layer in descriptor["layers"]}
                self.assert_covers(model, descriptor)
                self.assertEqual(sorted(n for n in layers if n.startswith("rnn.")), sorted(f"rnn.weight_{kind}_l{k}{suffix}" for kind in ("ih", "hh") for k in (0, 1) for suffix in ("", "_reverse")))
                # 6 steps per sample; layer 0 reads 4 inputs, layer 1 the 10 of both directions.
                self.assertEqual(layers["rnn.weight_ih_l0"]["macs"], 6 * gates * 5 * 4)
                self.assertEqual(layers["rnn.weight_ih_l1_reverse"]["macs"], 6 * gates * 5 * 10)
                self.assertEqual(layers["rnn.weight_hh_l1"]["macs"], 6 * gates * 5 * 5)

    def test_hugging_face_conv1d_counts_and_quantizes_by_output_column(self):
        torch.manual_seed(0)
        model, x = nn.Sequential(Conv1D(6, 4)), torch.randn(2, 3, 4)
        descriptor = described(model, x)
        (layer,) = descriptor["layers"]
        self.assertEqual((layer["name"], layer["macs"], layer["inFeatures"]), ("0", 3 * 4 * 6, 4))
        quantized = bt.quantize_weights(model, {"0": "int2"})
        # int2 per output channel: every column of the (in, out) weight holds values of one scale.
        weight = quantized[0].weight.detach()
        for column in weight.t():
            self.assertLessEqual(len({round(abs(v), 6) for v in column.tolist()} - {0.0}), 1)

    def test_transformer_encoder_layer_counts_despite_its_fast_path(self):
        torch.manual_seed(0)
        model = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
        model.eval()
        descriptor = described(model, torch.randn(2, 5, 8))
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(layers["self_attn.in_proj_weight"]["macs"], 3 * 5 * 8 * 8)
        self.assertEqual(layers["self_attn.out_proj"]["macs"], 5 * 8 * 8)
        self.assertEqual(layers["linear1"]["macs"], 5 * 8 * 16)
        self.assertEqual(layers["linear2"]["macs"], 5 * 16 * 8)
        self.assert_covers(model, descriptor)

    def test_a_bare_parameter_matrix_and_exclude(self):
        class Bare(nn.Module):
            def __init__(self):
                super().__init__()
                self.offset = nn.Parameter(torch.zeros(1, 4))  # added, as a learned positional matrix is
                self.mixing = nn.Parameter(torch.randn(4, 3))
                self.fc = nn.Linear(3, 2)

            def forward(self, x):
                return self.fc((x + self.offset) @ self.mixing)

        model = Bare()
        descriptor = described(model, torch.randn(2, 4))
        layers = {layer["name"]: layer for layer in descriptor["layers"]}
        self.assertEqual(layers["mixing"]["macs"], 4 * 3)
        self.assertEqual(layers["offset"]["macs"], 0)  # read element by element: counted, no MACs
        self.assertEqual([layer["name"] for layer in bt.describe(model, torch.randn(2, 4), exclude=["mixing", "offset"])["layers"]], ["fc"])

    def test_names_a_layer_whose_macs_it_could_not_count(self):
        class Unused(nn.Module):
            def __init__(self):
                super().__init__()
                self.used = nn.Linear(3, 2)
                self.spare = nn.Linear(3, 2)

            def forward(self, x):
                return self.used(x)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            descriptor = bt.describe(Unused(), torch.randn(2, 3))
        self.assertTrue(any("spare (not used in the forward pass)" in str(w.message) for w in caught))
        spare = next(layer for layer in descriptor["layers"] if layer["name"] == "spare")
        self.assertNotIn("macs", spare)

    def test_measurements_handle_every_kind_of_layer(self):
        torch.manual_seed(0)
        model, x = Recurrent(nn.LSTM), torch.randn(3, 6, 4)
        y = torch.randint(0, 3, (3, 6))
        batches = [(x, y)]
        loss = bt.supervised(nn.CrossEntropyLoss())  # (batch, length, classes) logits flattened
        deltas = bt.loss_deltas(model, loss, batches, ["int2", "int8"], progress=False)
        self.assertEqual(set(deltas), {layer["name"] for layer in bt.describe(model, x)["layers"]})
        errors = bt.weight_errors(model, ["int4"])
        self.assertIn("rnn.weight_hh_l1_reverse", errors)
        quantized = bt.quantize_weights(model, {name: "int2" for name in deltas})
        self.assertFalse(torch.equal(quantized.rnn.weight_ih_l0, model.rnn.weight_ih_l0))
        self.assertTrue(torch.equal(quantized.rnn.bias_ih_l0, model.rnn.bias_ih_l0))


class KlToFloatTest(unittest.TestCase):
    def test_zero_for_the_float_model_and_growing_with_fewer_bits(self):
        torch.manual_seed(0)
        model = Attention()
        batches = [(torch.randn(4, 5, 8), None) for _ in range(2)]
        kl = bt.kl_to_float(model, batches)
        self.assertAlmostEqual(float(kl(model, batches[0])), 0.0, places=12)
        names = [layer["name"] for layer in bt.describe(model, batches[0][0])["layers"]]
        losses = [float(kl(bt.quantize_weights(model, {n: f for n in names}), batches[0])) for f in ("int8", "int4", "int2")]
        self.assertGreater(losses[0], 0)
        self.assertLess(losses[0], losses[1])
        self.assertLess(losses[1], losses[2])
        deltas = bt.loss_deltas(model, kl, batches, ["int2", "int8"], progress=False)
        for name in names:
            self.assertGreater(deltas[name]["int2"]["delta"], deltas[name]["int8"]["delta"])


class ReportsTest(unittest.TestCase):
    def test_traces_record_convergence_and_evidence_warns_naming_layers(self):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3))
        batches = [(torch.randn(16, 6), torch.randint(0, 3, (16,))) for _ in range(3)]
        traces = bt.hutchinson_traces(model, bt.supervised(nn.CrossEntropyLoss()), batches, rel_stderr=1e-6, max_samples=12, progress=False)
        self.assertTrue(all(t["converged"] is False and t["samples"] == 12 for t in traces.values()))
        descriptor = bt.describe(model, batches[0][0])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bt.evidence(descriptor, traces=traces, errors=bt.weight_errors(model, ["int4", "int8"]))
        message = next(str(w.message) for w in caught if "hutchinson_traces stopped" in str(w.message))
        self.assertIn("on 2 of 2 layers", message)
        self.assertRegex(message, r"worst first: (0|2) \d")

    def test_progress_on_stderr_unless_turned_off(self):
        import contextlib
        import io

        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 3))
        batches = [(torch.randn(8, 4), torch.randint(0, 3, (8,)))]
        loss = bt.supervised(nn.CrossEntropyLoss())
        from bitplan.torch import progress

        shown, hidden = io.StringIO(), io.StringIO()
        delay, progress.PLAIN_DELAY_SECONDS = progress.PLAIN_DELAY_SECONDS, 0.0
        self.addCleanup(setattr, progress, "PLAIN_DELAY_SECONDS", delay)
        with contextlib.redirect_stderr(shown):
            bt.loss_deltas(model, loss, batches, ["int2", "int4"])
        with contextlib.redirect_stderr(hidden):
            bt.loss_deltas(model, loss, batches, ["int2", "int4"], progress=False)
        self.assertIn("loss_deltas", shown.getvalue())
        self.assertIn("2/2", shown.getvalue())
        self.assertEqual(hidden.getvalue(), "")
        # Not a terminal: whole lines, no carriage returns, the final count once.
        self.assertNotIn("\r", shown.getvalue())
        self.assertEqual(shown.getvalue().count("loss_deltas: 2/2"), 1, shown.getvalue())
        self.assertTrue(all(line.startswith("loss_deltas") for line in shown.getvalue().splitlines()), shown.getvalue())


if __name__ == "__main__":
    unittest.main()
