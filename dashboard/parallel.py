"""Work over many items on every core: the published edition of a large file writes thousands
of pages and images, each independent of the others.

The items are split into contiguous chunks (neighbours stay together, so a worker reuses what
it drew for the last one) and handed to worker processes started afresh ("spawn": no state of
this process, such as a library's threads, is copied into them). Each worker receives the
shared value once; the function it runs must be importable by name. Below `threshold` items,
or on one core, everything runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: list[Any] = []


def _start(work: Callable[..., Any], shared: Any) -> None:
    _SHARED[:] = [work, shared]


def _run(chunk: Sequence[Any]) -> list[Any]:
    work, shared = _SHARED
    return list(work(shared, chunk))


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_chunks(
    work: Callable[[Any, Sequence[T]], list[R]],
    shared: Any,
    items: Sequence[T],
    threshold: int = 500,
) -> list[R]:
    """`work(shared, chunk)` over every chunk of `items`, results in the items' order."""
    workers = min(cores(), 8)
    if len(items) < threshold or workers < 2:
        return list(work(shared, items))
    size = -(-len(items) // (workers * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, context, initializer=_start, initargs=(work, shared)) as pool:
        return [result for done in pool.map(_run, chunks) for result in done]
