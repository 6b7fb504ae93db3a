"""bitplan.torch: measure a PyTorch model's evidence for bitplan.

    import bitplan, bitplan.torch as bt
    descriptor = bt.describe(model, example_inputs)                    # layers, params, MACs
    traces = bt.hutchinson_traces(model, bt.supervised(nn.CrossEntropyLoss()), batches)
    errors = bt.weight_errors(model, ["int2", "int3", "int4", "int8"])  # ||Q(W) - W||^2
    descriptor = bt.evidence(descriptor, traces=traces, errors=errors)
    # or measured loss changes, and pairwise interactions among the most sensitive layers:
    #   deltas = bt.loss_deltas(model, loss, batches, formats)
    #   pairs = bt.pair_deltas(model, loss, batches, ["int2", "int3", "int4"], top=4 * layers)
    #   descriptor = bt.evidence(descriptor, deltas=deltas, interactions=pairs)
    plan = bitplan.Client().plan(model=descriptor, candidates=["int2", "int3", "int4", "int8"],
                                 budgets=[{"metric": "avgBits", "max": 4.0}])
    quantized = bt.quantize_weights(model, plan)

Every measurement carries its standard error, so that the service can tell evidence from noise
(a trace within 3 standard errors of 0, loss changes that grow with precision).

Layers are the Conv1d/2d/3d, Linear and Embedding modules, named by their qualified names
(`model.named_modules()`). The default quantizer is symmetric per output channel for `intB`
(scale = the row's absolute maximum / (2^(B-1) - 1), round to nearest) and per group of N along
the input for `intB-gN`; `fp16`, `bf16` and `fp32` are casts. Any other format needs
`quantizer(weight, format) -> tensor`, which every function here takes.
"""

from __future__ import annotations

import copy
import math
import re
import warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import torch
from torch import nn

QUANTIZABLE = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear, nn.Embedding)
WIDE_FLOATS = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}

Quantizer = Callable[[torch.Tensor, str], torch.Tensor]
LossFn = Callable[[nn.Module, Any], torch.Tensor]


