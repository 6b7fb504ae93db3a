"""What a bitplan plan is worth on a real (small) model, measured.

Trains a 10-layer CNN on scikit-learn's 8x8 digits with a fixed seed, measures its evidence with
bitplan.torch (Hutchinson traces with standard errors, exact per-channel ||Q(W)-W||^2, measured
single-layer loss changes), asks a running bitplan service for weight-only plans (int2..int8 per
output channel) at several average bit budgets, applies each plan and reports test accuracy and
loss beside uniform int3/int4/int5 and the mean of random allocations (int3..int8, no int2) filled
to the same budget. At the pair budgets it also measures the pairwise interaction terms of every
two layers (bt.pair_deltas) and compares, with and without int2, the additive plans with the
pairwise plan and with the best of its 5 best alternatives by measured calibration loss.

    npm start                                   # the service, in the repository
    /usr/bin/python3 examples/torch/digits.py   # Debian's python3-torch and python3-sklearn
    /usr/bin/python3 examples/torch/digits.py --seeds 0 1 2 --negative keep clip cap --json results.json

BITPLAN_URL names another service. About a minute a seed on two cores.
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
from sklearn.datasets import load_digits
from torch import nn

from predictions import prediction_lines  # beside this script

FORMATS = ["int2", "int3", "int4", "int5", "int6", "int7", "int8"]
BITS = {f: int(f[3:]) for f in FORMATS}


class DigitsCNN(nn.Module):
    """Seven convolutions and three linear layers, narrow enough that 3-bit weights cost accuracy
    (the first convolution has 72 weights). BatchNorm stays in floating point, as if folded into
    each output channel's scale."""

    def __init__(self) -> None:
        super().__init__()

        def conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.BatchNorm2d(cout), nn.ReLU())

        self.features = nn.Sequential(conv(1, 8), conv(8, 8), conv(8, 16, 2), conv(16, 16), conv(16, 16), conv(16, 32, 2), conv(32, 32))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def split(seed: int, test: int = 450, calibration: int = 300):
    """Train, calibration and test sets of the digits, shuffled by the seed."""
    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    x, y = x[order], y[order]
    return (x[test + calibration :], y[test + calibration :]), (x[test : test + calibration], y[test : test + calibration]), (x[:test], y[:test])


def train(model: nn.Module, data, epochs: int, seed: int) -> None:
    x, y = data
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        for batch in torch.randperm(len(y), generator=generator).split(64):
            optimizer.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            optimizer.step()
    model.eval()


def evaluate(model: nn.Module, data) -> Dict[str, float]:
    x, y = data
    with torch.no_grad():
        logits = model(x)
    return {"accuracy": float((logits.argmax(1) == y).float().mean()), "loss": float(nn.functional.cross_entropy(logits, y))}


def average_bits(assignment: Dict[str, str], params: Dict[str, int]) -> float:
    return sum(params[l] * BITS[f] for l, f in assignment.items()) / sum(params.values())


def random_allocation(params: Dict[str, int], budget: float, rng: random.Random) -> Dict[str, str]:
    """int3..int8 drawn at random, lowered at random until within the budget, then raised at
    random while it stays within: a random allocation of the same size."""
    widths = [f for f in FORMATS if f != "int2"]
    assignment = {layer: rng.choice(widths) for layer in params}
    while average_bits(assignment, params) > budget + 1e-12:
        layer = rng.choice([l for l, f in assignment.items() if f != widths[0]])
        assignment[layer] = widths[widths.index(assignment[layer]) - 1]
    while True:
        raisable = [l for l, f in assignment.items() if f != widths[-1] and average_bits({**assignment, l: widths[widths.index(f) + 1]}, params) <= budget + 1e-12]
        if not raisable:
            return assignment
        layer = rng.choice(raisable)
        assignment[layer] = widths[widths.index(assignment[layer]) + 1]


