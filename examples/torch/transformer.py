"""What a bitplan plan is worth on a small transformer, measured.

Trains a two-block transformer encoder (nn.TransformerEncoderLayer, so nn.MultiheadAttention
with its packed in_proj_weight, and a learned positional matrix: a bare nn.Parameter) to sort
sequences of 8 tokens out of 16, then measures three kinds of evidence with bitplan.torch, each
timed: single-layer loss changes of the cross-entropy, single-layer loss changes of the KL
divergence from the float model (bt.kl_to_float: no labels needed), and Hutchinson traces times
exact errors. It asks a running bitplan service for weight-only plans (int2, int3, int4, int8 per
output row) at several average-bit budgets, applies each and reports test token accuracy and
loss beside uniform widths, the mean of random allocations filled to the same budget, and a
greedy allocation on the same KL evidence (from all int8, lower the layer whose next step costs
the least measured loss per saved bit while the budget is not met).

    npm start                                        # the service, in the repository
    /usr/bin/python3 examples/torch/transformer.py --seeds 0 1 2

BITPLAN_URL names another service.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from typing import Any, Dict, List, Sequence

try:
    import bitplan
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
    import bitplan

import bitplan.torch as bt
import torch
from torch import nn

from predictions import prediction_lines  # beside this script

FORMATS = ["int2", "int3", "int4", "int8"]
BITS = {f: int(f[3:]) for f in FORMATS}
VOCAB, LENGTH, WIDTH = 16, 8, 32


class Sorter(nn.Module):
    """Token and position embeddings, two encoder blocks, a linear head: logits (batch, length, vocab)."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, WIDTH)
        self.position = nn.Parameter(torch.randn(LENGTH, WIDTH) * 0.1)
        self.blocks = nn.ModuleList([nn.TransformerEncoderLayer(WIDTH, 4, dim_feedforward=64, dropout=0.0, batch_first=True) for _ in range(2)])
        self.head = nn.Linear(WIDTH, VOCAB)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens) + self.position
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def sequences(count: int, generator: torch.Generator):
    tokens = torch.randint(0, VOCAB, (count, LENGTH), generator=generator)
    return tokens, tokens.sort(dim=1).values


def train(model: nn.Module, steps: int, generator: torch.Generator) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss = nn.CrossEntropyLoss()
    model.train()
    for _ in range(steps):
        x, y = sequences(256, generator)
        optimizer.zero_grad()
        loss(model(x).reshape(-1, VOCAB), y.reshape(-1)).backward()
        optimizer.step()
    model.eval()


def evaluate(model: nn.Module, data) -> Dict[str, float]:
    x, y = data
    with torch.no_grad():
        logits = model(x)
    return {"accuracy": 100 * float((logits.argmax(-1) == y).float().mean()), "loss": float(nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1)))}


def average_bits(assignment: Dict[str, str], params: Dict[str, int]) -> float:
    return sum(params[l] * BITS[f] for l, f in assignment.items()) / sum(params.values())


def random_allocation(params: Dict[str, int], budget: float, rng: random.Random) -> Dict[str, str]:
    """Formats drawn at random, lowered at random until within the budget, then raised at random while it stays within."""
    assignment = {layer: rng.choice(FORMATS) for layer in params}
    while average_bits(assignment, params) > budget + 1e-12:
        layer = rng.choice([l for l, f in assignment.items() if f != FORMATS[0]])
        assignment[layer] = FORMATS[FORMATS.index(assignment[layer]) - 1]
    while True:
        raisable = [l for l, f in assignment.items() if f != FORMATS[-1] and average_bits({**assignment, l: FORMATS[FORMATS.index(f) + 1]}, params) <= budget + 1e-12]
        if not raisable:
            return assignment
        layer = rng.choice(raisable)
        assignment[layer] = FORMATS[FORMATS.index(assignment[layer]) + 1]


