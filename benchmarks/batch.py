"""Batch benchmark (not a test): certification dossiers for 145 (and 1,450) synthetic clusters, every one certified.

Measured in one run on one machine, each case a fresh process (start-up included):
  (c) reportgen cold, default jobs (one per core), BENCH_REPEATS times;  (d) a re-run with nothing changed;
  (e) a re-run after one cluster's assessment changed (which files were rewritten is checked by their SHA-256
  and mtime), three times each;  (f) peak memory (ru_maxrss) of the reportgen process and of its largest worker.
With BENCH_NAIVE=1 also, interleaved with (c): (a) a plain loop calling WeasyPrint on the same HTML, one
document at a time, in one process (a new FontConfiguration and font stylesheet per document, as a first
script would do) and (b) reportgen cold, --jobs 1 (`peers.py` measures both on the sample dossiers).
With BENCH_SIZES=145,1450 the 1,450-cluster workbook is measured with the default jobs only ((c), (d), (e)).

  .venv/bin/python benchmarks/batch.py            # prints the table (make bench writes docs/benchmarks.md)
  BENCH_SIZES=24 BENCH_REPEATS=1 ...              # a quick look (what BENCH_QUICK=1 runs)
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EPOCH = "1795046400"  # 2026-11-19: the same bytes on every run
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "145").split(","))  # 145,1450: the large one too
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))  # of the cold runs; the re-runs run 3 times
NAIVE = os.environ.get("BENCH_NAIVE", "0") == "1"  # the naive loop and --jobs 1 too (about 3 minutes a run)
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()  # the reportgen measured: another checkout for "before"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(CODE)}


@dataclass(frozen=True)
class Target:
    """One of issue 15's targets as measured: what, the figure, the target, whether it is met (None: no target)."""

    what: str
    figure: str
    target: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return "—" if self.met is None else "met" if self.met else "**not met**"


def target_lines(targets: list[Target]) -> list[str]:
    """Return the targets as markdown list items."""
    return [
        f"- {t.what}: {t.figure} ({t.target})"
        if t.met is None
        else f"- {t.what}: {t.figure} ({t.verdict}; target {t.target})"
        for t in targets
    ]


# Runs the CLI, then reports its own peak RSS and its largest child's (KiB) on the last line of stderr.
_WRAPPER = """
import resource, sys
from reportgen.cli import main
sys.argv = ["reportgen", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      file=sys.stderr)
sys.exit(code)
"""


def reportgen(*args: str) -> tuple[float, int, int]:
    """Return (seconds, peak RSS of the process, of its largest worker; MiB) of one `reportgen ARGS` run."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        cwd=CODE,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"reportgen {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    own, child = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(own) // 1024, int(child) // 1024


def naive_loop(folder: Path, part: int = 0, parts: int = 1) -> None:
    """The baseline, run in its own process: each HTML file of folder (one in parts) → PDF, one after the other."""
    import io

    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.fonts.files import font_face_css

    out = folder / "pdf"
    out.mkdir(exist_ok=True)
    for page in sorted(folder.glob("*.html"))[part::parts]:
        fonts = FontConfiguration()
        css = CSS(string=font_face_css(), font_config=fonts)
        record = Attachment(
            file_obj=io.BytesIO(page.with_suffix(".json").read_bytes()),
            name="certificate-record.json",
            relationship="Data",
        )
        HTML(string=page.read_text("utf-8"), base_url=str(folder) + "/").write_pdf(
            out / f"{page.stem}.pdf", stylesheets=[css], font_config=fonts, pdf_variant="pdf/a-3b", attachments=[record]
        )


def naive(folder: Path) -> tuple[float, int, int]:
    """Return (seconds, peak MiB, 0) of the naive loop over the HTML in folder, in a fresh process."""
    shutil.rmtree(folder / "pdf", ignore_errors=True)
    code = (
        f"import resource, sys; sys.path.insert(0, {str(HERE)!r}); import batch, pathlib; "
        f"batch.naive_loop(pathlib.Path({str(folder)!r})); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=CODE, env=ENV, stderr=subprocess.PIPE, text=True, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"the naive loop failed:\n{done.stderr[-2000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) // 1024, 0


def write_html(workbook: Path, folder: Path) -> int:
    """Write each dossier's HTML (and record) as `reportgen dossiers --unsigned` makes it into folder; return how many.

    The head's stylesheets stay inline: a peer renders the document as it is (reportgen parses them once per worker).
    """
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier
    from reportgen.settings import Settings

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    settings = Settings()
    folder.mkdir(parents=True, exist_ok=True)
    planned = dossier.plan(common.load_clean(workbook, settings).dataset, settings).dossiers
    issuing.setup(settings, None, draft=True)
    for d in planned:
        (folder / f"{d.file_stem}.html").write_text(issuing.html_of(d, workbook.parent), "utf-8")
        (folder / f"{d.file_stem}.json").write_bytes(d.record)
    return len(planned)


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Return {file: (mtime_ns, SHA-256)} of the folder's files."""
    return {
        p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != ".reportgen"
    }


