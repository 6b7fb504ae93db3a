"""Activation quantization simulated: a planned layer's input fake-quantized as its candidate says.

A candidate `W/A` (int4/int8, fp8-e4m3/fp8-e4m3, nvfp4/nvfp4) quantizes the weight to W and the
layer's input to A. Here the input of each planned Linear, ConvNd or Hugging Face Conv1D is
rounded on the way in (a forward pre-hook), with a static per-tensor range calibrated on the
batches: the largest |x| seen (absmax) or, with `percentile`, that percentile of |x| (clipping
outliers, as TensorRT's and ModelOpt's percentile calibrators do). Grids:

- intB: symmetric, scale = range / (2^(B-1) - 1), round to nearest, clamp;
- fp8-e4m3 (max 448), fp8-e5m2 (57344), fp4-e2m1 (6) and any eXmY minifloat: the value scaled
  so that the range meets the grid's largest value, then rounded to the nearest representable
  value (subnormals included, IEEE-style bias 2^(X-1) - 1);
- mxfp4 and nvfp4: E2M1 elements with a dynamic scale per block of 32 or 16 values along the
  last axis (the block's absmax meets 6; the scale itself is kept exact, not rounded to E8M0 or
  UE4M3: a slight underestimate of their error).

fp16, bf16 and fp32 activations are left as they are. Embeddings (whose input is token ids) and
weights that are not a module's own `weight` applied to its first input (nn.MultiheadAttention's
packed projections, recurrent weights), or whose module never runs during calibration
(MultiheadAttention's out_proj, whose weight its fused kernel takes), cannot be simulated this
way: they are named in a warning.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence

import torch
from torch import nn

from .layers import WIDE_FLOATS, WeightSlot

_INTEGER = re.compile(r"^int(\d+)$")
_MINIFLOAT = re.compile(r"^e(\d+)m(\d+)$")
NAMED_MINIFLOATS = {"fp8-e4m3": (4, 3, 448.0), "fp8-e5m2": (5, 2, 57344.0), "fp4-e2m1": (2, 1, 6.0)}
BLOCK_SCALED = {"mxfp4": 32, "nvfp4": 16}
#: At most this many values of a tensor go into a percentile (torch.quantile's limit is 2^24).
PERCENTILE_SAMPLE = 1 << 20


def activation_format(candidate: str) -> Optional[str]:
    """The activation format a candidate simulates, or None (a bare weight format, or a wide float)."""
    if "/" not in candidate:
        return None
    activation = candidate.split("/", 1)[1]
    return None if activation in WIDE_FLOATS else activation


def simulable(slot: WeightSlot) -> bool:
    """Whether the slot's weight multiplies its module's first input (so that input can be rounded)."""
    return slot.attr == "weight" and not slot.embedding and (isinstance(slot.module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)) or slot.transposed)


def _minifloat(values: torch.Tensor, exponent_bits: int, mantissa_bits: int, largest: float) -> torch.Tensor:
    bias = 2 ** (exponent_bits - 1) - 1
    magnitude = values.abs().clamp(max=largest)
    exponent = torch.floor(torch.log2(magnitude.clamp(min=torch.finfo(magnitude.dtype).tiny))).clamp(min=1 - bias)
    quantum = torch.exp2(exponent - mantissa_bits)
    return torch.sign(values) * torch.clamp(torch.round(magnitude / quantum) * quantum, max=largest)


def fake_quantize(values: torch.Tensor, format: str, value_range: Optional[float]) -> torch.Tensor:
    """`values` rounded to the activation `format` over `value_range` (the calibrated |x|; ignored by block-scaled formats)."""
    if format in WIDE_FLOATS:
        return values.to(WIDE_FLOATS[format]).to(values.dtype)
    wide = values.to(torch.float64)
    if format in BLOCK_SCALED:
        block = BLOCK_SCALED[format]
        last = wide.shape[-1] if wide.dim() else 1
        padded = -(-last // block) * block
        blocks = torch.nn.functional.pad(wide.reshape(-1, last), (0, padded - last)).reshape(-1, padded // block, block)
        scale = blocks.abs().amax(dim=-1, keepdim=True) / 6.0
        scale = torch.where(scale > 0, scale, torch.ones_like(scale))
        rounded = (_minifloat(blocks / scale, 2, 1, 6.0) * scale).reshape(-1, padded)[:, :last]
        return rounded.reshape(values.shape).to(values.dtype)
    if value_range is None:
        raise ValueError(f"activation format {format!r} needs a calibrated range")
    if value_range <= 0:
        return torch.zeros_like(values)
    integer = _INTEGER.match(format)
    if integer:
        levels = 2 ** (int(integer.group(1)) - 1) - 1
        scale = value_range / levels
        return (torch.clamp(torch.round(wide / scale), -levels, levels) * scale).to(values.dtype)
    grid = NAMED_MINIFLOATS.get(format)
    custom = _MINIFLOAT.match(format)
    if grid is None and custom:
        exponent_bits, mantissa_bits = int(custom.group(1)), int(custom.group(2))
        bias = 2 ** (exponent_bits - 1) - 1
        grid = (exponent_bits, mantissa_bits, (2 - 2.0**-mantissa_bits) * 2.0 ** (2**exponent_bits - 1 - bias))
    if grid is None:
        raise ValueError(f"no activation quantizer for {format!r}: it simulates intB, fp8-e4m3, fp8-e5m2, fp4-e2m1, eXmY minifloats, mxfp4 and nvfp4 (and leaves fp16, bf16, fp32)")
    exponent_bits, mantissa_bits, largest = grid
    scale = value_range / largest
    return (_minifloat(wide / scale, exponent_bits, mantissa_bits, largest) * scale).to(values.dtype)


def calibrate_ranges(model: nn.Module, run: Callable[[nn.Module, Any], Any], batches: Sequence[Any], slots: Sequence[WeightSlot], percentile: Optional[float] = None) -> Dict[str, float]:
    """The input range of each slot's module over `batches`, each batch run by `run(model, batch)`
    (a loss_fn does): the largest |x|, or the `percentile` (0-100) of |x| over every value seen
    (sampled to PERCENTILE_SAMPLE a call). A slot whose module never ran is left out: its weight
    is used some other way (nn.MultiheadAttention hands out_proj.weight to its fused kernel
    without calling out_proj), so its input cannot be rounded on the way in."""
    if percentile is not None and not 0 < percentile <= 100:
        raise ValueError("percentile is in (0, 100]")
    seen: Dict[str, list] = {slot.name: [] for slot in slots}
    handles = []
    for slot in slots:
        def record(module, args, name=slot.name):
            x = args[0].detach().abs().reshape(-1).to(torch.float64)
            if percentile is None:
                seen[name].append(float(x.max()) if x.numel() else 0.0)
            else:
                step = max(1, x.numel() // PERCENTILE_SAMPLE)
                seen[name].append(x[::step])
        handles.append(slot.module.register_forward_pre_hook(record))
    try:
        with torch.no_grad():
            for batch in batches:
                run(model, batch)
    finally:
        for handle in handles:
            handle.remove()
    ranges: Dict[str, float] = {}
    for name, parts in seen.items():
        if not parts:
            continue
        if percentile is None:
            ranges[name] = max(parts)
        else:
            values = torch.cat(parts)
            ranges[name] = float(torch.quantile(values[:: max(1, values.numel() // (1 << 24) + 1)], percentile / 100.0))
    return ranges


def round_inputs(slots: Mapping[str, WeightSlot], formats: Mapping[str, str], ranges: Mapping[str, float]) -> List[Any]:
    """Forward pre-hooks that fake-quantize each named layer's input to its activation format; their handles."""
    handles = []
    for name, format in formats.items():
        def round_input(module, args, format=format, value_range=ranges.get(name)):
            return (fake_quantize(args[0], format, value_range), *args[1:])

        handles.append(slots[name].module.register_forward_pre_hook(round_input))
    return handles


