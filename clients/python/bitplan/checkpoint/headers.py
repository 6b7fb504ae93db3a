"""Tensor tables of checkpoint files, read from their published layouts.

safetensors (https://huggingface.co/docs/safetensors/index): 8 bytes little-endian header length,
then a JSON header {name: {dtype, shape, data_offsets}}. GGUF v2/v3
(https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic, version, tensor and
metadata counts, typed key-value metadata, tensor infos (name, dims with ne[0] first, ggml type,
offset), then the data at the next multiple of general.alignment.
"""

import json
import os
import struct
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

HEADER_BYTES_MAX = 100_000_000


@dataclass
class Tensor:
    name: str
    shape: List[int]  # safetensors: PyTorch order; GGUF: ggml order (ne[0] first)
    dtype: str
    path: str
    start: int  # absolute byte offsets of the data (end == start when unknown: quantized GGUF)
    end: int


@dataclass
class TensorTable:
    layout: str  # "safetensors" or "gguf"
    name: str
    tensors: List[Tensor]
    experts_per_token: Optional[int] = None
    experts: Optional[int] = None


def read_tensor_table(path: str) -> TensorTable:
    if not os.path.exists(path):
        raise ValueError(f"{path} does not exist")
    if os.path.isdir(path):
        return read_tensor_table(_checkpoint_in(path))
    with open(path, "rb") as file:
        magic = file.read(4)
    if path.endswith(".gguf") or magic == b"GGUF":
        return _read_gguf(path)
    tensors = _sharded(path) if path.endswith(".json") else read_safetensors(path)
    directory = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(os.path.dirname(path)) or os.path.splitext(os.path.basename(path))[0]
    per_token, experts = _config_experts(directory)
    return TensorTable("safetensors", name, tensors, per_token, experts)


def _checkpoint_in(directory: str) -> str:
    files = sorted(os.listdir(directory))
    if "model.safetensors.index.json" in files:
        return os.path.join(directory, "model.safetensors.index.json")
    found = [f for f in files if f.endswith(".safetensors") or f.endswith(".gguf")]
    if len(found) == 1:
        return os.path.join(directory, found[0])
    what = "no .safetensors or .gguf file" if not found else f"{len(found)} checkpoint files ({', '.join(found[:3])}...)"
    raise ValueError(f"{directory} holds {what}; name one, or the model.safetensors.index.json of its shards")


def read_safetensors(path: str) -> List[Tensor]:
    size = os.path.getsize(path)
    with open(path, "rb") as file:
        first = file.read(8)
        if len(first) != 8:
            raise ValueError(f"{path} is too short to be a safetensors file")
        (length,) = struct.unpack("<Q", first)
        if length < 2 or length > HEADER_BYTES_MAX or length > size - 8:
            raise ValueError(f"{path} is not a safetensors file (its first 8 bytes give a header of {length} bytes)")
        try:
            header = json.loads(file.read(length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: the safetensors header is not JSON ({error})") from None
    tensors = []
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("dtype"), str) or not isinstance(entry.get("shape"), list):
            raise ValueError(f"{path}: tensor {name[:80]!r} has no dtype or shape in the header")
        begin, end = entry.get("data_offsets", [0, 0])
        tensors.append(Tensor(name, [int(n) for n in entry["shape"]], entry["dtype"], path, 8 + length + begin, 8 + length + end))
    return tensors


def _sharded(index_path: str) -> List[Tensor]:
    with open(index_path, encoding="utf-8") as file:
        index = json.load(file)
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict):
        raise ValueError(f"{index_path} has no weight_map (is it a safetensors index?)")
    tensors: List[Tensor] = []
    for shard in dict.fromkeys(weight_map.values()):
        if "/" in shard or "\\" in shard:
            raise ValueError(f"{index_path} names a shard outside its directory: {shard[:80]}")
        tensors.extend(read_safetensors(os.path.join(os.path.dirname(index_path), shard)))
    return tensors


def _config_experts(directory: str) -> Tuple[Optional[int], Optional[int]]:
    path = os.path.join(directory, "config.json")
    if not os.path.exists(path):
        return None, None
    try:
        with open(path, encoding="utf-8") as file:
            config = json.load(file)
    except (OSError, json.JSONDecodeError):
        return None, None

    def count(key: str) -> Optional[int]:
        value = config.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    experts = count("n_routed_experts") or count("num_local_experts") or count("num_experts")
    return count("num_experts_per_tok"), experts


# ggml types (ggml.h) by number: the float ones have known widths, the rest are quantized blocks.
GGML_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4"}
FLOAT_WIDTH = {"F32": 4, "F16": 2, "BF16": 2}
# GGUF metadata value types: struct formats of the fixed-size ones; 8 string, 9 array.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class _Reader:
    def __init__(self, file):
        self.file = file

    def take(self, fmt: str) -> Any:
        data = self.file.read(struct.calcsize(fmt))
        if len(data) != struct.calcsize(fmt):
            raise ValueError("the GGUF header ends early")
        return struct.unpack(fmt, data)[0]

    def text(self) -> str:
        length = self.take("<Q")
        if length > HEADER_BYTES_MAX:
            raise ValueError("a GGUF string is longer than a header can be")
        return self.file.read(length).decode("utf-8", errors="replace")

    def value(self, kind: int) -> Any:
        if kind in _SCALARS:
            return self.take(_SCALARS[kind])
        if kind == 8:
            return self.text()
        if kind == 9:
            item, count = self.take("<I"), self.take("<Q")
            if item in _SCALARS:  # skipped whole: token lists hold hundreds of thousands
                self.file.seek(struct.calcsize(_SCALARS[item]) * count, os.SEEK_CUR)
                return None
            return [self.value(item) for _ in range(count)]
        raise ValueError(f"unknown GGUF metadata value type {kind}")


def _read_gguf(path: str) -> TensorTable:
    with open(path, "rb") as file:
        reader = _Reader(file)
        if file.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file (no GGUF magic)")
        version = reader.take("<I")
        if version not in (2, 3):
            raise ValueError(f"{path}: GGUF version {version} is not one this reader knows (2, 3)")
        tensor_count, kv_count = reader.take("<Q"), reader.take("<Q")
        metadata: Dict[str, Any] = {}
        for _ in range(kv_count):
            key = reader.text()
            metadata[key] = reader.value(reader.take("<I"))
        infos = []
        for _ in range(tensor_count):
            name = reader.text()
            dims = [reader.take("<Q") for _ in range(reader.take("<I"))]
            kind, offset = reader.take("<I"), reader.take("<Q")
            infos.append((name, dims, GGML_TYPES.get(kind, str(kind)), offset))
        alignment = metadata.get("general.alignment") or 32
        data_start = -(-file.tell() // alignment) * alignment
    arch = metadata.get("general.architecture") or ""

    def count(key: str) -> Optional[int]:
        value = metadata.get(f"{arch}.{key}")
        return value if isinstance(value, int) and value > 0 else None

    tensors = []
    for name, dims, dtype, offset in infos:
        start = data_start + offset
        elements = 1
        for n in dims:
            elements *= n
        tensors.append(Tensor(name, dims, dtype, path, start, start + FLOAT_WIDTH.get(dtype, 0) * elements))
    name = metadata.get("general.name") or os.path.splitext(os.path.basename(path))[0]
    return TensorTable("gguf", name, tensors, count("expert_used_count"), count("expert_count"))