def supervised(criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> LossFn:
    """The loss_fn of (inputs, targets) batches: criterion(model(inputs), targets)."""
    return lambda model, batch: criterion(model(batch[0]), batch[1])


# ----------------------------------------------------------------------------------------------
# Layers


def quantizable_layers(model: nn.Module) -> List[Tuple[str, nn.Module]]:
    """(qualified name, module) of every Conv/Linear/Embedding module, in registration order."""
    return [(name, module) for name, module in model.named_modules() if isinstance(module, QUANTIZABLE) and name]


def _owners(model: nn.Module) -> Dict[str, str]:
    """Layer name -> the name of the first layer holding its weight tensor (itself unless shared)."""
    first: Dict[int, str] = {}
    owners = {}
    for name, module in quantizable_layers(model):
        owners[name] = first.setdefault(id(module.weight), name)
    return owners


_OPS = {nn.Conv1d: "conv1d", nn.Conv2d: "conv2d", nn.Conv3d: "conv3d", nn.Linear: "linear", nn.Embedding: "embedding"}


def _op(module: nn.Module) -> str:
    return _OPS.get(type(module), type(module).__name__.lower())


def _dot_length(module: nn.Module) -> int:
    """Terms of each output element's dot product."""
    if isinstance(module, nn.Linear):
        return module.in_features
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        return (module.in_channels // module.groups) * math.prod(module.kernel_size)
    return 0


def _row_length(module: nn.Module) -> int:
    """Elements of one row of the stored weight (its last axis once flattened per output), the
    length a block or group size must divide (inFeatures): a Linear's in_features, a conv's
    in_channels / groups x kernel elements, an embedding's dimension."""
    if isinstance(module, nn.Embedding):
        return module.embedding_dim
    return _dot_length(module)


def _precision(model: nn.Module) -> str:
    dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    return {torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16"}.get(dtype, "fp32")


def describe(
    model: nn.Module,
    example_inputs: Union[torch.Tensor, Sequence[Any]],
    formats: Optional[Sequence[str]] = None,
    name: Optional[str] = None,
) -> Dict[str, Any]:
    """The ModelDescriptor of `model`: one layer per Conv/Linear/Embedding module with `params`
    (weight and bias elements), and `macs` and `activationElements` per sample measured by
    forward hooks on one run of `example_inputs` (a tensor or a tuple of arguments, whose first
    dimension is the batch), and `inFeatures`, the weight's row length (for runtime targets'
    block and group sizes). A module called twice counts twice. Modules sharing one weight
    tensor are tied in `groups`; the weight's elements count once, on the first of them.
    `formats` become every layer's `candidates` when given. `precision` is the parameters' dtype.
    """
    args = (example_inputs,) if isinstance(example_inputs, torch.Tensor) else tuple(example_inputs)
    batch = next((a.shape[0] for a in args if isinstance(a, torch.Tensor) and a.dim() > 0), 1)
    layers = quantizable_layers(model)
    counts = {layer: {"macs": 0, "activationElements": 0} for layer, _ in layers}

    def hook(layer: str, module: nn.Module):
        def record(_module: nn.Module, inputs: Tuple[Any, ...], output: torch.Tensor) -> None:
            out = output.numel()
            counts[layer]["macs"] += out * _dot_length(module)
            # An embedding reads indices, not activations: only its output counts.
            read = 0 if isinstance(module, nn.Embedding) else sum(t.numel() for t in inputs if isinstance(t, torch.Tensor))
            counts[layer]["activationElements"] += read + out

        return record

    handles = [module.register_forward_hook(hook(layer, module)) for layer, module in layers]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(*args)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()

    owners = _owners(model)
    described = []
    for layer, module in layers:
        bias = module.bias.numel() if getattr(module, "bias", None) is not None else 0
        weight = module.weight.numel() if owners[layer] == layer else 0
        entry: Dict[str, Any] = {
            "name": layer,
            "op": _op(module),
            "params": weight + bias,
            "macs": counts[layer]["macs"] / batch,
            "activationElements": counts[layer]["activationElements"] / batch,
        }
        if _dot_length(module):
            entry["dotProductLength"] = _dot_length(module)
        if _row_length(module):
            entry["inFeatures"] = _row_length(module)
        if formats:
            entry["candidates"] = list(formats)
        described.append(entry)

    groups: Dict[str, List[str]] = {}
    for layer, owner in owners.items():
        groups.setdefault(owner, []).append(layer)
    descriptor: Dict[str, Any] = {"name": name or type(model).__name__, "precision": _precision(model), "layers": described}
    tied = [members for members in groups.values() if len(members) > 1]
    if tied:
        descriptor["groups"] = tied
    return descriptor


# ----------------------------------------------------------------------------------------------
# Quantization


_INTEGER = re.compile(r"^int(\d+)(?:-g(\d+))?$")


def weight_format(candidate: str) -> str:
    """The weight format of a candidate id: `int4/int8` -> int4, `int4-g128` -> int4-g128."""
    return candidate.split("/", 1)[0]


def quantize_tensor(weight: torch.Tensor, format: str) -> torch.Tensor:
    """The default quantizer: `weight` rounded to `format` (see the module's description)."""
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
        # Groups of `group` along the input; a last partial group is padded with zeros, which
        # change no group's maximum.
        padded = -(-columns // group) * group
        rows = torch.nn.functional.pad(rows, (0, padded - columns)).reshape(rows.shape[0], padded // group, group)
    scale = rows.abs().amax(dim=-1, keepdim=True) / levels
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    quantized = torch.clamp(torch.round(rows / scale), -levels, levels) * scale
    if group:
        quantized = quantized.reshape(quantized.shape[0], -1)[:, :columns]
    return quantized.reshape(weight.shape).to(weight.dtype)


def weight_errors(
    model: nn.Module,
    formats: Sequence[str],
    quantizer: Optional[Quantizer] = None,
    layers: Optional[Iterable[str]] = None,
) -> Dict[str, Dict[str, float]]:
    """Per layer and weight format, the exact squared quantization error ||Q(W) - W||^2 of the
    layer's weight (the `perturbation` HAWQ multiplies by the mean trace). Layers sharing a
    weight with an earlier one are left out: their evidence is the owner's."""
    quantize = quantizer or quantize_tensor
    chosen = set(layers) if layers is not None else None
    owners = _owners(model)
    errors: Dict[str, Dict[str, float]] = {}
    for layer, module in quantizable_layers(model):
        if owners[layer] != layer or (chosen is not None and layer not in chosen):
            continue
        weight = module.weight.detach()
        errors[layer] = {f: float(((quantize(weight, f).to(torch.float64) - weight.to(torch.float64)) ** 2).sum()) for f in formats}
    return errors


def quantize_weights(model: nn.Module, plan: Union[Mapping[str, Any], Mapping[str, str]], quantizer: Optional[Quantizer] = None) -> nn.Module:
    """A copy of `model` whose layers' weights are rounded to the plan's weight formats with the
    same quantizer as weight_errors (fake quantization: the copy computes in its own dtype).
    `plan` is a Plan answered by the service or {layer name: candidate}. Activations are not
    quantized: a candidate with an integer or low-precision activation format is warned."""
    chosen: Dict[str, str] = {layer["name"]: layer["candidate"] for layer in plan["layers"]} if "layers" in plan else dict(plan)  # type: ignore[index]
    quantize = quantizer or quantize_tensor
    copied = copy.deepcopy(model)
    modules = dict(quantizable_layers(copied))
    unknown = sorted(set(chosen) - set(modules))
    if unknown:
        raise KeyError(f"the plan names layers the model does not have: {', '.join(unknown[:5])}")
    activations = sorted({c.split("/", 1)[1] for c in chosen.values() if "/" in c and c.split("/", 1)[1] not in WIDE_FLOATS})
    if activations:
        warnings.warn(f"quantize_weights rounds weights only; activation formats {', '.join(activations)} are not simulated", stacklevel=2)
    done: Dict[int, str] = {}
    with torch.no_grad():
        for layer, candidate in chosen.items():
            weight = modules[layer].weight
            format = weight_format(candidate)
            if id(weight) in done:
                if done[id(weight)] != format:
                    raise ValueError(f"layer {layer} shares its weight with a layer planned as {done[id(weight)]}, not {format}: tie them (model.groups)")
                continue
            weight.copy_(quantize(weight, format))
            done[id(weight)] = format
    return copied


# ----------------------------------------------------------------------------------------------
# Curvature and measured loss changes


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
) -> Dict[str, Dict[str, float]]:
    """Per layer, the mean Hessian trace Tr(H)/n of the loss with respect to the layer's weight
    (n its elements; HAWQ-V2/V3's sensitivity), by Hutchinson's estimator: Tr(H) = E[v^T H v]
    over Rademacher vectors v, Hv by double backpropagation.

    Sample k uses batches[k % len(batches)], so that the estimate averages over the data as well
    as over v, and its standard error counts both. A layer stops being sampled once its relative
    standard error is at most `rel_stderr` (after `min_samples`), or at `max_samples`.
    loss_fn(model, batch) returns a scalar loss (see `supervised`). The model is evaluated in
    eval mode (batch norm and dropout fixed) and left as it was.

    Returns {layer: {"trace": Tr(H)/n, "stderr": its standard error, "samples": k}}.
    """
    chosen = set(layers) if layers is not None else None
    owners = _owners(model)
    weights = {layer: module.weight for layer, module in quantizable_layers(model) if owners[layer] == layer and (chosen is None or layer in chosen)}
    sums = {layer: [0.0, 0.0, 0] for layer in weights}
    generator = torch.Generator().manual_seed(seed)
    active = list(weights)
    was_training = model.training
    model.eval()
    try:
        for k in range(max_samples):
            if not active:
                break
            params = [weights[layer] for layer in active]
            loss = loss_fn(model, batches[k % len(batches)])
            gradients = torch.autograd.grad(loss, params, create_graph=True)
            vectors = [(torch.randint(0, 2, p.shape, generator=generator) * 2 - 1).to(device=p.device, dtype=p.dtype) for p in params]
            products = torch.autograd.grad(sum((g * v).sum() for g, v in zip(gradients, vectors)), params)
            for layer, v, hv in zip(active, vectors, products):
                z = float((v * hv).sum())
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
        model.train(was_training)
    result = {}
    for layer, weight in weights.items():
        mean, stderr = _mean_stderr(*sums[layer])
        n = weight.numel()
        result[layer] = {"trace": mean / n, "stderr": stderr / n, "samples": sums[layer][2]}
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
) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Per layer and weight format, the measured loss change when only that layer's weight is
    rounded (Hubara et al.; AIMET's and MCT's per-layer sensitivity): the mean over batches of
    loss(quantized) - loss(model), and its standard error across batches (paired, so that the
    batches' own difficulty cancels). The keys are weight-only candidate ids (`int4`).

    Returns {layer: {format: {"delta": mean, "stderr": standard error}}}; with one batch the
    standard error is left out.
    """
    quantize = quantizer or quantize_tensor
    chosen = set(layers) if layers is not None else None
    owners = _owners(model)
    was_training = model.training
    model.eval()
    result: Dict[str, Dict[str, Dict[str, float]]] = {}
    try:
        with torch.no_grad():
            base = _batch_losses(model, loss_fn, batches)
            for layer, module in quantizable_layers(model):
                if owners[layer] != layer or (chosen is not None and layer not in chosen):
                    continue
                original = module.weight.detach().clone()
                result[layer] = {}
                for format in formats:
                    module.weight.copy_(quantize(original, format))
                    differences = [loss - b for loss, b in zip(_batch_losses(model, loss_fn, batches), base)]
                    mean, stderr = _mean_stderr(sum(differences), sum(d * d for d in differences), len(differences))
                    result[layer][format] = {"delta": mean, **({"stderr": stderr} if len(differences) > 1 else {})}
                module.weight.copy_(original)
    finally:
        model.train(was_training)
    return result


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
    ("int2|int3"; candidate ids such as "int4/int8" are quantized by their weight format).

    Returns [{"layers": [a, b], "delta": {"x|y": mean}, "stdErr": {"x|y": standard error}}],
    stdErr left out with one batch; pairs in order of their score, best first. Layers sharing a
    tied weight are measured once, on the weight's first layer.
    """
    if top is not None and top < 1:
        raise ValueError("top must be at least 1")
    if screen is not None and not 0 <= screen <= 1:
        raise ValueError("screen must be between 0 and 1: a share of the best pair's score")
    quantize = quantizer or quantize_tensor
    owners = _owners(model)
    modules = {layer: module for layer, module in quantizable_layers(model) if owners[layer] == layer}
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
                    raise KeyError(f"{layer} is not a quantizable layer owning its weight (see quantizable_layers; tied layers are measured on the first)")
            if a == b:
                raise ValueError(f"a pair of {a} with itself")
            wanted.append((a, b))
    involved = sorted({layer for pair in wanted for layer in pair}, key=list(modules).index)
    originals = {layer: modules[layer].weight.detach().clone() for layer in involved}
    rounded = {(layer, f): quantize(originals[layer], weight_format(f)) for layer in involved for f in formats}
    was_training = model.training
    model.eval()
    measured: List[Dict[str, Any]] = []
    try:
        with torch.no_grad():
            base = _batch_losses(model, loss_fn, batches)
            single: Dict[Tuple[str, str], List[float]] = {}
            for layer in involved:
                for f in formats:
                    modules[layer].weight.copy_(rounded[layer, f])
                    single[layer, f] = _batch_losses(model, loss_fn, batches)
                modules[layer].weight.copy_(originals[layer])
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
            for a, b in scored:
                delta: Dict[str, float] = {}
                stderr: Dict[str, float] = {}
                for x in formats:
                    modules[a].weight.copy_(rounded[a, x])
                    for y in formats:
                        modules[b].weight.copy_(rounded[b, y])
                        joint = _batch_losses(model, loss_fn, batches)
                        terms = [j - sa - sb + l0 for j, sa, sb, l0 in zip(joint, single[a, x], single[b, y], base)]
                        mean, error = _mean_stderr(sum(terms), sum(t * t for t in terms), len(terms))
                        delta[f"{x}|{y}"] = mean
                        if len(terms) > 1:
                            stderr[f"{x}|{y}"] = error
                    modules[b].weight.copy_(originals[b])
                modules[a].weight.copy_(originals[a])
                measured.append({"layers": [a, b], "delta": delta, **({"stdErr": stderr} if stderr else {})})
    finally:
        for layer in involved:
            modules[layer].weight.data.copy_(originals[layer])
        model.train(was_training)
    return measured


# ----------------------------------------------------------------------------------------------
# Evidence


def evidence(
    descriptor: Dict[str, Any],
    traces: Optional[Mapping[str, Mapping[str, float]]] = None,
    errors: Optional[Mapping[str, Mapping[str, float]]] = None,
    deltas: Optional[Mapping[str, Mapping[str, Mapping[str, float]]]] = None,
    interactions: Optional[Sequence[Mapping[str, Any]]] = None,
) -> Dict[str, Any]:
    """A copy of `descriptor` with each layer's `sensitivity` filled from the measurements:
    hessianTrace and hessianTraceStdErr from hutchinson_traces, perturbation from weight_errors,
    lossDelta and lossDeltaStdErr from loss_deltas; `interactions` from pair_deltas join the
    descriptor's own (a measured pair replaces an earlier entry of the same two layers). A layer
    with no measurement (one sharing a tied weight) is left without sensitivity: its group's
    evidence scores it. Ready to POST."""
    out = copy.deepcopy(descriptor)
    for layer in out["layers"]:
        name = layer["name"]
        sensitivity: Dict[str, Any] = dict(layer.get("sensitivity", {}))
        if traces and name in traces:
            sensitivity["hessianTrace"] = traces[name]["trace"]
            if math.isfinite(traces[name]["stderr"]):
                sensitivity["hessianTraceStdErr"] = traces[name]["stderr"]
        if errors and name in errors:
            sensitivity["perturbation"] = dict(errors[name])
        if deltas and name in deltas:
            sensitivity["lossDelta"] = {f: d["delta"] for f, d in deltas[name].items()}
            stderrs = {f: d["stderr"] for f, d in deltas[name].items() if "stderr" in d and math.isfinite(d["stderr"])}
            if stderrs:
                sensitivity["lossDeltaStdErr"] = stderrs
        if sensitivity:
            layer["sensitivity"] = sensitivity
    if interactions:
        pair = lambda entry: frozenset(entry["layers"])  # noqa: E731
        given = {pair(entry) for entry in interactions}
        kept = [entry for entry in out.get("interactions", []) if pair(entry) not in given]
        out["interactions"] = kept + [copy.deepcopy(dict(entry)) for entry in interactions]
    return out
