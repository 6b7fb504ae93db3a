"""How well summed per-layer evidence predicts a whole allocation's loss change (both examples)."""

from __future__ import annotations

import statistics
from typing import Any, Dict, List, Sequence


def prediction_lines(results: Sequence[Dict[str, Any]], kinds: Sequence[str]) -> List[str]:
    """Per evidence kind, the median |predicted - real| / |real| over every seed's allocations and
    the correlation of predicted with real; results[i]["prediction"][kind] lists {real, predicted}."""
    lines = []
    width = max(len(kind) for kind in kinds)
    for kind in kinds:
        pairs = [p for result in results for p in result["prediction"].get(kind, [])]
        if not pairs:
            continue
        errors = sorted(abs(p["predicted"] - p["real"]) / abs(p["real"]) for p in pairs if p["real"])
        real, predicted = [p["real"] for p in pairs], [p["predicted"] for p in pairs]
        correlation = statistics.correlation(real, predicted) if len(pairs) > 2 and len(set(real)) > 1 and len(set(predicted)) > 1 else float("nan")
        lines.append(f"  {kind:{width}s} median relative error {statistics.median(errors):.2f} over {len(pairs)} allocations; correlation {correlation:.2f}")
    return lines
