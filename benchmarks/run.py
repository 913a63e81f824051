"""Benchmarks (not tests): time and peak memory of rendering the sample documents; writes docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import batch  # benchmarks/ is on sys.path when this script runs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "clusters.xlsx"
RUNS = 3


def run(args: list[str]) -> tuple[float, int]:
    """Return (seconds, peak RSS in MiB) of one `reportgen ARGS` run in a fresh process."""
    seconds, own, _child = batch.reportgen(*args)
    return seconds, own


def harfbuzz_subset() -> str:
    """Return whether the system's HarfBuzz subsetter is here (reportgen subsets with uharfbuzz either way)."""
    try:
        import ctypes.util

        return "yes" if ctypes.util.find_library("harfbuzz-subset") else "no"
    except Exception:
        return "unknown"


def main() -> int:
    """Measure, print and write the table."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-bench"
    out.mkdir(exist_ok=True)
    cases = {
        "brief, 145 clusters (national)": ["brief", str(SAMPLE), "-o", str(out / "brief.pdf"), "-q"],
        "brief, Upper Egypt": ["brief", str(SAMPLE), "--region", "Upper Egypt", "-o", str(out / "up.pdf"), "-q"],
        "validate, 145 clusters": ["validate", str(SAMPLE), "-q"],
    }
    load = os.getloadavg()[0]
    measured: dict[str, list[tuple[float, int]]] = {name: [] for name in cases}
    for _ in range(RUNS):  # interleaved: the machine's other load falls on every case alike
        for name, args in cases.items():
            measured[name].append(run(args))
    rows = []
    for name, results in measured.items():
        secs = [s for s, _ in results]
        rows.append((name, statistics.median(secs), min(secs), max(secs), max(m for _, m in results)))
        print(
            f"{name}: median {rows[-1][1]:.2f} s (min {rows[-1][2]:.2f}, max {rows[-1][3]:.2f}), "
            f"peak {rows[-1][4]} MiB",
            flush=True,
        )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"libharfbuzz-subset0: {harfbuzz_subset()} (reportgen subsets with uharfbuzz either way)"
    )
    table = ["| case | median (s) | min | max | peak RSS (MiB) |", "|---|---|---|---|---|"]
    table += [f"| {n} | {m:.2f} | {lo:.2f} | {hi:.2f} | {mem} |" for n, m, lo, hi, mem in rows]
    text = (
        "# Benchmarks\n\nMade by `make bench` (`benchmarks/run.py`, then `peers.py` and `batch.py`): each case "
        f"runs {RUNS} times, interleaved, as a fresh `reportgen` process (start-up included).\n\n"
        f"Machine: {machine}; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        f"(measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).\n\n" + "\n".join(table) + "\n"
    )
    if os.environ.get("BENCH_PEERS", "1") != "0":  # issue 15's table: Chromium and WeasyPrint on the same HTML
        import peers

        text += "\n" + peers.main()
    if os.environ.get("BENCH_BATCH", "1") != "0":  # BENCH_BATCH=0: the brief cases only (the batch takes long)
        import batch

        text += "\n" + batch.main()
    text += "\n" + (ROOT / "benchmarks" / "notes.md").read_text("utf-8")  # measured by hand: kept as written
    (ROOT / "docs" / "benchmarks.md").write_text(text, "utf-8")
    print(f"wrote {ROOT / 'docs' / 'benchmarks.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
