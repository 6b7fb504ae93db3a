"""A small Python client for the bitplan service (needs only `requests`).

    from bitplan_client import Bitplan
    bp = Bitplan("http://localhost:8080")
    plan = bp.plan(seed="resnet18-hawq-v3", budgets=[{"metric": "sizeBytes", "fraction": 0.5}])
    frontier = bp.frontier(seed="resnet18-hawq-v3", axis="sizeBytes", points=30)
    chosen = bp.apply(frontier, frontier["knee"])            # {layer name: candidate}
    config = bp.plan(model=bp.pinned(bp.seed("resnet18-hawq-v3")["model"], chosen), format="hawq")

Errors come back as BitplanError with the HTTP status and the RFC 9457 problem body.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import requests


class BitplanError(Exception):
    """A problem+json answer: `status`, `problem` (the body) and its `errors` list."""

    def __init__(self, status: int, problem: dict[str, Any]):
        self.status = status
        self.problem = problem
        self.errors = problem.get("errors", [])
        lines = [f"{status} {problem.get('title', '')}: {problem.get('detail', '')}"]
        lines += [f"  {e['path']}: {e['message']}" for e in self.errors]
        super().__init__("\n".join(lines))

    @property
    def infeasible(self) -> bool:
        return self.problem.get("type") == "/problems/infeasible"


class Bitplan:
    def __init__(self, base_url: str = "http://localhost:8080", timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def _call(self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None) -> Any:
        response = self.session.request(method, self.base_url + path, json=body, params=params, timeout=self.timeout)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:500]}
            raise BitplanError(response.status_code, problem)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    # Catalog
    def health(self) -> dict[str, Any]:
        return self._call("GET", "/healthz")

    def seeds(self) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/seeds")["seeds"]

    def seed(self, name: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/seeds/{name}")

    def hardware(self) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/hardware")["hardware"]

    def formats(self) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/formats")["formats"]

    # Planning
    def plan(self, *, format: str | None = None, **request: Any) -> Any:
        """POST /v1/plans with the request fields as keywords (seed or model, budgets, ...).
        format: None for the Plan (a dict), or hawq, modelopt, llama-cpp, csv for an export (text)."""
        params = {"format": format} if format else None
        return self._call("POST", "/v1/plans", _clean(request), params)

    def frontier(self, *, format: str | None = None, **request: Any) -> Any:
        """POST /v1/frontiers (axis, points, budgets, ...); format csv or svg for text."""
        params = {"format": format} if format else None
        return self._call("POST", "/v1/frontiers", _clean(request), params)

    @staticmethod
    def apply(frontier: dict[str, Any], index: int) -> dict[str, str]:
        """The candidate of every layer at frontier point `index`."""
        point = frontier["points"][index]
        return {layer: frontier["candidates"][c] for layer, c in zip(frontier["layers"], point["assignment"])}

    @staticmethod
    def pinned(model: dict[str, Any], choice: dict[str, str]) -> dict[str, Any]:
        """A copy of `model` with every layer pinned to its candidate in `choice`, ready to export."""
        layers = []
        for layer in model["layers"]:
            layer = dict(layer)
            candidate = choice[layer["name"]]
            layer["pin"] = candidate
            if "candidates" in layer and candidate not in layer["candidates"]:
                layer["candidates"] = [*layer["candidates"], candidate]
            layers.append(layer)
        return {**model, "layers": layers}


def _clean(request: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in request.items() if value is not None}


def _budget(text: str) -> dict[str, Any]:
    if "<=" in text:
        metric, value = text.split("<=", 1)
        return {"metric": metric.strip(), "max": float(value)}
    metric, value = text.split(":", 1)
    return {"metric": metric.strip(), "fraction": float(value)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plan a seed model with a bitplan server.")
    parser.add_argument("--server", default="http://localhost:8080")
    parser.add_argument("--seed", required=True)
    parser.add_argument("--budget", action="append", default=[], help="metric<=value or metric:fraction")
    parser.add_argument("--hardware")
    args = parser.parse_args(argv)
    client = Bitplan(args.server)
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