def run_seed(seed: int, args: argparse.Namespace, client: bitplan.Client) -> Dict[str, Any]:
    torch.manual_seed(seed)
    started = time.perf_counter()
    training, calibration, test = split(seed)
    model = DigitsCNN()
    train(model, training, args.epochs, seed)
    trained_s = time.perf_counter() - started

    # Evidence: calibration batches of 100, traces to 5% relative standard error.
    batches = list(zip(calibration[0].split(100), calibration[1].split(100)))
    loss_fn = bt.supervised(nn.CrossEntropyLoss())
    descriptor = bt.describe(model, calibration[0][:1], name=f"digits-cnn-seed{seed}")
    timer = time.perf_counter()
    traces = bt.hutchinson_traces(model, loss_fn, batches, rel_stderr=0.05, max_samples=args.trace_samples, seed=seed)
    errors = bt.weight_errors(model, FORMATS)
    traces_s = time.perf_counter() - timer
    timer = time.perf_counter()
    deltas = bt.loss_deltas(model, loss_fn, batches, FORMATS)
    deltas_s = time.perf_counter() - timer
    timer = time.perf_counter()
    noise = bt.noise_sensitivities(model, loss_fn, batches, FORMATS, seed=seed, progress=False)
    noise_s = time.perf_counter() - timer
    hessian = bt.evidence(descriptor, traces=traces, errors=errors)
    # Weight statistics: the traces beside perturbations the service estimates from absMax and rms.
    timer = time.perf_counter()
    stats = bt.weight_stats(model)
    estimated = bt.evidence(descriptor, traces=traces, stats=stats)
    stats_s = time.perf_counter() - timer
    # Weight statistics alone (no loss side): the service minimizes the summed relative weight error.
    alone = bt.evidence(descriptor, stats=stats)
    measured = bt.evidence(descriptor, deltas=deltas)
    linear = bt.evidence(descriptor, deltas=noise)
    params = {layer["name"]: layer["params"] for layer in descriptor["layers"]}
    measured_s = time.perf_counter() - started - trained_s

    rows: List[Dict[str, Any]] = [{"method": "fp32", "budget": 32.0, "bits": 32.0, **evaluate(model, test)}]
    for width in ("int3", "int4", "int5"):
        uniform = {layer: width for layer in params}
        rows.append({"method": f"uniform {width}", "budget": float(BITS[width]), "bits": float(BITS[width]), **evaluate(bt.quantize_weights(model, uniform), test)})
    rng = random.Random(seed)
    warnings: Dict[str, List[str]] = {}
    prediction: Dict[str, List[Dict[str, float]]] = {}
    for budget in args.budgets:
        for method, described in (("plan, Hessian", hessian), ("plan, Hessian x weightStats", estimated), ("plan, weightStats alone", alone), ("plan, loss deltas", measured), ("plan, noise sensitivities", linear)):
            plan = client.plan(model=described, candidates=FORMATS, budgets=[{"metric": "avgBits", "max": budget}])
            assert plan["status"] == "optimal", plan["status"]
            chosen = bitplan.choice(plan)
            bits = average_bits(chosen, params)
            assert bits <= budget + 1e-9 and abs(plan["totals"]["avgBits"] - bits) < 1e-9, (bits, budget)
            warnings[f"{method} {budget}"] = plan["warnings"]
            rows.append({"method": method, "budget": budget, "bits": bits, "assignment": chosen, **evaluate(bt.quantize_weights(model, plan), test)})
        randoms = [random_allocation(params, budget, rng) for _ in range(args.random)]
        scores = [evaluate(bt.quantize_weights(model, r), test) for r in randoms]
        # How well each evidence predicts a whole plan's calibration loss change (summed over layers).
        base_loss = evaluate(model, calibration)["loss"]
        for allocation in randoms:
            real = evaluate(bt.quantize_weights(model, allocation), calibration)["loss"] - base_loss
            for kind, measured_deltas in (("loss deltas", deltas), ("noise sensitivities", noise)):
                predicted = sum(measured_deltas[layer][width]["delta"] for layer, width in allocation.items())
                prediction.setdefault(kind, []).append({"budget": budget, "real": real, "predicted": predicted})
        rows.append({
            "method": f"random x{args.random}",
            "budget": budget,
            "bits": statistics.mean(average_bits(r, params) for r in randoms),
            "accuracy": statistics.mean(s["accuracy"] for s in scores),
            "loss": statistics.mean(s["loss"] for s in scores),
        })
    weight_activation = weight_activation_rows(model, descriptor, loss_fn, batches, test, client) if args.weight_activation else []
    pair_s = 0.0
    if args.pair_budgets:
        pair_started = time.perf_counter()
        pairs = bt.pair_deltas(model, loss_fn, batches, args.pair_formats)
        pair_s = time.perf_counter() - pair_started
        rows += pairwise_rows(model, descriptor, deltas, hessian, pairs, calibration, test, params, args, client, warnings)
    noisy = sum(1 for layer in deltas.values() for d in layer.values() if d["delta"] < 0)
    return {
        "seed": seed,
        "rows": rows,
        "warnings": warnings,
        "traces": traces,
        "negativeLossDeltas": noisy,
        "prediction": prediction,
        "weightActivation": weight_activation,
        "seconds": {"train": trained_s, "evidence": measured_s, "traces x errors": traces_s, "loss deltas": deltas_s, "noise sensitivities": noise_s, "weight statistics": stats_s, "pairs": pair_s, "total": time.perf_counter() - started},
    }


