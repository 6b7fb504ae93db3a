"""The ModelDescriptor of a PyTorch model: its planned weights, their sizes and measured MACs."""

from __future__ import annotations

import warnings
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import torch
from torch import nn

from .layers import owners, planned_weights, precision, unplanned
from .macs import measure_macs


def describe(
    model: nn.Module,
    example_inputs: Union[torch.Tensor, Sequence[Any]],
    formats: Optional[Sequence[str]] = None,
    name: Optional[str] = None,
    exclude: Iterable[str] = (),
) -> Dict[str, Any]:
    """The ModelDescriptor of `model`: one layer per planned weight (planned_weights: Linear,
    ConvNd, Embedding and Hugging Face Conv1D modules, nn.MultiheadAttention's projections, every
    nn.LSTM/GRU/RNN weight, any other floating-point parameter of two or more dimensions; minus
    `exclude`), with

    - `params`: the weight's elements. Biases, norms and 1-D tensors are not planned: they stay
      in the model's precision, count in neither `params` nor the plan's sizeBytes and avgBits,
      and `quantize_weights` leaves them as they are; the descriptor's `unplanned` names them
      and counts their elements;
    - `macs` and `activationElements` per sample (the first dimension of `example_inputs`, a
      tensor or a tuple of arguments, is the batch), counted from the torch calls that read the
      weight during one forward pass (macs.py), so fused and functional paths count. A
      non-embedding layer whose MACs could not be counted gets no `macs` (a BOPs budget then
      says so) and is named in a warning;
    - `inFeatures`, the row length a block or group size must divide, and `dotProductLength`.

    Layers sharing one weight tensor are tied in `groups`; its elements count once, on the first.
    `formats` become every layer's `candidates` when given.
    """
    args = (example_inputs,) if isinstance(example_inputs, torch.Tensor) else tuple(example_inputs)
    batch = next((a.shape[0] for a in args if isinstance(a, torch.Tensor) and a.dim() > 0), 1)
    slots = planned_weights(model, exclude)
    counter = measure_macs(model, args, slots)
    owner = owners(slots)
    described: List[Dict[str, Any]] = []
    unmeasured: List[str] = []
    attributed: set = set()
    for slot in slots:
        key = id(slot.weight)
        first = owner[slot.name] == slot.name
        entry: Dict[str, Any] = {"name": slot.name, "op": slot.op, "params": slot.weight.numel() if first else 0}
        # A shared weight's elements count once, on its first layer; its MACs where they are spent
        # (an embedding's lookups, a tied head's products), on the first layer of that kind.
        kind = "lookup" if slot.embedding else "compute"
        first_of_kind = (key, kind) not in attributed
        attributed.add((key, kind))
        macs, activations = counter.counted(slot.weight, kind) if first_of_kind else (0.0, 0.0)
        if slot.embedding or (key, kind) in counter.macs:
            entry["macs"] = _whole(macs / batch)
            entry["activationElements"] = _whole(activations / batch)
        elif first_of_kind:
            unmeasured.append(f"{slot.name} ({'used by torch.' + counter.uncounted[key] if key in counter.uncounted else 'not used in the forward pass'})")
        else:
            entry["macs"] = 0
        if not slot.embedding:
            entry["dotProductLength"] = slot.in_features
        entry["inFeatures"] = slot.in_features
        if formats:
            entry["candidates"] = list(formats)
        described.append(entry)
    if unmeasured:
        warnings.warn(f"describe: no MACs counted for {len(unmeasured)} layers, which get no macs: {', '.join(unmeasured[:10])}{', ...' if len(unmeasured) > 10 else ''}", stacklevel=2)

    groups: Dict[str, List[str]] = {}
    for layer, first in owner.items():
        groups.setdefault(first, []).append(layer)
    descriptor: Dict[str, Any] = {"name": name or type(model).__name__, "precision": precision(model), "layers": described}
    tied = [members for members in groups.values() if len(members) > 1]
    if tied:
        descriptor["groups"] = tied
    left = unplanned(model, slots)
    if left["tensors"]:
        descriptor["unplanned"] = {"params": left["params"], "tensors": left["tensors"][:4096]}
    return descriptor


def _whole(value: float) -> Union[int, float]:
    """A count as an int when it is one (JSON `262144`, not `262144.0`)."""
    return int(value) if float(value).is_integer() else value
