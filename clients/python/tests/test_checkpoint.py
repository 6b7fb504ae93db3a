"""describe_checkpoint on safetensors and GGUF files written here from their published layouts
(the Node suite also checks that it answers exactly what `npx bitplan describe` does)."""

import json
import os
import struct
import tempfile
import unittest
import warnings

import bitplan
from bitplan.checkpoint.describe import CheckpointNote


def write_safetensors(path, tensors):
    """tensors: {name: (shape, [float values])}, stored as F32."""
    header, data, offset = {}, b"", 0
    for name, (shape, values) in tensors.items():
        raw = struct.pack(f"<{len(values)}f", *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)) + text + data)


class DescribeCheckpointTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bitplan-checkpoint-")

    def test_layers_inputs_aliases_and_weight_stats(self):
        path = os.path.join(self.dir, "model.safetensors")
        write_safetensors(path, {
            "model.layers.0.self_attn.k_proj.weight": ([2, 4], [0.5, -0.25, 1, 0, -2, 0.5, 0.25, 0]),
            "model.layers.0.input_layernorm.weight": ([4], [1, 1, 1, 1]),
        })
        model = bitplan.describe_checkpoint(path, weight_stats=True)
        (layer,) = model["layers"]
        self.assertEqual(layer["name"], "model.layers.0.self_attn.k_proj")
        self.assertEqual((layer["params"], layer["macs"], layer["inFeatures"]), (8, 8, 4))
        self.assertEqual(layer["inputs"], ["model.layers.0.input_layernorm"])
        self.assertEqual(layer["aliases"], {"gguf": "blk.0.attn_k"})
        stats = layer["sensitivity"]["weightStats"]
        self.assertEqual((stats["absMax"], stats["count"], stats["channels"]), (2.0, 8, 2))
        self.assertAlmostEqual(stats["rms"], ((0.25 + 0.0625 + 1 + 4 + 0.25 + 0.0625) / 8) ** 0.5, places=12)
        self.assertEqual(model["unplanned"], {"params": 4, "tensors": ["model.layers.0.input_layernorm.weight"]})
        self.assertEqual(model["precision"], "fp32")

    def test_notes_and_errors(self):
        path = os.path.join(self.dir, "experts.safetensors")
        write_safetensors(path, {"model.layers.0.mlp.experts.0.down_proj.weight": ([2, 2], [0, 0, 0, 0])})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bitplan.describe_checkpoint(path)
        self.assertTrue(any(issubclass(w.category, CheckpointNote) and "routed-expert layers count the MACs of every token" in str(w.message) for w in caught))
        bad = os.path.join(self.dir, "bad.safetensors")
        with open(bad, "wb") as file:
            file.write(b"hello, not a checkpoint")
        with self.assertRaisesRegex(ValueError, "is not a safetensors file"):
            bitplan.describe_checkpoint(bad)
        with self.assertRaisesRegex(ValueError, "holds no .safetensors or .gguf file"):
            bitplan.describe_checkpoint(tempfile.mkdtemp())


if __name__ == "__main__":
    unittest.main()
