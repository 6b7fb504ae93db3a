"""Measurements spread over the processes of torch.distributed (torchrun, any backend).

When a process group is initialized, each rank measures its share of a measurement's grid
(layer x format, layers, pairs) and the results are gathered to every rank, so that every rank
returns what one process would (the same numbers: each cell is measured from the unquantized
model, and noise is seeded per layer). Without a process group everything runs here. A model
sharded by the user (device maps, tensor parallelism) works unchanged: a measurement only calls
the model.
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple, TypeVar

import torch

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def world() -> Tuple[int, int]:
    """(rank, world size) of the initialized process group, else (0, 1)."""
    distributed = torch.distributed
    if distributed.is_available() and distributed.is_initialized():
        return distributed.get_rank(), distributed.get_world_size()
    return 0, 1


def share(items: Sequence[T]) -> List[T]:
    """This rank's items: every world-size-th, from its rank (interleaved, so that ranks get alike work)."""
    rank, size = world()
    return list(items[rank::size])


def gathered(local: Dict[K, V]) -> Dict[K, V]:
    """Every rank's results, merged, on every rank (all_gather_object; one dict per rank)."""
    _, size = world()
    if size == 1:
        return dict(local)
    parts: List[Dict[K, V]] = [{} for _ in range(size)]
    torch.distributed.all_gather_object(parts, local)
    merged: Dict[K, V] = {}
    for part in parts:
        merged.update(part)
    return merged
