"""Loss functions for the measurements: loss_fn(model, batch) -> a scalar tensor."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence

import torch
from torch import nn

LossFn = Callable[[nn.Module, Any], torch.Tensor]


def _inputs_of(batch: Any) -> Any:
    return batch[0] if isinstance(batch, (tuple, list)) else batch


def model_device(model: nn.Module) -> torch.device:
    """Where the model's first parameter lives (CPU for a model without parameters)."""
    return next((p.device for p in model.parameters()), torch.device("cpu"))


def on_device(value: Any, device: torch.device) -> Any:
    """`value` with every tensor in it (through tuples, lists and dicts) on `device`; no copy when already there."""
    if isinstance(value, torch.Tensor):
        return value if value.device == device else value.to(device)
    if isinstance(value, (tuple, list)):
        return type(value)(on_device(item, device) for item in value)
    if isinstance(value, dict):
        return {key: on_device(item, device) for key, item in value.items()}
    return value


def supervised(criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], device: Optional[torch.device] = None) -> LossFn:
    """The loss_fn of (inputs, targets) batches: criterion(model(inputs), targets). Outputs with
    more axes than the targets by one, such as (batch, length, vocab) logits against (batch,
    length) labels, are flattened to (batch x length, vocab) first, as nn.CrossEntropyLoss wants.
    The batch moves to `device` first (default: the model's first parameter's), so calibration
    batches may stay on the CPU beside a model on a GPU."""

    def loss(model: nn.Module, batch: Any) -> torch.Tensor:
        batch = on_device(batch, device or model_device(model))
        outputs, targets = model(batch[0]), batch[1]
        if outputs.dim() > 2 and targets.dim() == outputs.dim() - 1 and not targets.is_floating_point():
            outputs, targets = outputs.reshape(-1, outputs.shape[-1]), targets.reshape(-1)
        return criterion(outputs, targets)

    return loss


def kl_to_float(
    model: nn.Module,
    batches: Sequence[Any],
    inputs: Callable[[Any], Any] = _inputs_of,
    forward: Optional[Callable[[nn.Module, Any], torch.Tensor]] = None,
    device: Optional[torch.device] = None,
) -> LossFn:
    """A loss_fn measuring how far the (quantized) model's output distribution has moved from the
    float model's: the KL divergence KL(p_float || p_model) of the softmax over the last axis,
    averaged over every other position (tokens, samples). PD-Quant's prediction difference, and
    what llama.cpp users compare as KLD; it needs no labels, is 0 for the float model and grows
    as rounding moves the outputs.

    The float model's outputs are computed here, once per batch of `batches` (so call this before
    quantizing anything), and the loss_fn looks them up by the batch object: pass the same batches
    to the measurements. `inputs(batch)` gives the model's input (default: batch[0] of a tuple or
    list, else the batch itself), `forward(model, inputs)` its logits (default model(inputs)).
    Inputs move to `device` (default: the model's first parameter's) before each call, so the
    batches may stay where they are; they are still looked up by the objects given.
    """
    forward_on = forward or (lambda m, x: m(x))

    def run(m: nn.Module, x: Any) -> torch.Tensor:
        return forward_on(m, on_device(x, device or model_device(m)))
    reference: Dict[int, torch.Tensor] = {}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for batch in batches:
                reference[id(batch)] = torch.log_softmax(run(model, inputs(batch)).to(torch.float64), dim=-1)
    finally:
        model.train(was_training)

    def loss(current: nn.Module, batch: Any) -> torch.Tensor:
        log_p = reference.get(id(batch))
        if log_p is None:
            raise KeyError("kl_to_float: this batch was not among the batches given when the loss was made; pass the same batch objects to the measurements")
        log_q = torch.log_softmax(run(current, inputs(batch)).to(torch.float64), dim=-1)
        kl = (log_p.exp() * (log_p - log_q)).sum(dim=-1)
        return kl.mean()

    return loss
