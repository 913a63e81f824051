"""Benchmarks (not tests): what `make bench` runs; measures issue 15's targets in one run, writes docs/benchmarks.md.

Parts, in this order, each printing as it goes: `brief` (the sample brief and validation, 3 interleaved runs),
`peers` (the sample dossiers by reportgen, Chromium, WeasyPrint and a Dask LocalCluster: peers.py), `batch`
(145 synthetic clusters cold, re-run unchanged and after one change: batch.py) and `memory` (the brief and the
handout at 145 and 1,450 clusters: memory.py). Then a summary table of every target (figure, target, met or
not) heads docs/benchmarks.md; what follows MARKER there is written by hand and kept as it is.

  .venv/bin/python benchmarks/run.py            # the real measurement (an hour or more on a busy 2-core machine)
  BENCH_QUICK=1 ...                             # a quick look: 1 run, fewer clusters; writes no docs
  BENCH_PARTS=memory ...                        # some parts only: the others' figures are taken from their
                                                # last saved results, each part dated in the document
  BENCH_PARTS= ...                              # none: the document composed again from the saved results
Every part saves its section and targets as part-NAME.json in BENCH_OUT: by default benchmarks/results/ (committed
with docs/benchmarks.md, so that one part can be re-measured later), $TMPDIR/reportgen-bench in quick mode.
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path

QUICK = os.environ.get("BENCH_QUICK", "0") == "1"
if QUICK:  # before the parts read their settings: smaller workbooks, one run of each case
    for name, value in {
        "BENCH_RUNS": "1",
        "BENCH_REPEATS": "1",
        "BENCH_SIZES": "24",
        "BENCH_MEMORY_SIZES": "15,150",
        "BENCH_DASK": "2",
    }.items():
        os.environ.setdefault(name, value)

import batch  # noqa: E402  (benchmarks/ is on sys.path when this script runs)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "clusters.xlsx"
DOCS = ROOT / "docs" / "benchmarks.md"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PARTS = ("brief", "peers", "batch", "memory")
MARKER = "<!-- Everything above is written by `make bench` (benchmarks/run.py); below, by hand: kept as it is. -->"


def brief() -> tuple[str, list[batch.Target]]:
    """Time the sample brief (national, one region) and validation, RUNS interleaved fresh processes each."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-bench"
    out.mkdir(exist_ok=True)
    cases = {
        "brief, 145 clusters (national)": ["brief", str(SAMPLE), "-o", str(out / "brief.pdf"), "-q"],
        "brief, Upper Egypt": ["brief", str(SAMPLE), "--region", "Upper Egypt", "-o", str(out / "up.pdf"), "-q"],
        "validate, 145 clusters": ["validate", str(SAMPLE), "-q"],
    }
    load = os.getloadavg()[0]
    measured: dict[str, list[tuple[float, int, int]]] = {name: [] for name in cases}
    for _ in range(RUNS):  # interleaved: the machine's other load falls on every case alike
        for name, args in cases.items():
            measured[name].append(batch.reportgen(*args))
    table = [
        "| case | median (s) | min | max | reportgen peak (MiB) | worker peak (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for name, results in measured.items():
        secs = [s for s, _, _ in results]
        row = (statistics.median(secs), min(secs), max(secs), max(m for _, m, _ in results))
        worker = max(w for _, _, w in results) or "–"
        print(f"{name}: median {row[0]:.2f} s (min {row[1]:.2f}, max {row[2]:.2f}), peak {row[3]} MiB", flush=True)
        table.append(f"| {name} | {row[0]:.2f} | {row[1]:.2f} | {row[2]:.2f} | {row[3]} | {worker} |")
    text = (
        f"## The sample workbook (`benchmarks/run.py`)\n\nEach case {RUNS} times, interleaved, as a fresh "
        f"`reportgen` process (start-up included). Load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end.\n\n" + "\n".join(table) + "\n"
    )
    return text, []


def run_part(name: str, run: float) -> dict:
    """Run one part of the run started at run; return (and save) its section, targets, times and load averages."""
    print(f"\n=== {name} ({time.strftime('%H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f})", flush=True)
    started, load = time.time(), os.getloadavg()[0]
    if name == "brief":
        text, targets = brief()
    else:
        text, targets = importlib.import_module(name).main()
    part = {
        "name": name,
        "run": run,
        "markdown": text,
        "targets": [asdict(t) for t in targets],
        "started": started,
        "ended": time.time(),
        "load": [load, os.getloadavg()[0]],
        "quick": QUICK,
    }
    saved = out_folder() / f"part-{name}.json"
    saved.write_text(json.dumps(part, ensure_ascii=False, indent=1), "utf-8")
    return part


def out_folder() -> Path:
    """Return the folder of the parts' saved results (and of a quick run's document)."""
    quick = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-bench"
    folder = Path(os.environ.get("BENCH_OUT") or (quick if QUICK else ROOT / "benchmarks" / "results"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _when(part: dict) -> str:
    start, end = (time.strftime("%Y-%m-%d %H:%M", time.gmtime(part["started"])), time.gmtime(part["ended"]))
    return f"{start}–{time.strftime('%H:%M', end)} UTC, load {part['load'][0]:.1f} → {part['load'][1]:.1f}"


def summary(parts: list[dict]) -> str:
    """Return the head of docs/benchmarks.md: how and when it was measured, and every target in one table."""
    rows = ["| what | measured | target | met? | part |", "|---|---|---|---|---|"]
    for part in parts:
        for t in [batch.Target(**d) for d in part["targets"]]:
            rows.append(f"| {t.what} | {t.figure} | {t.target} | {t.verdict} | {part['name']} |")
    last = max(p["run"] for p in parts)
    runs = "\n".join(
        f"- `{p['name']}`: {_when(p)}{'' if p['run'] == last else ' (saved from an earlier run)'}"
        + (" — **quick mode**" if p["quick"] else "")
        for p in parts
    )
    missing = [name for name in PARTS if name not in {p["name"] for p in parts}]
    runs += "".join(f"\n- `{name}`: **not measured** (not run, no saved results)" for name in missing)
    start, end = min(p["started"] for p in parts), max(p["ended"] for p in parts)
    return (
        "# Benchmarks\n\n"
        f"Made by `make bench` (`benchmarks/run.py`: its parts `brief`, `peers.py`, `batch.py` and `memory.py`, "
        f"in that order) from {time.strftime('%Y-%m-%d %H:%M', time.gmtime(start))} to "
        f"{time.strftime('%H:%M UTC', time.gmtime(end))}. Each case runs as a fresh process (start-up "
        f"included), {RUNS} interleaved run{'s' if RUNS > 1 else ''} of each, medians. "
        f"Machine: {batch.machine()}. The machine is shared with other sessions: the load average (1 minute) "
        "is given for every part, and per case in the peers' table; read medians, CPU seconds and ratios rather "
        "than single wall times. Benchmarks are never tests: no test asserts a time.\n\n"
        + runs
        + "\n\n## Issue 15's targets\n\n"
        + "\n".join(rows)
        + "\n"
    )


def hand_written(text: str) -> str:
    """Return what follows MARKER in the document's text (the notes written by hand); ValueError without it."""
    if MARKER not in text:
        raise ValueError(f"{DOCS.relative_to(ROOT)} has lost its line {MARKER!r}: put it back above the notes")
    return text.partition(MARKER)[2].lstrip("\n")


def document(parts: list[dict], by_hand: str | None) -> str:
    """Return the document: the summary, each part's section, then (unless None) MARKER and the notes by hand."""
    text = summary(parts) + "".join("\n" + p["markdown"] for p in parts)
    return text if by_hand is None else f"{text}\n{MARKER}\n\n{by_hand}"


def main() -> int:
    """Run the parts asked for, print and write the document."""
    asked = [p for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p]
    unknown = sorted(set(asked) - set(PARTS))
    if unknown:
        print(f"BENCH_PARTS: unknown part(s) {', '.join(unknown)}; give some of {', '.join(PARTS)}", file=sys.stderr)
        return 2
    if QUICK:
        print("BENCH_QUICK=1: one run of each case, small workbooks; docs/benchmarks.md is left alone", flush=True)
    else:
        try:  # before an hour of measuring, not after
            hand_written(DOCS.read_text("utf-8"))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
    started = time.time()
    parts = {name: run_part(name, started) for name in asked}
    for name in PARTS:  # parts not run now: their last saved results, dated in the document
        saved = out_folder() / f"part-{name}.json"
        if name not in parts and saved.exists():
            parts[name] = json.loads(saved.read_text("utf-8"))
    ordered = [parts[name] for name in PARTS if name in parts]
    if not ordered:
        print(f"nothing measured and no saved results in {out_folder()}", file=sys.stderr)
        return 1
    print("\n" + summary(ordered))
    target = out_folder() / "benchmarks.md"
    if QUICK or any(p["quick"] for p in ordered):
        if not QUICK:
            print(
                "a part saved from a quick run (BENCH_QUICK=1) is not a measurement: docs left alone", file=sys.stderr
            )
        text = document(ordered, None)
    else:
        try:  # read again: the notes may have been edited during the run
            text, target = document(ordered, hand_written(DOCS.read_text("utf-8"))), DOCS
        except ValueError as exc:
            print(f"{exc}; the figures are in {target}", file=sys.stderr)
            text = document(ordered, None)
    target.write_text(text, "utf-8")
    print(f"wrote {target}")
    return 0 if target == DOCS or QUICK else 1


if __name__ == "__main__":
    sys.exit(main())
