"""Measured sensitivities: Hessian traces, single-layer loss changes and pairwise terms."""

from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from .activations import InputQuantizer, warn_unsimulable
from .distributed import gathered, share
from .journal import Journal
from .layers import owning_slots
from .losses import LossFn
from .progress import Meter, Progress
from .quantizers import Quantizer, rounded, weight_format


def _mean_stderr(total: float, squares: float, count: int) -> Tuple[float, float]:
    mean = total / count
    if count < 2:
        return mean, math.inf
    variance = max(0.0, (squares - count * mean * mean) / (count - 1))
    return mean, math.sqrt(variance / count)


def hutchinson_traces(
    model: nn.Module,
    loss_fn: LossFn,
    batches: Sequence[Any],
    rel_stderr: float = 0.05,
    max_samples: int = 200,
    min_samples: int = 10,
    seed: int = 0,
    layers: Optional[Iterable[str]] = None,
    progress: Progress = True,
    resume: Optional[str] = None,
) -> Dict[str, Dict[str, Any]]:
    """Per layer, the mean Hessian trace Tr(H)/n of the loss with respect to the layer's weight
    (n its elements; HAWQ-V2/V3's sensitivity), by Hutchinson's estimator: Tr(H) = E[v^T H v]
    over Rademacher vectors v, Hv by double backpropagation.

    Sample k uses batches[k % len(batches)], so that the estimate averages over the data as well
    as over v, and its standard error counts both. A layer stops being sampled once its relative
    standard error is at most `rel_stderr` (after `min_samples`), or at `max_samples`.
    loss_fn(model, batch) returns a scalar loss (see `supervised`). The model is evaluated in
    eval mode (batch norm and dropout fixed) and left as it was.

    Returns {layer: {"trace": Tr(H)/n, "stderr": its standard error, "samples": k, "converged":
    whether the relative standard error reached rel_stderr}}; `evidence` warns of the layers that
    did not. Far from a minimum a trace can be negative beyond its noise (the Hessian is
    indefinite there): measure loss changes instead. A progress bar goes to stderr unless
    `progress=False`. With `resume=PATH` each sample's products are written there as they are
    measured, and a run given the same path replays them and samples only the rest (journal.py),
    so a run stopped early, or one given a larger `max_samples`, goes on where it left off.
    """
    weights = {slot.name: slot.weight for slot in owning_slots(model, layers)}
    journal = Journal(resume, {"measure": "hutchinson_traces", "seed": seed, "batches": len(batches), "rel_stderr": rel_stderr, "min_samples": min_samples, "layers": [[name, list(w.shape)] for name, w in weights.items()]})
    sums = {layer: [0.0, 0.0, 0] for layer in weights}
    generator = torch.Generator().manual_seed(seed)
    active = list(weights)
    was_training = model.training
    model.eval()
    meter = Meter(max_samples, "hutchinson_traces", progress, unit="sample")
    try:
        for k in range(max_samples):
            if not active:
                break
            meter.update(1, f"{len(active)} layers still sampling")
            params = [weights[layer] for layer in active]
            kept = journal.get(f"sample|{k}")
            if kept is not None:
                # The vectors are drawn again, unused, so that the generator stands where the measured run left it.
                for p in params:
                    torch.randint(0, 2, p.shape, generator=generator)
                measured = [kept[layer] for layer in active]
            else:
                loss = loss_fn(model, batches[k % len(batches)])
                gradients = torch.autograd.grad(loss, params, create_graph=True)
                vectors = [(torch.randint(0, 2, p.shape, generator=generator) * 2 - 1).to(device=p.device, dtype=p.dtype) for p in params]
                products = torch.autograd.grad(sum((g * v).sum() for g, v in zip(gradients, vectors)), params)
                measured = [float((v * hv).sum()) for v, hv in zip(vectors, products)]
                journal.put(f"sample|{k}", dict(zip(active, measured)))
            for layer, z in zip(active, measured):
                sums[layer][0] += z
                sums[layer][1] += z * z
                sums[layer][2] += 1
            still = []
            for layer in active:
                mean, stderr = _mean_stderr(*sums[layer])
                if sums[layer][2] < min_samples or stderr > rel_stderr * abs(mean):
                    still.append(layer)
            active = still
    finally:
        meter.close()
        journal.close()
        model.train(was_training)
    result: Dict[str, Dict[str, Any]] = {}
    for layer, weight in weights.items():
        mean, stderr = _mean_stderr(*sums[layer])
        n = weight.numel()
        converged = sums[layer][2] >= min_samples and stderr <= rel_stderr * abs(mean)
        result[layer] = {"trace": mean / n, "stderr": stderr / n, "samples": sums[layer][2], "converged": converged, "target": rel_stderr}
    return result


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _batch_losses(model: nn.Module, loss_fn: LossFn, batches: Sequence[Any]) -> List[float]:
    return [float(loss_fn(model, batch)) for batch in batches]


