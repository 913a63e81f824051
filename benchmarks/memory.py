"""Issue 15's memory cases (not a test): peak RSS, wall and CPU time of the brief, the handout and the handout
imposed as a booklet, 145 vs 1,450.

Each case is a fresh `reportgen` process (start-up included) on a synthetic workbook (`synthetic.py`), run
BENCH_RUNS times, interleaved; the figures are medians. Peak RSS is measured for reportgen's own process
(which reads the workbook and makes the HTML) and for the worker that lays the document out (the largest child).
CPU is the user + system time of the run's processes (`resource.getrusage(RUSAGE_CHILDREN)`).

  .venv/bin/python benchmarks/memory.py                # prints the lines for docs/benchmarks.md
  BENCH_MEMORY_SIZES=15,150 BENCH_RUNS=1 ...           # a quick look (what BENCH_QUICK=1 runs)
  BENCH_CODE=/another/checkout ...                     # measure another reportgen (a "before")
  BENCH_DOCUMENTS=handout,booklet BENCH_RUNS=1 ...     # some cases only, fewer runs
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import batch  # benchmarks/ is on sys.path when this script runs

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = tuple(int(n) for n in os.environ.get("BENCH_MEMORY_SIZES", "145,1450").split(","))  # small, large
DOCUMENTS = tuple(os.environ.get("BENCH_DOCUMENTS", "brief,handout,booklet").split(","))
COMMANDS = {"booklet": ("handout", "--booklet")}  # a case's reportgen command, when not its name


@dataclass
class Case:
    """One run: wall and CPU seconds, peak RSS of reportgen's process and of its worker (MiB)."""

    wall: float
    cpu: float
    process: int
    worker: int


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(work: Path, runs: int = RUNS) -> dict[tuple[str, int], list[Case]]:
    """Return every run of every (document, clusters) case, interleaved run by run."""
    books = {n: work / f"clusters-{n}.xlsx" for n in SIZES}
    for n, book in books.items():
        if not book.exists():
            batch.helper("synthetic.py", str(book), str(n))
    results: dict[tuple[str, int], list[Case]] = {(d, n): [] for d in DOCUMENTS for n in SIZES}
    for run in range(runs):
        for (document, n), cases in results.items():
            cpu = _children_cpu()
            command, *options = COMMANDS.get(document, (document,))
            out = str(work / f"{document}.pdf")
            wall, process, worker = batch.reportgen(command, str(books[n]), *options, "-o", out, "-q")
            cases.append(Case(wall, _children_cpu() - cpu, process, worker))
            print(
                f"  run {run + 1}, {document}, {n} clusters: {wall:.1f} s, CPU {cases[-1].cpu:.1f} s, "
                f"peak {process} + {worker} MiB, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    return results


def medians(cases: list[Case]) -> Case:
    """Return the median of each figure."""
    return Case(
        statistics.median(c.wall for c in cases),
        statistics.median(c.cpu for c in cases),
        int(statistics.median(c.process for c in cases)),
        int(statistics.median(c.worker for c in cases)),
    )


def lines(results: dict[tuple[str, int], list[Case]]) -> tuple[list[str], list[batch.Target]]:
    """Return the markdown table and the targets."""
    table = [
        "| document | clusters | runs | wall s (median) | CPU s (median) | reportgen's process (MiB) | worker (MiB) "
        "| sum (MiB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    targets = []
    for document in DOCUMENTS:
        small, large = (medians(results[(document, n)]) for n in SIZES)
        for n, m in zip(SIZES, (small, large), strict=True):
            table.append(
                f"| {document} | {n:,} | {len(results[(document, n)])} | {m.wall:.1f} | {m.cpu:.1f} | {m.process} "
                f"| {m.worker} | {m.process + m.worker} |"
            )
        ratio = (large.process + large.worker) / (small.process + small.worker)
        targets.append(
            batch.Target(
                f"peak memory of the {document}, {SIZES[1]:,} vs {SIZES[0]:,} clusters (reportgen's process + "
                "the worker laying it out, medians)",
                f"{large.process} + {large.worker} vs {small.process} + {small.worker} MiB = **{ratio:.2f}×** "
                f"(the worker alone {large.worker / small.worker:.2f}×)",
                "≤ 1.5×",
                ratio <= 1.5,
            )
        )
    return table, targets


def main() -> tuple[str, list[batch.Target]]:
    """Run the cases and return the markdown section and the targets."""
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-memory"
    work.mkdir(parents=True, exist_ok=True)
    load, started = os.getloadavg()[0], time.time()
    results = measure(work)
    table, targets = lines(results)
    text = (
        "## Memory of the brief and the handout (`benchmarks/memory.py`)\n\n"
        f"Synthetic workbooks (`benchmarks/synthetic.py`) of {SIZES[0]:,} and {SIZES[1]:,} clusters; each case a "
        f"fresh `reportgen` process, {RUNS} interleaved runs, medians. Peak RSS of reportgen's own process (it "
        "reads the workbook and makes the HTML) and of the worker that lays the document out; CPU is user + "
        "system time of the run's processes. Machine: "
        f"{batch.machine()}. Load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        f"({(time.time() - started) / 60:.0f} minutes).\n\n"
        + "\n".join([*table, "", "Targets (medians of this run):", "", *batch.target_lines(targets)])
        + "\n"
    )
    print(text)
    return text, targets


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
