"""Measurements joined into a descriptor's sensitivities, with what they did not reach."""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any, Dict, Mapping, Optional, Sequence


def _listed(entries: Sequence[str]) -> str:
    return ", ".join(entries[:8]) + (f", ... ({len(entries)} in all)" if len(entries) > 8 else "")


def _warn_of_traces(traces: Mapping[str, Mapping[str, Any]]) -> None:
    unconverged = [(name, t) for name, t in traces.items() if t.get("converged") is False]
    if unconverged:
        target = unconverged[0][1].get("target")
        relative = sorted(((abs(t["stderr"] / t["trace"]) if t["trace"] else math.inf, name) for name, t in unconverged), reverse=True)
        warnings.warn(
            f"hutchinson_traces stopped before the relative standard error {target} on {len(unconverged)} of {len(traces)} layers "
            f"(worst first: {_listed([f'{name} {rel:.2g}' for rel, name in relative])}); raise max_samples, or measure loss changes "
            "(loss_deltas), which cost less here",
            stacklevel=3,
        )
    negative = [f"{name} ({-t['trace'] / t['stderr']:.1f} standard errors below 0)" for name, t in traces.items() if t["trace"] < 0 and math.isfinite(t["stderr"]) and t["trace"] < -3 * t["stderr"]]
    if negative:
        warnings.warn(
            f"negative Hessian traces beyond their noise on {_listed(negative)}: the Hessian is indefinite there (a model away from a minimum); "
            'the service refuses them unless the request sets evidence={"negativeTrace": "zero"}; loss changes (loss_deltas) do not have this problem',
            stacklevel=3,
        )


def evidence(
    descriptor: Dict[str, Any],
    traces: Optional[Mapping[str, Mapping[str, float]]] = None,
    errors: Optional[Mapping[str, Mapping[str, float]]] = None,
    deltas: Optional[Mapping[str, Mapping[str, Mapping[str, float]]]] = None,
    interactions: Optional[Sequence[Mapping[str, Any]]] = None,
    stats: Optional[Mapping[str, Mapping[str, Any]]] = None,
) -> Dict[str, Any]:
    """A copy of `descriptor` with each layer's `sensitivity` filled from the measurements:
    hessianTrace and hessianTraceStdErr from hutchinson_traces, perturbation from weight_errors,
    lossDelta and lossDeltaStdErr from loss_deltas (or noise_sensitivities), weightStats from
    weight_stats; `interactions` from pair_deltas join the
    descriptor's own (a measured pair replaces an earlier entry of the same two layers). A layer
    with no measurement (one sharing a tied weight) is left without sensitivity: its group's
    evidence scores it. Ready to POST.

    Warns of traces that did not reach their target relative standard error (naming the layers
    and their relative errors) and of traces below 0 beyond their noise, which the service
    refuses unless the request sets evidence.negativeTrace to "zero"."""
    if traces:
        _warn_of_traces(traces)
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
        if stats and name in stats:
            sensitivity["weightStats"] = dict(stats[name])
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
