"""Which weights a plan covers: every tensor a quantizer would touch, each as one planned layer."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import torch
from torch import nn

#: Modules planned by their `weight` under the module's own name.
QUANTIZABLE = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear, nn.Embedding)
WIDE_FLOATS = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}

_OPS = {nn.Conv1d: "conv1d", nn.Conv2d: "conv2d", nn.Conv3d: "conv3d", nn.Embedding: "embedding"}


def _is_hf_conv1d(module: nn.Module) -> bool:
    """Hugging Face's Conv1D (GPT-2): a linear layer whose weight is stored (in, out)."""
    return type(module).__name__ == "Conv1D" and hasattr(module, "nf") and isinstance(getattr(module, "weight", None), nn.Parameter)


@dataclass
class WeightSlot:
    """One planned layer: a weight tensor, where it lives, and how its rows run.

    `name` is the module's qualified name for a module's own weight (Linear, ConvNd, Embedding,
    Hugging Face Conv1D), else the parameter's qualified name (`attn.in_proj_weight`,
    `lstm.weight_ih_l0_reverse`). Rows are output channels: a quantizer scales each row (or group
    of a row), so `in_features` is the row length.
    """

    name: str
    module: nn.Module
    attr: str
    op: str
    #: The weight is stored (in, out) (Hugging Face Conv1D): rows are its columns.
    transposed: bool = False

    @property
    def weight(self) -> nn.Parameter:
        return getattr(self.module, self.attr)

    @property
    def in_features(self) -> int:
        shape = self.weight.shape
        return shape[0] if self.transposed else math.prod(shape[1:])

    @property
    def embedding(self) -> bool:
        return self.op == "embedding"

    def rows(self, tensor: torch.Tensor) -> torch.Tensor:
        """The tensor with output channels first (what a quantizer takes)."""
        return tensor.t() if self.transposed else tensor

    def stored(self, rows: torch.Tensor) -> torch.Tensor:
        """Rows back in the stored layout."""
        return rows.t() if self.transposed else rows


def _module_slot(name: str, module: nn.Module) -> Optional[WeightSlot]:
    if not name:
        return None
    if isinstance(module, nn.Linear):
        # nn.MultiheadAttention's out_proj is a NonDynamicallyQuantizableLinear: still a linear layer.
        return WeightSlot(name, module, "weight", "linear")
    if isinstance(module, QUANTIZABLE):
        return WeightSlot(name, module, "weight", _OPS[type(module)])
    if _is_hf_conv1d(module):
        return WeightSlot(name, module, "weight", "linear", transposed=True)
    return None


def _parameter_op(module: nn.Module, attr: str) -> str:
    if isinstance(module, nn.MultiheadAttention):
        return "linear"
    if isinstance(module, nn.RNNBase):
        return f"{type(module).__name__.lower()}"
    return "matmul"


def planned_weights(model: nn.Module, exclude: Iterable[str] = ()) -> List[WeightSlot]:
    """Every weight a quantizer would touch, in registration order: the weights of Linear, ConvNd,
    Embedding and Hugging Face Conv1D modules (named by the module), and every other
    floating-point parameter of two or more dimensions (nn.MultiheadAttention's in_proj_weight or
    q/k/v_proj_weight, each nn.LSTM/GRU/RNN weight per layer and direction, a bare
    nn.Parameter matrix), named by its qualified parameter name. `exclude` leaves chosen layers
    out (by name). A tensor shared by several places is listed at each (describe ties them)."""
    excluded = set(exclude)
    slots: List[WeightSlot] = []
    claimed: set = set()
    for name, module in model.named_modules():
        slot = _module_slot(name, module)
        if slot is not None:
            claimed.add((id(module), "weight"))
            if slot.name not in excluded:
                slots.append(slot)
    for name, module in model.named_modules():
        for attr, parameter in module.named_parameters(recurse=False):
            if (id(module), attr) in claimed or parameter.dim() < 2 or not parameter.is_floating_point():
                continue
            qualified = f"{name}.{attr}" if name else attr
            if qualified not in excluded:
                slots.append(WeightSlot(qualified, module, attr, _parameter_op(module, attr)))
    return slots


def quantizable_layers(model: nn.Module, exclude: Iterable[str] = ()) -> List[Tuple[str, WeightSlot]]:
    """(layer name, its WeightSlot) for every planned weight (see planned_weights); a slot's
    `.weight` is the parameter, as a module's is."""
    return [(slot.name, slot) for slot in planned_weights(model, exclude)]


def owners(slots: Sequence[WeightSlot]) -> Dict[str, str]:
    """Layer name -> the name of the first layer holding its weight tensor (itself unless shared)."""
    first: Dict[int, str] = {}
    return {slot.name: first.setdefault(id(slot.weight), slot.name) for slot in slots}


def owning_slots(model: nn.Module, layers: Optional[Iterable[str]] = None) -> List[WeightSlot]:
    """The planned weights each measured once: a layer sharing its weight with an earlier one is
    left out (its evidence is the owner's), and with `layers` only those named."""
    chosen = set(layers) if layers is not None else None
    slots = planned_weights(model)
    owner = owners(slots)
    return [slot for slot in slots if owner[slot.name] == slot.name and (chosen is None or slot.name in chosen)]


def unplanned(model: nn.Module, slots: Sequence[WeightSlot]) -> Dict[str, Any]:
    """What the plan leaves in the model's own precision: every parameter not among the planned
    weights (biases, norms, 1-D and non-floating tensors), counted once each."""
    planned = {id(slot.weight) for slot in slots}
    names: List[str] = []
    count = 0
    seen: set = set()
    for name, parameter in model.named_parameters():
        if id(parameter) in planned or id(parameter) in seen:
            continue
        seen.add(id(parameter))
        names.append(name)
        count += parameter.numel()
    return {"params": count, "tensors": names}


def precision(model: nn.Module) -> str:
    dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    return {torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16"}.get(dtype, "fp32")
