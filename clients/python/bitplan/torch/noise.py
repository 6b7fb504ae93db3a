"""Loss changes predicted from one noise measurement per layer (the linearity theorem).

Malinovskii et al. 2024, "Pushing the Limits of Large Language Model Quantization via the
Linearity Theorem" (HIGGS, https://arxiv.org/abs/2411.17525): at small errors the loss change
of quantizing layer l is close to alpha_l * t_l, where t_l = ||Q(W_l) - W_l||^2 / ||W_l||^2 is
the layer's relative squared weight error. alpha_l is measured once per layer by adding Gaussian
noise of a few relative magnitudes to that layer alone; t_l of every format comes from the
weights alone. So every candidate gets a loss change at O(layers) evaluations of the model
instead of loss_deltas' O(layers x formats). The assumption is additivity at small errors: the
prediction is worst for 2-bit formats (relative errors of 0.1 and more), where the loss is far
from linear in the error.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Optional, Sequence

import torch
from torch import nn

from .activations import InputQuantizer, activation_format, warn_unsimulable
from .distributed import gathered, share
from .journal import Journal
from .layers import owning_slots, planned_weights
from .losses import LossFn
from .progress import Meter, Progress
from .quantizers import Quantizer, weight_errors, weight_format

#: The largest noise magnitude: the layer's largest format error, up to this. The fit is made
#: where the loss visibly moves: on the digits CNN (examples/torch/digits.py) the loss is flat
#: below relative errors of 0.05, and magnitudes capped there gave alphas of the sign of noise
#: and plans 8-20 accuracy points worse; spanning up to the int2 errors (0.3-0.6) planned as
#: well as loss_deltas. Small errors are then predicted from a slope measured at large ones.
MAGNITUDE_MAX = 1.0


def relative_errors(model: nn.Module, formats: Sequence[str], quantizer: Optional[Quantizer] = None, layers: Optional[Iterable[str]] = None) -> Dict[str, Dict[str, float]]:
    """Per layer and format (a candidate counts by its weight format), t = ||Q(W) - W||^2 / ||W||^2:
    weight_errors over the weight's own squared norm."""
    squared = weight_errors(model, list(dict.fromkeys(weight_format(f) for f in formats)), quantizer, layers)
    out: Dict[str, Dict[str, float]] = {}
    for slot in owning_slots(model, layers):
        norm = float((slot.weight.detach().to(torch.float64) ** 2).sum())
        out[slot.name] = {f: squared[slot.name][weight_format(f)] / norm if norm > 0 else 0.0 for f in formats}
    return out


#: The smallest noise magnitude is the largest over this: smaller ones (an int8 grid's 1e-5) move
#: the loss less than the batches' own noise, and a fit through them gives alpha the sign of noise.
MAGNITUDE_SPAN = 16


def _magnitudes(errors: Dict[str, float], count: int) -> List[float]:
    """Noise magnitudes over the upper part of the layer's formats' relative errors."""
    positive = sorted(t for t in errors.values() if t > 0)
    if not positive:
        return [1e-4] * count
    high = min(positive[-1], MAGNITUDE_MAX)
    low = high / MAGNITUDE_SPAN
    if count == 1 or high <= low:
        return [math.sqrt(low * high)] * count
    return [low * (high / low) ** (i / (count - 1)) for i in range(count)]


