"""Rounding weights to a format: the default quantizer, the errors it makes, and a quantized copy."""

from __future__ import annotations

import copy
import re
import warnings
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Sequence, Union

import torch
from torch import nn

from .activations import InputQuantizer, activation_format, round_inputs, warn_unsimulable
from .layers import WIDE_FLOATS, WeightSlot, owning_slots, planned_weights

Quantizer = Callable[[torch.Tensor, str], torch.Tensor]

_INTEGER = re.compile(r"^int(\d+)(?:-g(\d+))?$")


def weight_format(candidate: str) -> str:
    """The weight format of a candidate id: `int4/int8` -> int4, `int4-g128` -> int4-g128."""
    return candidate.split("/", 1)[0]


def quantize_tensor(weight: torch.Tensor, format: str) -> torch.Tensor:
    """The default quantizer: symmetric per output row for `intB` (scale = the row's absolute
    maximum / (2^(B-1) - 1), round to nearest), per group of N along the row for `intB-gN`;
    `fp16`, `bf16` and `fp32` are casts. Rows are the first axis (WeightSlot.rows puts a
    transposed weight's output channels there)."""
    if format in WIDE_FLOATS:
        return weight.detach().to(WIDE_FLOATS[format]).to(weight.dtype)
    match = _INTEGER.match(format)
    if not match:
        raise ValueError(f"no default quantizer for {format!r}: it rounds intB and intB-gN (and casts fp16, bf16, fp32); pass quantizer=(weight, format) -> tensor")
    bits = int(match.group(1))
    if bits < 2:
        raise ValueError(f"{format!r}: a symmetric integer grid needs at least 2 bits")
    group = int(match.group(2)) if match.group(2) else None
    levels = 2 ** (bits - 1) - 1
    rows = weight.detach().reshape(weight.shape[0], -1).to(torch.float64)
    columns = rows.shape[1]
    if group:
        # Groups of `group` along the row; a last partial group is padded with zeros, which change
        # no group's maximum.
        padded = -(-columns // group) * group
        rows = torch.nn.functional.pad(rows, (0, padded - columns)).reshape(rows.shape[0], padded // group, group)
    scale = rows.abs().amax(dim=-1, keepdim=True) / levels
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    quantized = torch.clamp(torch.round(rows / scale), -levels, levels) * scale
    if group:
        quantized = quantized.reshape(quantized.shape[0], -1)[:, :columns]
    return quantized.reshape(weight.shape).to(weight.dtype)


def rounded(slot: WeightSlot, weight: torch.Tensor, format: str, quantizer: Optional[Quantizer] = None) -> torch.Tensor:
    """`weight` (in the slot's stored layout) rounded to `format`, row by output channel."""
    quantize = quantizer or quantize_tensor
    return slot.stored(quantize(slot.rows(weight.detach()), format))


def weight_errors(
    model: nn.Module,
    formats: Sequence[str],
    quantizer: Optional[Quantizer] = None,
    layers: Optional[Iterable[str]] = None,
) -> Dict[str, Dict[str, float]]:
    """Per layer and weight format, the exact squared quantization error ||Q(W) - W||^2 of the
    layer's weight (the `perturbation` HAWQ multiplies by the mean trace). Layers sharing a
    weight with an earlier one are left out: their evidence is the owner's."""
    errors: Dict[str, Dict[str, float]] = {}
    for slot in owning_slots(model, layers):
        weight = slot.weight.detach()
        errors[slot.name] = {f: float(((rounded(slot, weight, f, quantizer).to(torch.float64) - weight.to(torch.float64)) ** 2).sum()) for f in formats}
    return errors


def _chosen(plan: Union[Mapping[str, Any], Mapping[str, str]]) -> Dict[str, str]:
    """{layer: candidate} of a Plan answered by the service, or of such a mapping itself."""
    return {layer["name"]: layer["candidate"] for layer in plan["layers"]} if "layers" in plan else dict(plan)  # type: ignore[index]


def quantize_weights(model: nn.Module, plan: Union[Mapping[str, Any], Mapping[str, str]], quantizer: Optional[Quantizer] = None) -> nn.Module:
    """A copy of `model` whose planned weights are rounded to the plan's weight formats with the
    same quantizer as weight_errors (fake quantization: the copy computes in its own dtype);
    biases and other unplanned tensors stay as they are (describe counts them out). `plan` is a
    Plan answered by the service or {layer name: candidate}. Activations are not quantized: a
    candidate with an integer or low-precision activation format is warned."""
    chosen = _chosen(plan)
    copied = copy.deepcopy(model)
    slots = {slot.name: slot for slot in planned_weights(copied)}
    unknown = sorted(set(chosen) - set(slots))
    if unknown:
        raise KeyError(f"the plan names layers the model does not have: {', '.join(unknown[:5])}")
    activations = sorted({a for a in map(activation_format, chosen.values()) if a})
    if activations:
        warnings.warn(f"quantize_weights rounds weights only; activation formats {', '.join(activations)} are not simulated: quantize(model, plan, loss_fn, batches) rounds the inputs too", stacklevel=2)
    done: Dict[int, str] = {}
    with torch.no_grad():
        for layer, candidate in chosen.items():
            slot = slots[layer]
            weight = slot.weight
            format = weight_format(candidate)
            if id(weight) in done:
                if done[id(weight)] != format:
                    raise ValueError(f"layer {layer} shares its weight with a layer planned as {done[id(weight)]}, not {format}: tie them (model.groups)")
                continue
            weight.copy_(rounded(slot, weight, format, quantizer))
            done[id(weight)] = format
    return copied


def quantize(
    model: nn.Module,
    plan: Union[Mapping[str, Any], Mapping[str, str]],
    loss_fn: Optional[Callable[[nn.Module, Any], Any]] = None,
    batches: Optional[Sequence[Any]] = None,
    quantizer: Optional[Quantizer] = None,
    percentile: Optional[float] = None,
) -> nn.Module:
    """A copy of `model` with weights and activations quantized as planned: the weights as
    quantize_weights rounds them, and the input of every layer whose candidate has an activation
    format (int4/int8, fp8-e4m3/fp8-e4m3, nvfp4/nvfp4) rounded on the way in by a forward
    pre-hook, over a static range calibrated on `batches` run through the float model by
    `loss_fn` (any callable (model, batch) that runs it; `percentile` clips the range). Without
    activation formats in the plan it is quantize_weights."""
    chosen = _chosen(plan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the activations are simulated below
        copied = quantize_weights(model, chosen, quantizer)
    original_slots = {slot.name: slot for slot in planned_weights(model)}
    planned = [original_slots[name] for name in chosen]
    inputs = InputQuantizer(model, loss_fn, batches or [], planned, list(chosen.values()), percentile) if loss_fn is not None else None
    needed = [name for name, candidate in chosen.items() if activation_format(candidate)]
    if needed and inputs is None:
        raise ValueError(f"the plan has activation formats on {len(needed)} layers ({', '.join(needed[:3])}...): give loss_fn and batches to calibrate their ranges")
    if inputs is None:
        return copied
    warn_unsimulable(inputs.skipped)
    copied_slots = {slot.name: slot for slot in planned_weights(copied)}
    formats = {name: activation_format(chosen[name]) for name in needed if name in inputs.ranges}
    round_inputs(copied_slots, formats, inputs.ranges)  # the hooks stay on the copy
    return copied


def weight_stats(model: nn.Module, layers: Optional[Iterable[str]] = None) -> Dict[str, Dict[str, Any]]:
    """Per layer, the weight statistics the service estimates each format's perturbation from
    (weightStats: absMax, rms, count, and per-channel granularity with the output channels, as
    the default quantizer scales each row), without rounding anything: with hessianTrace they
    score every format, including ones no quantizer here implements. Layers sharing a weight with
    an earlier one are left out."""
    stats: Dict[str, Dict[str, Any]] = {}
    for slot in owning_slots(model, layers):
        rows = slot.rows(slot.weight.detach()).to(torch.float64)
        count = rows.numel()
        stats[slot.name] = {"absMax": float(rows.abs().max()) if count else 0.0, "rms": float(rows.pow(2).mean().sqrt()) if count else 0.0, "count": count, "granularity": "per-channel", "channels": rows.shape[0]}
    return stats