def helper(*args: str) -> str:
    """Run a helper of this folder in its own process and return what it prints.

    This process stays small: a process it starts inherits its peak RSS as a starting point (Linux
    keeps ru_maxrss across fork and exec), which would blur the memory measured.
    """
    done = subprocess.run([sys.executable, *args], cwd=HERE, env=ENV, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def measure(n: int, work: Path, results: dict) -> None:
    """Run every case for a workbook of n clusters; add {case: [(s, parent MiB, worker MiB), ...]} to results."""
    book = work / f"clusters-{n}.xlsx"
    helper("synthetic.py", str(book), str(n))
    out = work / f"out-{n}"
    slow = NAIVE and n == min(SIZES)  # the naive loop and --jobs 1 only for the small workbook
    if slow:
        helper("batch.py", "html", str(book), str(work / f"html-{n}"))
    runs = REPEATS if n == min(SIZES) else 1
    # --unsigned throughout: the figures measure rendering, comparable with those before signing was the default.
    for _ in range(runs):  # interleaved, so that the machine's other load falls on every case alike
        if slow:
            record(results, n, "a naive loop, 1 process", lambda: naive(work / f"html-{n}"))
            shutil.rmtree(out, ignore_errors=True)
            record(
                results,
                n,
                "b reportgen cold, --jobs 1",
                lambda: reportgen("dossiers", str(book), "-o", str(out), "-q", "--unsigned", "--jobs", "1"),
            )
        shutil.rmtree(out, ignore_errors=True)
        record(
            results,
            n,
            "c reportgen cold, default jobs",
            lambda: reportgen("dossiers", str(book), "-o", str(out), "-q", "--unsigned"),
        )
    for _ in range(3):
        record(
            results,
            n,
            "d re-run, nothing changed",
            lambda: reportgen("dossiers", str(book), "-o", str(out), "-q", "--unsigned"),
        )
    changed_book = work / f"changed-{n}.xlsx"
    for k in range(3):  # each time another score: the changed cluster's dossier and the register differ
        before = snapshot(out)
        cid = helper("synthetic.py", str(changed_book), str(n), str(min(7, n - 1)), str(k + 1))
        record(
            results,
            n,
            "e re-run, one assessment changed",
            lambda: reportgen("dossiers", str(changed_book), "-o", str(out), "-q", "--unsigned"),
        )
        after = snapshot(out)
        rewritten = sorted(name for name in after if before.get(name) != after[name])
        results.setdefault(("rewritten", n), []).append((cid, rewritten))


def record(results: dict, n: int, case: str, run: Callable[[], tuple[float, int, int]]) -> None:
    """Run one case; add (wall s, peak MiB, worker peak MiB, CPU s of the processes it started) to results."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, own, worker = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    results.setdefault((case, n), []).append((wall, own, worker, cpu))
    print(f"  {n} clusters, {case}: {wall:.1f} s, CPU {cpu:.1f} s, {own} MiB (worker {worker} MiB)", flush=True)


def machine() -> str:
    """Return a line describing this machine."""
    import platform

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "?",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    import ctypes.util

    subsetter = "present" if ctypes.util.find_library("harfbuzz-subset") else "absent"
    return (
        f"{cpu}, {cores} cores, Python {platform.python_version()}, WeasyPrint {_version('weasyprint')}, "
        f"uharfbuzz {_version('uharfbuzz')} (reportgen's font subsetter); libharfbuzz-subset0: {subsetter} "
        "(used by the plain WeasyPrint peers only)"
    )


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def table(results: dict) -> tuple[str, list[Target]]:
    """Return the markdown table with the target lines, and issue 15's targets (the re-runs)."""
    lines = [
        "| case | clusters | runs | median (s) | min | max | CPU s (median) | reportgen peak (MiB) | largest worker "
        "peak (MiB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (case, n), runs in sorted((k, v) for k, v in results.items() if k[0] != "rewritten"):
        secs = [s for s, _, _, _ in runs]
        lines.append(
            f"| {case[2:]} | {n:,} | {len(runs)} | {statistics.median(secs):.2f} | {min(secs):.2f} | "
            f"{max(secs):.2f} | {statistics.median(c for _, _, _, c in runs):.2f} | {max(m for _, m, _, _ in runs)} | "
            f"{max(w for _, _, w, _ in runs) or '–'} |"
        )
    timed = {k: v for k, v in results.items() if k[0] != "rewritten"}
    med = {k: statistics.median(s for s, _, _, _ in v) for k, v in timed.items()}
    cpu = {k: statistics.median(c for _, _, _, c in v) for k, v in timed.items()}
    peak = {k: (max(m for _, m, _, _ in v), max(w for _, _, w, _ in v)) for k, v in timed.items()}
    small, large = min(SIZES), max(SIZES)
    cold, naive_s = med.get(("c reportgen cold, default jobs", small)), med.get(("a naive loop, 1 process", small))
    out = ["", "Targets (medians from this run):", ""]
    targets = []
    if cold and naive_s:
        one = med[("b reportgen cold, --jobs 1", small)]
        out.append(
            f"- cold, default jobs vs the naive loop ({small} clusters): **{naive_s / cold:.2f}×** faster "
            f"(target ≥ 1.7×); --jobs 1 alone: {naive_s / one:.2f}×; "
            f"default jobs vs --jobs 1: {one / cold:.2f}×"
        )
    for n in SIZES:
        cold_key = ("c reportgen cold, default jobs", n)
        for case, what, limit in (
            ("d re-run, nothing changed", f"re-run with nothing changed, {n:,} clusters (default jobs)", 2),
            ("e re-run, one assessment changed", f"re-run after one assessment changed, {n:,} clusters", 10),
        ):
            if cold_key in med and (case, n) in med:  # met when both the wall and the CPU share are
                wall_share = 100 * med[(case, n)] / med[cold_key]
                cpu_share = 100 * cpu[(case, n)] / cpu[cold_key]
                targets.append(
                    Target(
                        what,
                        f"wall {med[(case, n)]:.2f} s of a {med[cold_key]:.1f} s cold run = **{wall_share:.1f} %**; "
                        f"CPU {cpu[(case, n)]:.2f} of {cpu[cold_key]:.1f} s = **{cpu_share:.1f} %**",
                        f"≤ {limit} % of cold",
                        wall_share <= limit and cpu_share <= limit,
                    )
                )
        runs_rewritten = results.get(("rewritten", n), [])
        if runs_rewritten:
            expected = all(sorted(files) == sorted([f"{cid}.pdf", "register.xlsx"]) for cid, files in runs_rewritten)
            cid, rewritten = runs_rewritten[0]
            targets.append(
                Target(
                    f"files rewritten after one assessment changed, {n:,} clusters ({len(runs_rewritten)} runs)",
                    f"{', '.join(rewritten)} (after {cid} changed)"
                    + ("" if expected else f"; all runs: {runs_rewritten}"),
                    "that dossier and register.xlsx only",
                    expected,
                )
            )
    if small != large:
        case = "c reportgen cold, default jobs"
        (p_s, w_s), (p_l, w_l) = peak[(case, small)], peak[(case, large)]
        jobs = _jobs()
        out.append(
            f"- peak memory, {large:,} vs {small:,} clusters: reportgen process {p_l} vs {p_s} MiB "
            f"(**{p_l / p_s:.2f}×**), largest worker {w_l} vs {w_s} MiB ({w_l / w_s:.2f}×), process + "
            f"{jobs} workers {p_l + jobs * w_l} vs {p_s + jobs * w_s} MiB "
            f"(**{(p_l + jobs * w_l) / (p_s + jobs * w_s):.2f}×**; target ≤ 1.3×)"
        )
    return "\n".join(lines + out + target_lines(targets)), targets


def _jobs() -> int:
    try:  # as reportgen.commands.executors.default_jobs, without importing reportgen here
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def main() -> tuple[str, list[Target]]:
    """Run every case and return the markdown section (machine, table, targets) and the targets."""
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-batch"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results: dict = {}
    load = os.getloadavg()[0]
    started = time.time()
    for n in SIZES:
        measure(n, work, results)
    minutes = (time.time() - started) / 60
    markdown, targets = table(results)
    text = (
        f"## Dossiers in batch (`benchmarks/batch.py`)\n\nSynthetic workbooks (`benchmarks/synthetic.py`): "
        f"{' and '.join(f'{n:,}' for n in SIZES)} clusters, every one certified and assessed (texts from the "
        "sample workbook, four pages or so per dossier); SOURCE_DATE_EPOCH set. Each case is a fresh process. "
        f"The cold run with the default jobs ran {REPEATS} times on {min(SIZES):,} clusters"
        + (", interleaved with the naive loop and `--jobs 1`" if NAIVE else "")
        + (f"; the {max(SIZES):,}-cluster workbook ran cold once" if len(SIZES) > 1 else "")
        + "; then the re-runs three times each.\n\n"
        f"Machine: {machine()}. Shared with other sessions (load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end; {minutes:.0f} minutes): read medians and ratios, not single "
        "numbers.\n\n" + markdown + "\n"
    )
    print(text)
    return text, targets


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "html":
        write_html(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