WEIGHT_ACTIVATION = ["int4/int4", "int4/int8", "int8/int8"]


def weight_activation_rows(model, descriptor, loss_fn, batches, test, client) -> List[Dict[str, Any]]:
    """Weight/activation plans (int4/int4, int4/int8, int8/int8, activations simulated) under a
    BOPs budget at uniform W8A8's, at uniform W4A8's and halfway, beside those two uniform
    models; every model evaluated with weights and inputs quantized (bt.quantize)."""
    timer = time.perf_counter()
    deltas = bt.loss_deltas(model, loss_fn, batches, WEIGHT_ACTIVATION, progress=False)
    measured_s = time.perf_counter() - timer
    described = bt.evidence(descriptor, deltas=deltas)
    rows: List[Dict[str, Any]] = []
    uniform_bops = {}
    for name, candidate in (("uniform W8A8", "int8/int8"), ("uniform W4A8", "int4/int8")):
        assignment = {layer["name"]: candidate for layer in descriptor["layers"]}
        priced = client.plan(model={**described, "layers": [{**layer, "pin": candidate} for layer in described["layers"]]}, candidates=[candidate], budgets=[])
        uniform_bops[candidate] = priced["totals"]["bops"]
        rows.append({"method": name, "bops": priced["totals"]["bops"], **evaluate(bt.quantize(model, assignment, loss_fn, batches), test)})
    high, low = uniform_bops["int8/int8"], uniform_bops["int4/int8"]
    for label, limit in (("at W8A8's BOPs", high), ("halfway", (high + low) / 2), ("at W4A8's BOPs", low)):
        plan = client.plan(model=described, candidates=WEIGHT_ACTIVATION, budgets=[{"metric": "bops", "max": limit}])
        assert plan["totals"]["bops"] <= limit * (1 + 1e-9), (label, plan["totals"]["bops"], limit)
        chosen = bitplan.choice(plan)
        rows.append({"method": f"W/A plan {label}", "bops": plan["totals"]["bops"], "assignment": chosen, "measureSeconds": measured_s, **evaluate(bt.quantize(model, plan, loss_fn, batches), test)})
    return rows