def greedy_allocation(params: Dict[str, int], deltas: Dict[str, Dict[str, Dict[str, float]]], budget: float) -> Dict[str, str]:
    """From all int8, lower the layer whose next step down adds the least measured loss per saved
    bit (loss changes clipped at 0), until the budget is met."""
    assignment = {layer: FORMATS[-1] for layer in params}
    loss = lambda layer, f: max(0.0, deltas[layer][f]["delta"])  # noqa: E731
    while average_bits(assignment, params) > budget + 1e-12:
        best = None
        for layer, f in assignment.items():
            i = FORMATS.index(f)
            if i == 0:
                continue
            lower = FORMATS[i - 1]
            cost = (loss(layer, lower) - loss(layer, f)) / (params[layer] * (BITS[f] - BITS[lower]))
            if best is None or cost < best[0]:
                best = (cost, layer, lower)
        if best is None:
            break
        assignment[best[1]] = best[2]
    return assignment


def run_seed(seed: int, args: argparse.Namespace, client: bitplan.Client) -> Dict[str, Any]:
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = Sorter()
    started = time.perf_counter()
    train(model, args.steps, generator)
    seconds: Dict[str, float] = {"train": time.perf_counter() - started}
    test = sequences(2000, generator)
    batches = [sequences(128, generator) for _ in range(3)]

    descriptor = bt.describe(model, batches[0][0][:1], name=f"sorter-seed{seed}")
    params = {layer["name"]: layer["params"] for layer in descriptor["layers"] if layer["params"] > 0}
    evidence: Dict[str, Dict[str, Any]] = {}
    timer = time.perf_counter()
    ce = bt.loss_deltas(model, bt.supervised(nn.CrossEntropyLoss()), batches, FORMATS, progress=False)
    seconds["loss deltas (cross-entropy)"] = time.perf_counter() - timer
    evidence["plan, CE loss deltas"] = bt.evidence(descriptor, deltas=ce)
    timer = time.perf_counter()
    kl_loss = bt.kl_to_float(model, batches)
    kl = bt.loss_deltas(model, kl_loss, batches, FORMATS, progress=False)
    seconds["loss deltas (KL to float)"] = time.perf_counter() - timer
    evidence["plan, KL loss deltas"] = bt.evidence(descriptor, deltas=kl)
    timer = time.perf_counter()
    noise = bt.noise_sensitivities(model, kl_loss, batches, FORMATS, seed=seed, progress=False)
    seconds["noise sensitivities (KL to float)"] = time.perf_counter() - timer
    evidence["plan, KL noise sensitivities"] = bt.evidence(descriptor, deltas=noise)
    timer = time.perf_counter()
    traces = bt.hutchinson_traces(model, bt.supervised(nn.CrossEntropyLoss()), batches, max_samples=args.trace_samples, seed=seed, progress=False)
    errors = bt.weight_errors(model, FORMATS)
    seconds["Hutchinson traces x errors"] = time.perf_counter() - timer
    import warnings as _warnings

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")  # convergence is reported below, per seed
        evidence["plan, Hessian"] = bt.evidence(descriptor, traces=traces, errors=errors)
    unconverged = sum(1 for t in traces.values() if not t["converged"])
    # Weight statistics alone (no loss side): the service minimizes the summed relative weight error.
    timer = time.perf_counter()
    evidence["plan, weightStats alone"] = bt.evidence(descriptor, stats=bt.weight_stats(model))
    seconds["weight statistics alone"] = time.perf_counter() - timer

    rows: List[Dict[str, Any]] = [{"method": "fp32", "budget": 32.0, "bits": 32.0, **evaluate(model, test)}]
    for width in ("int3", "int4"):
        rows.append({"method": f"uniform {width}", "budget": float(BITS[width]), "bits": float(BITS[width]), **evaluate(bt.quantize_weights(model, {l: width for l in params}), test)})
    rng = random.Random(seed)
    prediction: Dict[str, List[Dict[str, float]]] = {}
    for budget in args.budgets:
        for method, described in evidence.items():
            plan = client.plan(model=described, candidates=FORMATS, budgets=[{"metric": "avgBits", "max": budget}], evidence={"negativeTrace": "zero"})
            chosen = {l: c for l, c in bitplan.choice(plan).items() if l in params}
            rows.append({"method": method, "budget": budget, "bits": average_bits(chosen, params), **evaluate(bt.quantize_weights(model, plan), test)})
        greedy = greedy_allocation(params, kl, budget)
        rows.append({"method": "greedy, KL loss deltas", "budget": budget, "bits": average_bits(greedy, params), **evaluate(bt.quantize_weights(model, greedy), test)})
        randoms = [random_allocation(params, budget, rng) for _ in range(args.random)]
        scores = [evaluate(bt.quantize_weights(model, r), test) for r in randoms]
        # How well each evidence predicts a whole allocation's KL on the calibration batches (summed over layers).
        for allocation in randoms:
            quantized = bt.quantize_weights(model, allocation)
            with torch.no_grad():
                real = statistics.mean(float(kl_loss(quantized, batch)) for batch in batches)
            for kind, measured in (("KL loss deltas", kl), ("KL noise sensitivities", noise)):
                predicted = sum(measured[layer][width]["delta"] for layer, width in allocation.items())
                prediction.setdefault(kind, []).append({"budget": budget, "real": real, "predicted": predicted})
        rows.append({"method": f"random x{args.random}", "budget": budget, "bits": statistics.mean(average_bits(r, params) for r in randoms), "accuracy": statistics.mean(s["accuracy"] for s in scores), "loss": statistics.mean(s["loss"] for s in scores)})
    return {"seed": seed, "rows": rows, "seconds": seconds, "layers": len(descriptor["layers"]), "unconvergedTraces": unconverged, "prediction": prediction}