def noise_sensitivities(
    model: nn.Module,
    loss_fn: LossFn,
    batches: Sequence[Any],
    formats: Sequence[str],
    magnitudes: Optional[Sequence[float]] = None,
    points: int = 3,
    quantizer: Optional[Quantizer] = None,
    layers: Optional[Iterable[str]] = None,
    seed: int = 0,
    progress: Progress = True,
    percentile: Optional[float] = None,
    resume: Optional[str] = None,
) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Per layer and weight format, the loss change predicted by the linearity theorem: alpha_l
    (the loss increase per unit of relative squared weight error, fitted through the origin to
    `points` noise injections into that layer alone, each antithetic: the mean of W + E and W - E)
    times the format's relative error t.

    Noise magnitudes (relative squared errors) are `magnitudes` when given, else `points` values
    spread geometrically from its largest format's relative error (at most MAGNITUDE_MAX) down
    by MAGNITUDE_SPAN. Each injection is Gaussian with variance t ||W||^2 / n, the realized
    relative error is the one fitted, and every batch is paired with the unquantized loss.

    Returns loss_deltas' shape, {layer: {format: {"delta", "stderr", "alpha", "alphaStdErr",
    "relativeError"}}}, so that evidence(descriptor, deltas=...) takes it; stderr is alpha's
    standard error (from the fit's residuals and the batches' spread) times t. The noise of each
    layer is drawn from `seed` and the layer's place, so that under torch.distributed (each rank
    measuring its share of the layers) every rank returns what one process would.

    A candidate with an activation format ("int4/int8") adds the measured loss change of rounding
    only the layer's input to that format (activations.py; one pass per layer and distinct
    activation format), assuming the two add up; its standard error joins alpha's in quadrature.
    With `resume=PATH` each layer's result is written there as it is measured and reused by a
    run given the same path (journal.py).
    """
    errors = relative_errors(model, formats, quantizer, layers)
    slots = {slot.name: slot for slot in planned_weights(model)}
    order = list(errors)
    place = {name: i for i, name in enumerate(order)}
    journal = Journal(resume, {"measure": "noise_sensitivities", "formats": list(formats), "batches": len(batches), "seed": seed, "points": points, "magnitudes": list(magnitudes) if magnitudes else None, "percentile": percentile, "layers": [[name, list(slots[name].weight.shape)] for name in order]})
    assigned = share(order)
    result: Dict[str, Dict[str, Dict[str, float]]] = {name: journal.get(name) for name in assigned if journal.get(name) is not None}
    assigned = [name for name in assigned if name not in result]
    was_training = model.training
    model.eval()
    meter = Meter(len(assigned) * (len(magnitudes) if magnitudes else points), "noise_sensitivities", progress)
    try:
        with torch.no_grad():
            base = [float(loss_fn(model, batch)) for batch in batches]
            inputs = InputQuantizer(model, loss_fn, batches, [slots[name] for name in order], formats, percentile)
            warn_unsimulable(inputs.skipped)
            activations = sorted({a for a in (activation_format(f) for f in formats) if a})
            for name in assigned:
                layer_errors = errors[name]
                generator = torch.Generator().manual_seed(seed * 1_000_003 + place[name])
                slot = slots[name]
                original = slot.weight.detach().clone()
                norm = float((original.to(torch.float64) ** 2).sum())
                fitted_t: List[float] = []
                fitted_d: List[float] = []
                spreads: List[float] = []
                try:
                    _inject(slot, original, norm, magnitudes or _magnitudes(layer_errors, points), generator, model, loss_fn, batches, base, fitted_t, fitted_d, spreads, meter)
                finally:
                    slot.weight.copy_(original)
                alpha, alpha_stderr = _through_origin(fitted_t, fitted_d, spreads)
                # The input's own rounding, weights untouched: measured once per activation format.
                input_deltas: Dict[str, tuple] = {}
                for activation in activations if name in inputs.ranges else []:
                    with inputs.applied({name: f"input/{activation}"}):
                        differences = [float(loss_fn(model, batch)) - b for batch, b in zip(batches, base)]
                    mean = sum(differences) / len(differences)
                    spread = math.sqrt(sum((d - mean) ** 2 for d in differences) / (len(differences) - 1) / len(differences)) if len(differences) > 1 else 0.0
                    input_deltas[activation] = (mean, spread)
                result[name] = {}
                for f, t in layer_errors.items():
                    extra, extra_stderr = input_deltas.get(activation_format(f) or "", (0.0, 0.0))
                    entry = {"delta": alpha * t + extra, "stderr": math.sqrt((alpha_stderr * t) ** 2 + extra_stderr**2), "alpha": alpha, "alphaStdErr": alpha_stderr, "relativeError": t}
                    if activation_format(f) and activation_format(f) in input_deltas:
                        entry["inputDelta"] = extra
                    result[name][f] = entry
                journal.put(name, result[name])
    finally:
        meter.close()
        journal.close()
        model.train(was_training)
    every = gathered(result)
    return {name: every[name] for name in order}


def _inject(slot, original, norm, targets, generator, model, loss_fn, batches, base, fitted_t, fitted_d, spreads, meter) -> None:
    """One antithetic noise injection per target magnitude into `slot`: the realized relative
    errors, the mean loss changes and their spreads appended to the lists."""
    for target in targets:
        sigma = math.sqrt(target * norm / original.numel()) if norm > 0 else target
        noise = torch.randn(original.shape, generator=generator, dtype=torch.float64) * sigma
        # Antithetic: W + E and W - E. The gradient's term g.E, of random sign and of order
        # sqrt(t), cancels; what is left grows as t, which is alpha's.
        sides = []
        for sign in (1.0, -1.0):
            slot.weight.copy_((original.to(torch.float64) + sign * noise).to(original.dtype))
            sides.append([float(loss_fn(model, batch)) for batch in batches])
        realized = float(((slot.weight.detach().to(torch.float64) - original.to(torch.float64)) ** 2).sum()) / norm if norm > 0 else 0.0
        differences = [(plus + minus) / 2 - b for plus, minus, b in zip(sides[0], sides[1], base)]
        mean = sum(differences) / len(differences)
        fitted_t.append(realized)
        fitted_d.append(mean)
        if len(differences) > 1:
            spreads.append(sum((d - mean) ** 2 for d in differences) / (len(differences) - 1) / len(differences))
        meter.update()


def _through_origin(t: List[float], d: List[float], spreads: List[float]):
    """alpha = sum(t d) / sum(t^2) and its standard error: from the residuals when there are
    two points or more, never below what the batches' own spread gives."""
    tt = sum(x * x for x in t)
    if tt <= 0:
        return 0.0, math.inf
    alpha = sum(x * y for x, y in zip(t, d)) / tt
    residual = math.sqrt(sum((y - alpha * x) ** 2 for x, y in zip(t, d)) / (len(t) - 1) / tt) if len(t) > 1 else math.inf
    # Each point's own noise (the batches' spread of its mean) through the fit's weights t / sum(t^2).
    batch = math.sqrt(sum(x * x * s for x, s in zip(t, spreads)) / (tt * tt)) if len(spreads) == len(t) else 0.0
    return alpha, max(residual, batch) if math.isfinite(residual) else batch if batch > 0 else math.inf
