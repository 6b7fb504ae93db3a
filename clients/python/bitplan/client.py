"""The HTTP client: one method per endpoint, problem+json answers raised as BitplanError."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import requests

DEFAULT_URL = "http://localhost:8080"


class BitplanError(Exception):
    """An RFC 9457 problem the service answered: `status`, `type` (e.g. /problems/infeasible),
    `errors` (the failing fields, each with `path` and `message`) and the whole `problem` body."""

    def __init__(self, status: int, problem: Dict[str, Any]):
        self.status = status
        self.problem = problem
        self.type = problem.get("type", "about:blank")
        self.errors: List[Dict[str, str]] = problem.get("errors", [])
        lines = [f"{status} {problem.get('title', '')}: {problem.get('detail', '')}"]
        lines += [f"  {error['path']}: {error['message']}" for error in self.errors]
        super().__init__("\n".join(lines))

    @property
    def infeasible(self) -> bool:
        """The budgets cannot be met (`problem['budgets']` says what each could reach)."""
        return self.type == "/problems/infeasible"


class Client:
    """bitplan over HTTP.

    url: the service; default the BITPLAN_URL environment variable, else http://localhost:8080.
    timeout: seconds to wait for one answer (a plan's own limit is solver.timeLimitMs).
    token: a bearer token, for a service started with API_TOKENS; default BITPLAN_TOKEN.
    """

    def __init__(self, url: Optional[str] = None, timeout: float = 120.0, token: Optional[str] = None):
        self.url = (url or os.environ.get("BITPLAN_URL") or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()
        token = token or os.environ.get("BITPLAN_TOKEN")
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        """Closes the connections the client keeps open (also on leaving a `with` block)."""
        self._session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None, format: Optional[str] = None) -> Any:
        params = {"format": format} if format else None
        response = self._session.request(method, self.url + path, json=body, params=params, timeout=self.timeout)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"title": response.reason, "detail": response.text[:500]}
            raise BitplanError(response.status_code, problem)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    # The catalog.
    def health(self) -> Dict[str, Any]:
        return self._call("GET", "/healthz")

    def seeds(self) -> List[Dict[str, Any]]:
        """The built-in models (name, description, source)."""
        return self._call("GET", "/v1/seeds")["seeds"]

    def seed(self, name: str) -> Dict[str, Any]:
        """One built-in model with its descriptor (`model`) and published configurations."""
        return self._call("GET", f"/v1/seeds/{name}")

    def hardware(self) -> List[Dict[str, Any]]:
        """The built-in hardware profiles, each figure with its source."""
        return self._call("GET", "/v1/hardware")["hardware"]

    def targets(self) -> List[Dict[str, Any]]:
        """The runtimes a plan can be made for (`target=` of plan and frontier): the checkpoints each
        reads, what each reader runs and the layers it fuses, with sources."""
        return self._call("GET", "/v1/targets")["targets"]

    def formats(self) -> List[Dict[str, Any]]:
        """The numeric formats a candidate can name."""
        return self._call("GET", "/v1/formats")["formats"]

    # Planning.
    def plan(self, *, format: Optional[str] = None, **request: Any) -> Any:
        """POST /v1/plans with the request's fields as keywords (model or seed, budgets,
        candidates, hardware, target, objective, evidence, robust, solver, ...).

        format: None answers the Plan (a dict); hawq, modelopt, llama-cpp, llm-compressor, gptq,
        autoround or csv an export (text). With target= (e.g. "vllm") the plan keeps to what that
        runtime runs and fuses, and an export is checked against the runtime that reads it.
        """
        return self._call("POST", "/v1/plans", _present(request), format)

    def frontier(self, *, format: Optional[str] = None, **request: Any) -> Any:
        """POST /v1/frontiers (axis, points or all, budgets, ...); format csv or svg for text."""
        return self._call("POST", "/v1/frontiers", _present(request), format)


def apply(frontier: Dict[str, Any], index: int) -> Dict[str, str]:
    """The candidate of every layer at frontier point `index` ({layer name: candidate})."""
    point = frontier["points"][index]
    return {layer: frontier["candidates"][c] for layer, c in zip(frontier["layers"], point["assignment"])}


def choice(plan: Dict[str, Any]) -> Dict[str, str]:
    """The candidate of every layer of a plan ({layer name: candidate})."""
    return {layer["name"]: layer["candidate"] for layer in plan["layers"]}


def pinned(model: Dict[str, Any], chosen: Dict[str, str]) -> Dict[str, Any]:
    """A copy of the descriptor `model` with every layer pinned to its candidate in `chosen`
    (for an export of a frontier point)."""
    layers = []
    for layer in model["layers"]:
        layer = dict(layer)
        candidate = chosen[layer["name"]]
        layer["pin"] = candidate
        if "candidates" in layer and candidate not in layer["candidates"]:
            layer["candidates"] = [*layer["candidates"], candidate]
        layers.append(layer)
    return {**model, "layers": layers}


def _present(request: Dict[str, Any]) -> Dict[str, Any]:
    # None means "not given": the service's defaults apply.
    return {key: value for key, value in request.items() if value is not None}
