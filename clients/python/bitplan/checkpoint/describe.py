"""describe_checkpoint: a ModelDescriptor from a checkpoint's tensor table (see __init__)."""

import math
import re
import warnings
from typing import Any, Dict, List, Optional

from .headers import FLOAT_WIDTH, Tensor, TensorTable, read_tensor_table
from .roles import STAGES, gguf_name, kept_in_model_precision, tensor_role

PRECISION = {"F16": "fp16", "BF16": "bf16", "F32": "fp32"}
NAME_CHARS = 256
CHUNK_VALUES = 8 * 1024 * 1024  # values read at a time by weight_stats


class CheckpointNote(UserWarning):
    """What describing a checkpoint could not know (routed experts' share, unknown names, ...)."""


def describe_checkpoint(path: str, name: Optional[str] = None, weight_stats: bool = False) -> Dict[str, Any]:
    """The descriptor of the checkpoint at `path` (a .safetensors file, a model.safetensors.index.json,
    a .gguf file or a directory holding one), as `npx bitplan describe` writes it: one layer per
    2-D weight (and per stacked-experts GGUF tensor) with params, per-token MACs, row length, the
    input it reads and its GGUF name; norms, biases and routers in `unplanned`. What could not be
    known is warned (CheckpointNote). With weight_stats=True each F32, F16 or BF16 weight is read
    once, CHUNK_VALUES at a time (numpy), and fills weightStats.
    """
    table = read_tensor_table(path)
    if name:
        table.name = name
    model, notes, located = _describe(table)
    if weight_stats:
        notes.extend(_fill_weight_stats(model, located))
    for note in notes:
        warnings.warn(note, CheckpointNote, stacklevel=2)
    return model


def _matrix(tensor: Tensor, layout: str) -> Optional[Dict[str, int]]:
    shape = tensor.shape
    if any(n < 1 for n in shape):
        return None
    if len(shape) == 2:
        return {"in": shape[0], "out": shape[1]} if layout == "gguf" else {"out": shape[0], "in": shape[1]}
    if len(shape) == 3 and layout == "gguf" and tensor.name.endswith("_exps.weight"):
        return {"in": shape[0], "out": shape[1], "stacked": shape[2]}
    return None


def _describe(table: TensorTable):
    notes: List[str] = []
    layers: List[Dict[str, Any]] = []
    located: Dict[str, Tensor] = {}
    unplanned: List[Tensor] = []
    dtypes: Dict[str, int] = {}
    share = table.experts_per_token / table.experts if table.experts_per_token and table.experts else None
    unscaled = unknown = not_matrices = 0
    for tensor in table.tensors:
        module = tensor.name[: -len(".weight")] if tensor.name.endswith(".weight") else None
        matrix = _matrix(tensor, table.layout)
        if not module or not matrix or kept_in_model_precision(module) or len(module) > NAME_CHARS:
            if module and len(tensor.shape) > 2 and not matrix:
                not_matrices += 1
            unplanned.append(tensor)
            continue
        role = tensor_role(module, table.layout)
        if role is None:
            unknown += 1
        embedding = role is not None and role[0] == "input_ids"
        routed = role is not None and role[1]
        stacked = matrix.get("stacked")
        active: float = 1
        if stacked:
            active = table.experts_per_token or stacked
        elif routed:
            active = share if share is not None else 1
        if (stacked and table.experts_per_token is None) or (routed and not stacked and share is None):
            unscaled += 1
        dtypes[tensor.dtype] = dtypes.get(tensor.dtype, 0) + 1
        out, inputs_ = matrix["out"], matrix["in"]
        layer: Dict[str, Any] = {
            "name": module,
            "op": "embedding" if embedding else "linear",
            "params": out * inputs_ * (stacked or 1),
            "macs": 0 if embedding else _number(out * inputs_ * active),
            "inFeatures": inputs_,
        }
        if not embedding:
            layer["dotProductLength"] = inputs_
            layer["activationElements"] = inputs_ + out
        if role is not None:
            layer["inputs"] = [role[0]]
        alias = module if table.layout == "gguf" else gguf_name(module)
        if alias:
            layer["aliases"] = {"gguf": alias}
        rank = 0 if embedding else 2 if role is not None and role[0] in ("model.norm", "output_norm") else 1
        layers.append((rank, _graph_order(module), layer))
        located[module] = tensor
    if not layers:
        raise ValueError(f"none of its {len(table.tensors)} tensors is a 2-D weight (a name ending in .weight) to plan; a checkpoint already quantized (GPTQ qweight, AWQ) cannot be described from its tensors")
    layers.sort(key=lambda entry: (entry[0], entry[1]))
    dtype, count = sorted(dtypes.items(), key=lambda item: -item[1])[0]
    precision = PRECISION.get(dtype.upper())
    if not precision:
        notes.append(f"the weights are {dtype} ({count} of {len(layers)}), not a float format bitplan knows as the model precision: precision is left to the default (fp16); set it to what the model runs in")
    if unscaled:
        notes.append(f"{unscaled} routed-expert layers count the MACs of every token (the share each expert sees is unknown): give config.json's num_experts_per_tok and n_routed_experts (or GGUF's expert_used_count) for per-token MACs")
    if unknown:
        notes.append(f"{unknown} layers have names no naming scheme here knows (Llama, Mistral, Qwen2, Mixtral, DeepSeek): they carry no inputs, so a runtime target fuses none of them")
    if not_matrices:
        notes.append(f"{not_matrices} weights of more than two dimensions (convolutions, stacked experts of a safetensors file) are not planned")
    model: Dict[str, Any] = {"name": table.name[:NAME_CHARS]}
    if precision:
        model["precision"] = precision
    model["layers"] = [layer for _, _, layer in layers]
    if unplanned:
        model["unplanned"] = {"params": sum(math.prod(t.shape) for t in unplanned), "tensors": [t.name[:NAME_CHARS] for t in unplanned[:4096]]}
    return model, notes, located