def pairwise_rows(model, descriptor, deltas, hessian, pairs, calibration, test, params, args, client, warnings) -> List[Dict[str, Any]]:
    """At each pair budget, with and without int2: the additive plans beside the pairwise plan
    (each negative-term policy asked for) and the best of its top-5 alternatives by measured
    calibration loss (what a notebook would keep after measuring them)."""
    rows: List[Dict[str, Any]] = []
    pairwise = bt.evidence(descriptor, deltas=deltas, interactions=pairs)
    additive = bt.evidence(descriptor, deltas=deltas)
    for budget in args.pair_budgets:
        for suffix, candidates in (("", FORMATS), (", no int2", FORMATS[1:])):
            budgets = [{"metric": "avgBits", "max": budget}]
            plans = []
            if suffix:  # with int2 these are the rows above
                plans += [(f"plan, Hessian{suffix}", client.plan(model=hessian, candidates=candidates, budgets=budgets))]
                plans += [(f"plan, loss deltas{suffix}", client.plan(model=additive, candidates=candidates, budgets=budgets))]
            for policy in args.negative:
                plan = client.plan(model=pairwise, candidates=candidates, budgets=budgets, interactions={"negative": policy}, alternatives=args.alternatives)
                plans.append((f"pairwise {policy}{suffix}", plan))
                if args.alternatives < 2:
                    continue
                # The best of the k best plans by measured calibration loss.
                measured = [(evaluate(bt.quantize_weights(model, {l["name"]: l["candidate"] for l in alternative["layers"]}), calibration)["loss"], alternative) for alternative in plan["alternatives"]]
                kept = min(measured, key=lambda pair: pair[0])[1]
                chosen = {l["name"]: l["candidate"] for l in kept["layers"]}
                rows.append({"method": f"pairwise {policy}, best of {args.alternatives}{suffix}", "budget": budget, "bits": average_bits(chosen, params), "assignment": chosen, "rank": kept["rank"], **evaluate(bt.quantize_weights(model, chosen), test)})
            for method, plan in plans:
                assert plan["status"] == "optimal", (method, plan["status"])
                chosen = bitplan.choice(plan)
                bits = average_bits(chosen, params)
                assert bits <= budget + 1e-9, (method, bits, budget)
                warnings[f"{method} {budget}"] = plan["warnings"]
                row = {"method": method, "budget": budget, "bits": bits, "assignment": chosen, "solveMs": plan["solver"]["timeMs"], **evaluate(bt.quantize_weights(model, plan), test)}
                if "sensitivityParts" in plan:
                    row["predicted"] = plan["sensitivityParts"]
                    row["calibrationLossIncrease"] = evaluate(bt.quantize_weights(model, plan), calibration)["loss"] - evaluate(model, calibration)["loss"]
                rows.append(row)
    return rows


