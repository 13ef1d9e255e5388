"""What the video-room bench's modules share: its paths and the summary of timings."""

from __future__ import annotations

import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
SCRATCH_DB = OUT / "meetings.sqlite3"


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "min_ms": round(ordered[0], 1), "max_ms": round(ordered[-1], 1)}
