"""Small timing helpers: medians and percentiles, printed as one line each."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(label: str, action: Callable[[], object], repeat: int = 1) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    print(f"{label:<56} {median * 1000:9.1f} ms  (median of {repeat})")
    return median


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<56} p50 {percentile(samples, 0.5) * 1000:7.1f} ms  "
        f"p95 {percentile(samples, 0.95) * 1000:7.1f} ms  (n={len(samples)})"
    )