def loss_deltas(
    model: nn.Module,
    loss_fn: LossFn,
    batches: Sequence[Any],
    formats: Sequence[str],
    quantizer: Optional[Quantizer] = None,
    layers: Optional[Iterable[str]] = None,
    progress: Progress = True,
    percentile: Optional[float] = None,
    resume: Optional[str] = None,
) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Per layer and candidate, the measured loss change when only that layer is rounded (Hubara et al.; AIMET's and MCT's per-layer sensitivity): the mean over batches of
    loss(quantized) - loss(model), and its standard error across batches (paired, so that the
    batches' own difficulty cancels). The keys are the formats as given: weight-only candidate
    ids (`int4`) round the weight; `W/A` ids (`int4/int8`, `fp8-e4m3/fp8-e4m3`) also round the
    layer's input to A with a range calibrated on the batches (activations.py; `percentile`
    clips it), one more pass over the batches.

    Returns {layer: {format: {"delta": mean, "stderr": standard error}}}; with one batch the
    standard error is left out. loss_fn may be any loss, kl_to_float's included. A progress bar
    goes to stderr unless `progress=False`. Under torch.distributed each rank measures its share
    of the (layer, format) grid and every rank returns the whole (see distributed). With
    `resume=PATH` each result is written there as it is measured, and a run given the same path
    measures only what is missing (journal.py).
    """
    measured = owning_slots(model, layers)
    was_training = model.training
    model.eval()
    cells = share([(slot, format) for slot in measured for format in formats])
    local: Dict[Tuple[str, str], Dict[str, float]] = {}
    journal = Journal(resume, {"measure": "loss_deltas", "formats": list(formats), "batches": len(batches), "percentile": percentile, "layers": [[slot.name, list(slot.weight.shape)] for slot in measured]})
    for slot, format in cells:
        kept = journal.get(f"{slot.name}|{format}")
        if kept is not None:
            local[slot.name, format] = kept
    cells = [(slot, format) for slot, format in cells if (slot.name, format) not in local]
    meter = Meter(len(cells), "loss_deltas", progress)
    try:
        with torch.no_grad():
            base = _batch_losses(model, loss_fn, batches)
            inputs = InputQuantizer(model, loss_fn, batches, measured, formats, percentile)
            warn_unsimulable(inputs.skipped)
            for slot, format in cells:
                original = slot.weight.detach().clone()
                try:
                    slot.weight.copy_(rounded(slot, original, weight_format(format), quantizer))
                    with inputs.applied({slot.name: format}):
                        differences = [loss - b for loss, b in zip(_batch_losses(model, loss_fn, batches), base)]
                finally:
                    slot.weight.copy_(original)
                mean, stderr = _mean_stderr(sum(differences), sum(d * d for d in differences), len(differences))
                local[slot.name, format] = {"delta": mean, **({"stderr": stderr} if len(differences) > 1 else {})}
                journal.put(f"{slot.name}|{format}", local[slot.name, format])
                meter.update()
    finally:
        meter.close()
        journal.close()
        model.train(was_training)
    every = gathered(local)
    return {slot.name: {format: every[slot.name, format] for format in formats} for slot in measured}


PairSpec = Union[str, Sequence[Tuple[str, str]]]


def pair_deltas(
    model: nn.Module,
    loss_fn: LossFn,
    batches: Sequence[Any],
    formats: Sequence[str],
    pairs: PairSpec = "all",
    top: Optional[int] = None,
    screen: Optional[float] = None,
    quantizer: Optional[Quantizer] = None,
    layers: Optional[Iterable[str]] = None,
    progress: Progress = True,
    percentile: Optional[float] = None,
    resume: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """Measured pairwise interaction terms ("Augmenting Hessians with Inter-Layer Dependencies";
    CLADO), ready for the descriptor's `interactions`: for layers a, b and formats x, y,

        t(x, y) = L(a at x and b at y) - L(a at x) - L(b at y) + L(float)

    per calibration batch (paired, so that each batch's own difficulty cancels), its mean over
    batches and standard error across them. t > 0: the two roundings hurt more together than the
    sum of their single-layer losses says; bitplan adds t to a plan choosing x for a and y for b.

    Which pairs: `pairs` is "all" (every two layers) or a list of (a, b) names. The single-layer
    losses are measured first (layers x formats passes); a pair's screening score is
    sqrt(m_a x m_b), m the layer's largest single-layer loss increase over `formats` (the terms
    measured on the digits CNN scaled with the two layers' own losses). `screen` (0..1) keeps the
    pairs scoring at least that share of the best pair's score; `top` keeps the `top` best. Each
    kept pair costs len(formats)^2 passes over the batches, so `top` a small multiple of the
    layer count keeps the cost near linear in the layers. The keys are the formats as given
    ("int2|int3"); a candidate id "W/A" rounds the weight to W and the layer's input to A
    (activations.py), as in loss_deltas.

    Returns [{"layers": [a, b], "delta": {"x|y": mean}, "stdErr": {"x|y": standard error}}],
    stdErr left out with one batch; pairs in order of their score, best first. Layers sharing a
    tied weight are measured once, on the weight's first layer. Under torch.distributed the
    single layers and then the pairs are shared among the ranks, and every rank returns the whole.
    With `resume=PATH` each single-layer result and each pair is written there as it is measured,
    and a run given the same path measures only what is missing (journal.py); `top` and `screen`
    may change between runs, as a pair's terms do not depend on them.
    """
    if top is not None and top < 1:
        raise ValueError("top must be at least 1")
    if screen is not None and not 0 <= screen <= 1:
        raise ValueError("screen must be between 0 and 1: a share of the best pair's score")
    modules = {slot.name: slot for slot in owning_slots(model)}
    chosen = set(layers) if layers is not None else None
    if pairs == "all":
        names = [layer for layer in modules if chosen is None or layer in chosen]
        wanted = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    elif isinstance(pairs, str):
        raise ValueError(f'pairs is "all" or a list of (layer, layer) names, not {pairs!r}')
    else:
        wanted = []
        for a, b in pairs:
            for layer in (a, b):
                if layer not in modules:
                    raise KeyError(f"{layer} is not a planned layer owning its weight (see planned_weights; tied layers are measured on the first)")
            if a == b:
                raise ValueError(f"a pair of {a} with itself")
            wanted.append((a, b))
    involved = sorted({layer for pair in wanted for layer in pair}, key=list(modules).index)
    originals = {layer: modules[layer].weight.detach().clone() for layer in involved}
    quantized = {(layer, f): rounded(modules[layer], originals[layer], weight_format(f), quantizer) for layer in involved for f in formats}
    was_training = model.training
    model.eval()
    measured: List[Dict[str, Any]] = []
    journal = Journal(resume, {"measure": "pair_deltas", "formats": list(formats), "batches": len(batches), "percentile": percentile, "layers": [[layer, list(modules[layer].weight.shape)] for layer in involved]})
    mine: Dict[Tuple[str, str], List[float]] = {}
    cells = []
    for layer, f in share([(layer, f) for layer in involved for f in formats]):
        kept = journal.get(f"single|{layer}|{f}")
        if kept is not None:
            mine[layer, f] = kept
        else:
            cells.append((layer, f))
    meter = Meter(len(cells), "pair_deltas: single layers", progress)
    try:
        with torch.no_grad():
            base = _batch_losses(model, loss_fn, batches)
            inputs = InputQuantizer(model, loss_fn, batches, [modules[layer] for layer in involved], formats, percentile)
            warn_unsimulable(inputs.skipped)
            for layer, f in cells:
                modules[layer].weight.copy_(quantized[layer, f])
                with inputs.applied({layer: f}):
                    mine[layer, f] = _batch_losses(model, loss_fn, batches)
                modules[layer].weight.copy_(originals[layer])
                journal.put(f"single|{layer}|{f}", mine[layer, f])
                meter.update()
            meter.close()
            single = gathered(mine)
            base_mean = _mean(base)
            largest = {layer: max(0.0, *(_mean(single[layer, f]) - base_mean for f in formats)) for layer in involved}

            def score(pair: Tuple[str, str]) -> float:
                return math.sqrt(largest[pair[0]] * largest[pair[1]])

            scored = sorted(wanted, key=lambda pair: -score(pair))
            if screen is not None and scored:
                best = score(scored[0])
                scored = [pair for pair in scored if score(pair) >= screen * best]
            if top is not None:
                scored = scored[:top]
            by_pair: Dict[Tuple[str, str], Dict[str, Any]] = {}
            assigned = []
            for a, b in share(scored):
                kept = journal.get(f"pair|{a}|{b}")
                if kept is not None:
                    by_pair[a, b] = kept
                else:
                    assigned.append((a, b))
            meter = Meter(len(assigned) * len(formats) ** 2, "pair_deltas: pairs", progress)
            for a, b in assigned:
                delta: Dict[str, float] = {}
                stderr: Dict[str, float] = {}
                for x in formats:
                    modules[a].weight.copy_(quantized[a, x])
                    for y in formats:
                        modules[b].weight.copy_(quantized[b, y])
                        with inputs.applied({a: x, b: y}):
                            joint = _batch_losses(model, loss_fn, batches)
                        terms = [j - sa - sb + l0 for j, sa, sb, l0 in zip(joint, single[a, x], single[b, y], base)]
                        mean, error = _mean_stderr(sum(terms), sum(t * t for t in terms), len(terms))
                        delta[f"{x}|{y}"] = mean
                        meter.update()
                        if len(terms) > 1:
                            stderr[f"{x}|{y}"] = error
                    modules[b].weight.copy_(originals[b])
                modules[a].weight.copy_(originals[a])
                by_pair[a, b] = {"layers": [a, b], "delta": delta, **({"stdErr": stderr} if stderr else {})}
                journal.put(f"pair|{a}|{b}", by_pair[a, b])
            every = gathered(by_pair)
            measured = [every[pair] for pair in scored]
    finally:
        meter.close()
        journal.close()
        for layer in involved:
            modules[layer].weight.data.copy_(originals[layer])
        model.train(was_training)
    return measured