def summarize(results: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    keyed: Dict[tuple, List[Dict[str, Any]]] = {}
    for result in results:
        for row in result["rows"]:
            keyed.setdefault((row["budget"], row["method"]), []).append(row)
    out = []
    for (budget, method), rows in keyed.items():
        stderr = lambda values: statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0  # noqa: E731
        accuracy, loss = [r["accuracy"] for r in rows], [r["loss"] for r in rows]
        out.append({"budget": budget, "method": method, "bits": statistics.mean(r["bits"] for r in rows), "accuracy": statistics.mean(accuracy), "accuracyStdErr": stderr(accuracy), "loss": statistics.mean(loss), "lossStdErr": stderr(loss)})
    return sorted(out, key=lambda r: (r["budget"], r["method"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[3.0, 3.5, 4.0, 5.0], help="average weight bits")
    parser.add_argument("--steps", type=int, default=400, help="training steps")
    parser.add_argument("--random", type=int, default=10, help="random allocations per budget")
    parser.add_argument("--trace-samples", type=int, default=100, help="most Hutchinson samples a layer")
    parser.add_argument("--json", help="write every measurement here")
    args = parser.parse_args(argv)
    client = bitplan.Client()
    results = [run_seed(seed, args, client) for seed in args.seeds]
    if args.json:
        with open(args.json, "w", encoding="utf8") as file:
            json.dump(results, file, indent=1)
    print(f"{results[0]['layers']} planned layers; seeds {args.seeds}")
    print("| budget (avg bits) | method | bits | test token accuracy % | test loss |")
    print("| --- | --- | --- | --- | --- |")
    for row in summarize(results):
        print(f"| {row['budget']:g} | {row['method']} | {row['bits']:.2f} | {row['accuracy']:.1f} +- {row['accuracyStdErr']:.1f} | {row['loss']:.3f} +- {row['lossStdErr']:.3f} |")
    for kind in results[0]["seconds"]:
        print(f"{kind}: {statistics.mean(r['seconds'][kind] for r in results):.2f} s a seed (mean)")
    print(f"traces not at 5% relative standard error: {[r['unconvergedTraces'] for r in results]} of {results[0]['layers']} layers per seed")
    print("KL of the random allocations on the calibration batches, predicted by summing each layer's evidence:")
    for line in prediction_lines(results, ("KL loss deltas", "KL noise sensitivities")):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