@contextlib.contextmanager
def quantized_inputs(slots: Mapping[str, WeightSlot], formats: Mapping[str, str], ranges: Mapping[str, float]) -> Iterator[None]:
    """Within the block, each named layer's input is fake-quantized to its activation format."""
    handles = round_inputs(slots, formats, ranges)
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def warn_unsimulable(names: Sequence[str]) -> None:
    if names:
        shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
        warnings.warn(f"activation formats are not simulated on {len(names)} layers whose weight is not applied to their module's first input, or whose module never ran (embeddings, packed attention projections and out_proj, recurrent weights): {shown}", stacklevel=3)


class InputQuantizer:
    """The activation side of a measurement: ranges calibrated once (when some candidate has an
    activation format), then `applied({layer: candidate})` rounds those layers' inputs."""

    def __init__(self, model: nn.Module, run: Callable[[nn.Module, Any], Any], batches: Sequence[Any], slots: Sequence[WeightSlot], candidates: Sequence[str], percentile: Optional[float] = None):
        self.slots = {slot.name: slot for slot in slots}
        needed = any(activation_format(candidate) for candidate in candidates)
        simulated = [slot for slot in slots if needed and simulable(slot)]
        self.skipped = [slot.name for slot in slots if needed and not simulable(slot)]
        self.ranges = calibrate_ranges(model, run, batches, simulated, percentile) if simulated else {}
        self.skipped += [slot.name for slot in simulated if slot.name not in self.ranges]

    def applied(self, assignment: Mapping[str, str]):
        formats = {}
        for name, candidate in assignment.items():
            activation = activation_format(candidate)
            if activation and name in self.ranges:
                formats[name] = activation
        return quantized_inputs(self.slots, formats, self.ranges)
