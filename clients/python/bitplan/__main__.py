"""python -m bitplan --seed resnet18-hawq-v3 --budget sizeBytes:0.5

Plans a built-in model and prints each layer's candidate; exits 2 when the budgets cannot be met,
1 on any other error the service answers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional

from .client import BitplanError, Client


def _budget(text: str) -> Dict[str, Any]:
    # metric<=value is an absolute limit, metric:fraction a relative one.
    if "<=" in text:
        metric, value = text.split("<=", 1)
        return {"metric": metric.strip(), "max": float(value)}
    metric, value = text.split(":", 1)
    return {"metric": metric.strip(), "fraction": float(value)}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bitplan", description="Plan a built-in model with a bitplan service.")
    parser.add_argument("--server", help="the service (default BITPLAN_URL, else http://localhost:8080)")
    parser.add_argument("--seed", required=True)
    parser.add_argument("--budget", action="append", default=[], help="metric<=value or metric:fraction")
    parser.add_argument("--hardware")
    args = parser.parse_args(argv)
    client = Client(args.server)
    try:
        plan = client.plan(seed=args.seed, hardware=args.hardware, budgets=[_budget(b) for b in args.budget])
    except BitplanError as error:
        print(error, file=sys.stderr)
        return 2 if error.infeasible else 1
    print(json.dumps({"status": plan["status"], "objective": plan["objective"], "totals": plan["totals"]}, indent=2))
    for layer in plan["layers"]:
        print(f"{layer['name']:40s} {layer['candidate']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