def summarize(results: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Mean and standard error over seeds of each (method, budget) row, and of its accuracy
    minus the random allocations' at the same budget and seed (paired: the seeds' own spread
    cancels)."""
    table: Dict[tuple, List[Dict[str, Any]]] = {}
    versus: Dict[tuple, List[float]] = {}
    for result in results:
        random_accuracy = {row["budget"]: row["accuracy"] for row in result["rows"] if row["method"].startswith("random")}
        for row in result["rows"]:
            table.setdefault((row["method"], row["budget"]), []).append(row)
            if row["budget"] in random_accuracy and not row["method"].startswith("random"):
                versus.setdefault((row["method"], row["budget"]), []).append(row["accuracy"] - random_accuracy[row["budget"]])

    def stat(values: List[float]):
        if not values:
            return float("nan"), float("nan")
        return statistics.mean(values), (statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else float("nan"))

    summary = []
    for (method, budget), rows in table.items():
        summary.append({
            "method": method,
            "budget": budget,
            "bits": statistics.mean(r["bits"] for r in rows),
            "accuracy": stat([r["accuracy"] for r in rows]),
            "loss": stat([r["loss"] for r in rows]),
            "versusRandom": stat(versus.get((method, budget), [])),
            "seeds": len(rows),
        })
    return sorted(summary, key=lambda r: (r["budget"], r["method"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[3.0, 3.5, 4.0, 4.5, 5.0], help="average weight bits")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--random", type=int, default=20, help="random allocations per budget")
    parser.add_argument("--trace-samples", type=int, default=300, help="most Hutchinson samples a layer")
    parser.add_argument("--pair-budgets", type=float, nargs="*", default=[3.5, 4.0], help="budgets of the pairwise plans (none: skip measuring pairs)")
    parser.add_argument("--pair-formats", nargs="+", default=FORMATS[:5], help="formats whose pairwise terms are measured (others count 0)")
    parser.add_argument("--negative", nargs="+", default=["cap"], choices=["keep", "clip", "cap"], help="policies for negative pair terms to plan with")
    parser.add_argument("--alternatives", type=int, default=5, help="k best pairwise plans to measure on the calibration set")
    parser.add_argument("--weight-activation", action=argparse.BooleanOptionalAction, default=True, help="also plan int4/int4, int4/int8, int8/int8 under BOPs budgets (activations simulated)")
    parser.add_argument("--json", help="write every measurement here")
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    with bitplan.Client() as client:
        results = [run_seed(seed, args, client) for seed in args.seeds]
    summary = summarize(results)
    print(f"test accuracy and loss over {len(results)} seed(s), mean +- standard error; vs random: accuracy minus the random allocations' (paired by seed)")
    print(f"{'method':36s} {'budget':>6s} {'bits':>5s} {'accuracy %':>16s} {'loss':>16s} {'vs random, points':>18s}")
    for row in summary:
        (acc, acc_se), (loss, loss_se), (gain, gain_se) = row["accuracy"], row["loss"], row["versusRandom"]
        versus = "" if math.isnan(gain) else f"{100 * gain:+7.1f} +- {100 * gain_se:4.1f}"
        print(f"{row['method']:36s} {row['budget']:6.1f} {row['bits']:5.2f} {100 * acc:8.1f} +- {100 * acc_se:4.1f} {loss:8.3f} +- {loss_se:5.3f} {versus:>18s}")
    for result in results:
        relative = {layer: t["stderr"] / abs(t["trace"]) if t["trace"] else math.inf for layer, t in result["traces"].items()}
        noisiest = max(relative, key=relative.get)
        print(
            f"seed {result['seed']}: {result['seconds']['total']:.0f} s (traces x errors {result['seconds']['traces x errors']:.1f} s, loss deltas {result['seconds']['loss deltas']:.1f} s, noise sensitivities {result['seconds']['noise sensitivities']:.1f} s, pairs {result['seconds']['pairs']:.0f} s); {result['negativeLossDeltas']} negative measured loss changes; "
            f"noisiest trace {noisiest}, relative standard error {relative[noisiest]:.2f} after {result['traces'][noisiest]['samples']} samples; "
            f"{sum(1 for t in result['traces'].values() if not t.get('converged', True))} of {len(result['traces'])} traces short of 5%"
        )
    if args.weight_activation:
        print("weight/activation plans (int4/int4, int4/int8, int8/int8; inputs quantized with calibrated per-tensor ranges), test accuracy over seeds:")
        methods = [row["method"] for row in results[0]["weightActivation"]]
        for method in methods:
            rows = [row for result in results for row in result["weightActivation"] if row["method"] == method]
            accuracy = [row["accuracy"] for row in rows]
            spread = statistics.stdev(accuracy) / math.sqrt(len(accuracy)) if len(accuracy) > 1 else float("nan")
            print(f"  {method:28s} BOPs {statistics.mean(row['bops'] for row in rows):.3e}   accuracy {100 * statistics.mean(accuracy):5.1f} +- {100 * spread:4.1f} %")
    print("calibration loss change of the random allocations, predicted by summing each layer's evidence (median |predicted - real| / real over seeds and allocations; correlation):")
    for line in prediction_lines(results, ("loss deltas", "noise sensitivities")):
        print(line)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"results": results, "summary": summary}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
