"""MACs counted from the operations that run, attributed to the weight each one reads.

Forward hooks see only what a module's forward is asked to do: nn.MultiheadAttention computes
its out_proj inside F.multi_head_attention_forward, nn.TransformerEncoderLayer takes a fused
fast path, nn.LSTM calls one kernel for all its weights. A torch.overrides.TorchFunctionMode sees
the top-level torch calls instead (a mode is off inside its own handler, so each call is counted
once, at the outermost function): F.linear, F.conv1d/2d/3d, F.embedding, matmul, mm, bmm, addmm
(Hugging Face's Conv1D), F.multi_head_attention_forward and the recurrent kernels. Works with
torch 1.13 (Debian's python3-torch) and later.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence

import torch
from torch.overrides import TorchFunctionMode

from .layers import WeightSlot


def _tensors(value: Any) -> List[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors(item)]
    return []


class MacCounter(TorchFunctionMode):
    """Counts MACs and activation elements per weight tensor (by id) during a forward pass."""

    def __init__(self, slots: Sequence[WeightSlot]):
        super().__init__()
        self.by_id: Dict[int, WeightSlot] = {}
        for slot in slots:
            self.by_id.setdefault(id(slot.weight), slot)
        # By (weight id, "lookup" for an embedding's reads or "compute"): a weight an embedding and
        # an output head share is counted for each of the two layers.
        self.macs: Dict[tuple, float] = {}
        self.activations: Dict[tuple, float] = {}
        #: Planned weights seen in a call this counter does not know how to count.
        self.uncounted: Dict[int, str] = {}

    def tracks(self, weight: Any) -> bool:
        return isinstance(weight, torch.Tensor) and id(weight) in self.by_id

    def _add(self, weight: torch.Tensor, macs: float, activations: float, kind: str = "compute") -> None:
        if self.tracks(weight):
            key = (id(weight), kind)
            self.macs[key] = self.macs.get(key, 0.0) + macs
            self.activations[key] = self.activations.get(key, 0.0) + activations

    def counted(self, weight: torch.Tensor, kind: str) -> tuple:
        """(MACs, activation elements) counted for this weight and kind of use."""
        key = (id(weight), kind)
        return self.macs.get(key, 0.0), self.activations.get(key, 0.0)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        try:
            self._count(name, args, kwargs, out)
        except Exception:  # noqa: BLE001 - a call the counter misreads is reported, never raised
            for tensor in _tensors(list(args) + list(kwargs.values())):
                if id(tensor) in self.by_id:
                    self.uncounted[id(tensor)] = name
        return out

    def _count(self, name: str, args: Sequence[Any], kwargs: Dict[str, Any], out: Any) -> None:
        get = lambda i, key: args[i] if len(args) > i else kwargs.get(key)  # noqa: E731
        if name == "linear":
            x, w = get(0, "input"), get(1, "weight")
            if self.tracks(w):
                rows = x.numel() // w.shape[-1]
                self._add(w, rows * w.numel(), x.numel() + out.numel())
        elif name in ("conv1d", "conv2d", "conv3d"):
            x, w = get(0, "input"), get(1, "weight")
            if self.tracks(w):
                self._add(w, out.numel() * math.prod(w.shape[1:]), x.numel() + out.numel())
        elif name == "embedding":
            w = get(1, "weight")
            if self.tracks(w):
                self._add(w, 0.0, out.numel(), kind="lookup")
        elif name in ("matmul", "mm", "bmm", "__matmul__", "addmm", "baddbmm"):
            operands = [t for t in _tensors(list(args)) if t.dim() >= 2]
            first, second = (operands[-2], operands[-1]) if len(operands) >= 2 else (None, None)
            for w, x in ((second, first), (first, second)):
                if w is not None and self.tracks(w):
                    # x @ W: each row of x (all but its last axis) meets every element of W once.
                    self._add(w, (x.numel() // x.shape[-1]) * w.numel(), x.numel() + out.numel())
                    break
        elif name in _ELEMENTWISE:
            # A weight added or multiplied element by element (a learned positional matrix, a
            # scale): read once per output element, no multiply-accumulate.
            for w in _tensors(list(args)):
                if self.tracks(w):
                    self._add(w, 0.0, out.numel())
        elif name == "multi_head_attention_forward":
            self._attention(args, kwargs, out)
        elif name in ("lstm", "gru", "rnn_tanh", "rnn_relu"):
            self._recurrent(args)
        else:
            for tensor in _tensors(list(args) + list(kwargs.values())):
                if self.tracks(tensor) and name not in _VIEWS:
                    self.uncounted.setdefault(id(tensor), name)

    def _attention(self, args: Sequence[Any], kwargs: Dict[str, Any], out: Any) -> None:
        query, key, value = args[0], args[1], args[2]
        embed = query.shape[-1]
        tokens = lambda t: t.numel() // t.shape[-1]  # noqa: E731
        params = {**{n: a for n, a in zip(_MHA_ARGS, args)}, **kwargs}
        packed = params.get("in_proj_weight")
        if packed is not None and self.tracks(packed):
            reads = query.numel() + key.numel() + value.numel()
            self._add(packed, (tokens(query) + tokens(key) + tokens(value)) * embed * embed, reads + embed * (tokens(query) + tokens(key) + tokens(value)))
        for source, weight_name in ((query, "q_proj_weight"), (key, "k_proj_weight"), (value, "v_proj_weight")):
            weight = params.get(weight_name)
            if weight is not None and self.tracks(weight):
                self._add(weight, tokens(source) * weight.numel(), source.numel() + tokens(source) * weight.shape[0])
        out_weight = params.get("out_proj_weight")
        if out_weight is not None and self.tracks(out_weight):
            self._add(out_weight, tokens(query) * out_weight.numel(), 2 * tokens(query) * embed)

    def _recurrent(self, args: Sequence[Any]) -> None:
        # torch.lstm(input, hx, params, ...) or the packed form (data, batch_sizes, hx, params, ...):
        # every weight of the flat list meets every time step of every sequence once.
        data = args[0]
        steps = data.numel() // data.shape[-1]
        flat = next(a for a in args[1:] if isinstance(a, (list, tuple)) and a and all(isinstance(t, torch.Tensor) for t in a) and any(t.dim() == 2 for t in a))
        for weight in flat:
            if weight.dim() == 2 and self.tracks(weight):
                self._add(weight, steps * weight.numel(), steps * (weight.shape[1] + weight.shape[0]))


_ELEMENTWISE = {"add", "__add__", "__radd__", "sub", "__sub__", "__rsub__", "mul", "__mul__", "__rmul__", "div", "__truediv__"}

# Calls that only read a weight's shape or view it (no arithmetic): not a sign of an uncounted use.
_VIEWS = {"__get__", "dim", "size", "t", "transpose", "view", "reshape", "contiguous", "numel", "__len__", "chunk", "split", "unbind", "detach", "to", "__getitem__", "is_floating_point", "_is_view", "stride", "data_ptr", "requires_grad_", "expand", "permute", "unsqueeze", "squeeze", "flatten"}

# Positional parameters of F.multi_head_attention_forward (torch 1.13 and later).
_MHA_ARGS = (
    "query", "key", "value", "embed_dim_to_check", "num_heads", "in_proj_weight", "in_proj_bias", "bias_k", "bias_v",
    "add_zero_attn", "dropout_p", "out_proj_weight", "out_proj_bias",
)


def measure_macs(model: torch.nn.Module, args: Sequence[Any], slots: Sequence[WeightSlot]) -> MacCounter:
    """One forward pass of `model(*args)` under the counter. Grad stays enabled (nothing is kept:
    the outputs are dropped) because PyTorch's fused inference fast paths for attention and
    transformer layers run only without it, and they would hide the weights' calls; the model is
    in eval mode, so dropout and batch-norm statistics do not change."""
    counter = MacCounter(slots)
    was_training = model.training
    try:
        model.eval()
        with torch.enable_grad(), counter:
            model(*args)
    finally:
        model.train(was_training)
    return counter