def _number(value: float):
    """An integer when the value is one (JSON writes 8192, not 8192.0, as the Node CLI does)."""
    return int(value) if float(value).is_integer() else value


def _natural(text: str):
    """Runs of digits as numbers, the rest as text (the Node CLI's order)."""
    return [(0, int(piece), piece) if i % 2 else (1, 0, piece) for i, piece in enumerate(re.split(r"(\d+)", text))]


def _graph_order(name: str):
    block_match = re.search(r"(?:^|\.)(?:layers|blk)\.(\d+)\.", name)
    block = int(block_match[1]) if block_match else -1
    stage = next((n for pattern, n in STAGES if pattern.search(name)), 9)
    if re.search(r"\.shared_experts?\.|_shexp$", name):
        expert = 2**53 - 1
    else:
        expert_match = re.search(r"\.experts\.(\d+)\.", name)
        expert = int(expert_match[1]) if expert_match else -1
    return (block, 0 if stage < 6 else 1, -1 if stage < 6 else expert, stage, _natural(name))


def _fill_weight_stats(model: Dict[str, Any], located: Dict[str, Tensor]) -> List[str]:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with torch and with Debian's python3-numpy
        raise RuntimeError("weight_stats=True reads the weights with numpy (Debian: python3-numpy)") from None
    skipped = []
    for layer in model["layers"]:
        tensor = located[layer["name"]]
        dtype = tensor.dtype.upper()
        if dtype not in FLOAT_WIDTH:
            skipped.append(f"{layer['name']} ({tensor.dtype})")
            continue
        width = FLOAT_WIDTH[dtype]
        count = (tensor.end - tensor.start) // width
        abs_max, sum_squares, done = 0.0, 0.0, 0
        with open(tensor.path, "rb") as file:
            file.seek(tensor.start)
            while done < count:
                n = min(CHUNK_VALUES, count - done)
                raw = np.fromfile(file, dtype="<u2" if width == 2 else "<f4", count=n)
                if raw.size != n:
                    raise ValueError(f"{tensor.path} ends before the data of {tensor.name} does")
                if dtype == "BF16":
                    values = (raw.astype(np.uint32) << 16).view(np.float32)
                elif dtype == "F16":
                    values = raw.view(np.float16).astype(np.float32)
                else:
                    values = raw
                wide = values.astype(np.float64)
                abs_max = max(abs_max, float(np.abs(wide).max()) if n else 0.0)
                sum_squares += float(np.dot(wide, wide))
                done += n
        stats: Dict[str, Any] = {"absMax": abs_max, "rms": math.sqrt(sum_squares / count) if count else 0.0, "count": count}
        if layer.get("inFeatures"):
            stats.update({"granularity": "per-channel", "channels": round(layer["params"] / layer["inFeatures"])})
        layer["sensitivity"] = {**layer.get("sensitivity", {}), "weightStats": stats}
    if skipped:
        more = ", ..." if len(skipped) > 3 else ""
        return [f"no weightStats for {len(skipped)} layers whose weights are not F32, F16 or BF16: {', '.join(skipped[:3])}{more}"]
    return []
