"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> dict:
    """Run ``fn`` ``repeat`` times; return median/p95/min in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "runs": repeat,
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 3),
        "min_ms": round(samples[0], 3),
    }


def write(name: str, figures: dict, *, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    payload = {"benchmark": name, "machine": platform.platform(),
               "python": platform.python_version(), "figures": figures}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)) for r in rows)


def child_figures(module: str, *, env: dict[str, str], cwd: Path, timeout: int) -> dict:
    """Run ``python -m <module> child`` with ``env`` added to this process's environment
    (a bench that points Django at a scratch database of its own) and return the figures
    it prints as JSON on its last line; a failed child raises with its error output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", module, "child"], cwd=cwd, env={**os.environ, **env},
        capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"{module} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
