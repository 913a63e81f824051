"""Issue 15's table (not a test): the sample dossiers by reportgen and by its peers on the same HTML, in one run.

Cases, each a fresh process (start-up included), interleaved run by run so the machine's other load falls on
all alike: headless Chromium (one browser, `page.pdf()` per dossier, when Playwright and a Chromium are here),
reportgen with the default jobs and with `--jobs 1`, WeasyPrint in one process per core and a plain WeasyPrint
loop (both on the exact HTML reportgen makes), reportgen on a Dask LocalCluster of 1, 2 and 4 worker processes.
Every reportgen run's output (PDFs and register) is compared by SHA-256 with the first default-jobs run's: the
Dask and `--jobs 1` runs must write the same bytes. (Memory: `memory.py`; `run.py` runs both.)

  .venv/bin/python benchmarks/peers.py                 # prints the markdown section
  BENCH_RUNS=1 BENCH_DASK=1 ...                        # a quick look
  BENCH_CODE=/another/checkout ...                     # measure another reportgen (a "before")
  CHROMIUM=/path/to/chromium ...                       # else `chromium` on PATH (Debian's package)
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import batch  # benchmarks/ is on sys.path when this script runs

HERE = Path(__file__).resolve().parent
SAMPLE = batch.ROOT / "samples" / "clusters.xlsx"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
DASK_WORKERS = tuple(int(n) for n in os.environ.get("BENCH_DASK", "1,2,4").split(",") if n)  # BENCH_DASK= : none
JOBS = batch._jobs()
CHROMIUM_CASE = "headless Chromium (one browser, `page.pdf()`)"
DEFAULT_CASE = f"reportgen, default jobs ({JOBS})"
ONE_JOB_CASE = "reportgen `--jobs 1`"
LOOP_CASE = "plain WeasyPrint loop"


def chromium() -> tuple[str | None, str]:
    """Return (the Chromium executable to drive, a line saying which) or (None, why Chromium is not measured).

    Playwright cannot download its own browsers here: it drives Debian's `chromium` (or CHROMIUM), which is
    launched once to check that it starts.
    """
    try:
        import playwright  # noqa: F401
    except ImportError:
        return None, "Playwright is not installed (`pip install -e '.[bench]'`, which `make bench` does)"
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        return None, "no `chromium` on PATH (install Debian's `chromium`, or set CHROMIUM to a Chromium executable)"
    check = (
        "from playwright.sync_api import sync_playwright\nwith sync_playwright() as p:\n"
        f"    p.chromium.launch(executable_path={executable!r}, args=['--no-sandbox', '--disable-gpu']).close()\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, f"Playwright could not launch {executable} within 2 minutes"
    if done.returncode:
        said = done.stderr.strip().splitlines() or ["?"]
        first = next((line for line in said if "Error:" in line), said[-1])  # Playwright's message, first line
        return None, f"Playwright could not launch {executable}: {first.split('Error: ', 1)[-1].strip()}"
    from importlib.metadata import version

    return executable, f"{executable}, driven by Playwright {version('playwright')}"


def chromium_loop(folder: Path, executable: str) -> None:
    """Print each HTML file of folder to PDF with one headless Chromium (run in its own process)."""
    from playwright.sync_api import sync_playwright

    from reportgen.fonts.files import font_face_css

    fonts = f"<style>{font_face_css()}</style>"  # reportgen hands WeasyPrint this stylesheet beside the HTML
    out = folder / "chromium"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        for html in sorted(folder.glob("*.html")):
            copy = out / html.name  # a file: URL, so that the page may load the fonts' file: URLs
            copy.write_text(html.read_text("utf-8").replace("</head>", fonts + "</head>", 1), "utf-8")
            page.goto(copy.as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.pdf(path=str(out / f"{html.stem}.pdf"), prefer_css_page_size=True, print_background=True)
        browser.close()


def _timed(*commands: list[str]) -> float:
    """Return the seconds until every command (started together) has finished; stop on a failure."""
    start = time.perf_counter()
    running = [
        subprocess.Popen(c, cwd=batch.CODE, env=batch.ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for c in commands
    ]
    errors = [p.communicate()[1] for p in running]
    seconds = time.perf_counter() - start
    for p, err in zip(running, errors, strict=True):
        if p.returncode:
            raise SystemExit(f"{p.args} failed:\n{err.decode()[-2000:]}")
    return seconds


def _python(call: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import batch, peers, pathlib; {call}",
    ]


def weasyprint(folder: Path, processes: int) -> float:
    """Seconds of the plain WeasyPrint loop over folder's HTML, split over processes."""
    shutil.rmtree(folder / "pdf", ignore_errors=True)
    return _timed(
        *(_python(f"batch.naive_loop(pathlib.Path({str(folder)!r}), {i}, {processes})") for i in range(processes))
    )


OUTPUTS: dict[str, list[dict[str, str]]] = {}  # {case: [{file: SHA-256} of each run]}


def reportgen(out: Path, case: str, *options: str) -> float:
    """Seconds of a cold `reportgen dossiers --unsigned` of the sample workbook (drafts: the peers do not sign).

    The files written are recorded under case in OUTPUTS (their SHA-256), to compare the executors' output.
    """
    shutil.rmtree(out, ignore_errors=True)
    seconds = batch.reportgen("dossiers", str(SAMPLE), "-o", str(out), "-q", "--unsigned", *options)[0]
    OUTPUTS.setdefault(case, []).append({name: sha for name, (_, sha) in batch.snapshot(out).items()})
    return seconds


def dask_cluster(workers: int) -> subprocess.Popen:
    """Start a LocalCluster of workers single-threaded processes in a helper process; its address is on stdout."""
    code = (
        "import sys\nfrom distributed import LocalCluster\n"
        f"cluster = LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True, dashboard_address=None)\n"
        "print(cluster.scheduler_address.removeprefix('tcp://'), flush=True)\nsys.stdin.read()\ncluster.close()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=batch.CODE,
        env=batch.ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def on_dask(out: Path, workers: int) -> float:
    """Seconds of a cold `reportgen dossiers` on a fresh LocalCluster (its start not counted; its imports are)."""
    cluster = dask_cluster(workers)
    try:
        address = cluster.stdout.readline().strip()
        if not address:
            raise SystemExit("the Dask LocalCluster did not start")
        return reportgen(out, f"Dask, {workers} worker{'s' if workers > 1 else ''}", "--executor", f"dask://{address}")
    finally:
        cluster.communicate("")


@dataclass(frozen=True)
class Run:
    """One timed run: wall seconds, processor seconds of the processes it started, the load average before it."""

    wall: float
    cpu: float
    load: float


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(work: Path, browser: str | None) -> tuple[dict[str, list[Run]], int]:
    """Run every timed case RUNS times, interleaved; return ({case: [Run, ...]}, dossiers)."""
    html = work / "html"
    batch.helper("batch.py", "html", str(SAMPLE), str(html))
    count = len(list(html.glob("*.html")))
    cases = {
        CHROMIUM_CASE: (
            (lambda: _timed(_python(f"peers.chromium_loop(pathlib.Path({str(html)!r}), {browser!r})")))
            if browser
            else None
        ),
        DEFAULT_CASE: lambda: reportgen(work / "out", "local, default jobs"),
        f"WeasyPrint in {JOBS} processes": lambda: weasyprint(html, JOBS),
        ONE_JOB_CASE: lambda: reportgen(work / "out", "local, `--jobs 1`", "--jobs", "1"),
        LOOP_CASE: lambda: weasyprint(html, 1),
        **{
            f"reportgen on a Dask LocalCluster, {n} worker{'s' if n > 1 else ''}": (
                lambda n=n: on_dask(work / "out", n)
            )
            for n in DASK_WORKERS
        },
    }
    results: dict[str, list[Run]] = {name: [] for name, case in cases.items() if case}
    for run in range(RUNS):
        for name, case in cases.items():
            if case:
                load, cpu = os.getloadavg()[0], _children_cpu()
                wall = case()
                results[name].append(Run(wall, _children_cpu() - cpu, load))
                used = results[name][-1].cpu
                print(f"  run {run + 1}, {name}: {wall:.1f} s, CPU {used:.1f} s, load {load:.1f}", flush=True)
    return results, count


def _dask_cases(wall: dict[str, float]) -> list[str]:
    return [name for name in wall if name.startswith("reportgen on a Dask")]


def targets(wall: dict[str, float], cpu: dict[str, float], why_no_chromium: str) -> list[batch.Target]:
    """Return issue 15's targets measured here (medians per dossier)."""
    ours = wall[DEFAULT_CASE]
    found = []
    if CHROMIUM_CASE in wall:
        found.append(
            batch.Target(
                "cold dossiers, default jobs, vs headless Chromium on the same HTML (wall)",
                f"{ours:.2f} vs {wall[CHROMIUM_CASE]:.2f} s per dossier: reportgen takes "
                f"**{ours / wall[CHROMIUM_CASE]:.2f}×** Chromium's time",
                "< 1×",
                ours < wall[CHROMIUM_CASE],
            )
        )
    else:
        found.append(
            batch.Target(
                "cold dossiers, default jobs, vs headless Chromium",
                f"**not measured**: {why_no_chromium}",
                "< 1×",
                None,
            )
        )
    for what, measured in (("wall", wall), ("CPU", cpu)):
        ratio = measured[LOOP_CASE] / measured[ONE_JOB_CASE]
        found.append(
            batch.Target(
                f"`--jobs 1` vs the plain WeasyPrint loop on the same HTML ({what})",
                f"{measured[ONE_JOB_CASE]:.2f} vs {measured[LOOP_CASE]:.2f} s per dossier: **{ratio:.2f}×** as fast",
                "≥ 2.5×",
                ratio >= 2.5,
            )
        )
    dask = _dask_cases(wall)
    if dask:
        found.append(
            batch.Target(
                "Dask LocalCluster beside `--jobs` (wall, CPU per dossier)",
                "; ".join(f"{name.split(', ')[-1]}: {wall[name]:.2f} s, CPU {cpu[name]:.2f} s" for name in dask)
                + f"; local default jobs ({JOBS}): {wall[DEFAULT_CASE]:.2f} s, CPU {cpu[DEFAULT_CASE]:.2f} s; "
                f"`--jobs 1`: {wall[ONE_JOB_CASE]:.2f} s, CPU {cpu[ONE_JOB_CASE]:.2f} s",
                "measured beside `--jobs` (no figure set)",
                None,
            )
        )
    runs = [(case, digests) for case, all_runs in OUTPUTS.items() for digests in all_runs]
    reference = OUTPUTS["local, default jobs"][0]
    differing = sorted({case for case, digests in runs if digests != reference})
    found.append(
        batch.Target(
            "the executors' output byte-identical with a local run (SHA-256 of every PDF and the register)",
            f"{len(runs)} runs ({'; '.join(OUTPUTS)}), {len(reference)} files each: "
            + ("**all identical**" if not differing else f"**differ**: {', '.join(differing)}"),
            "identical (also `tests/test_incremental.py`)",
            not differing,
        )
    )
    return found


def main() -> tuple[str, list[batch.Target]]:
    """Run the cases and return the markdown section and issue 15's targets measured here."""
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "reportgen-peers"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    browser, about_chromium = chromium()
    print(f"Chromium: {about_chromium}" if browser else f"Chromium NOT measured: {about_chromium}", flush=True)
    load = os.getloadavg()
    started = time.time()
    results, count = measure(work, browser)
    minutes = (time.time() - started) / 60
    wall = {name: statistics.median(r.wall for r in runs) / count for name, runs in results.items()}
    cpu = {name: statistics.median(r.cpu for r in runs) / count for name, runs in results.items()}
    ours = wall[DEFAULT_CASE]
    lines = [
        "| renderer | wall s per dossier (median) | min | max | CPU s per dossier (median) | load average "
        "(median) | wall vs reportgen, default jobs |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        ratio = wall[name] / ours
        relation = (
            "—" if name == DEFAULT_CASE else (f"{ratio:.2f}× slower" if ratio >= 1 else f"{1 / ratio:.2f}× faster")
        )
        lines.append(
            f"| {name} | {wall[name]:.2f} | {min(r.wall for r in runs) / count:.2f} | "
            f"{max(r.wall for r in runs) / count:.2f} | {cpu[name]:.2f}{'¹' if name == CHROMIUM_CASE else ''} | "
            f"{statistics.median(r.load for r in runs):.1f} | {relation} |"
        )
    found = targets(wall, cpu, about_chromium)
    text = (
        f"## Peers on the same dossiers (`benchmarks/peers.py`)\n\nThe {count} dossiers of `samples/clusters.xlsx`"
        f", {RUNS} interleaved run{'s' if RUNS > 1 else ''} of each case, "
        "each a fresh process (start-up included; Chromium's includes "
        "launching the browser, which is given the same `@font-face` rules reportgen gives WeasyPrint). The Dask "
        "cluster is started before each timed run, its workers import reportgen within it. CPU: user + system "
        "time of the processes each run started (`resource.getrusage(RUSAGE_CHILDREN)`), the figure the other "
        "sessions' load changes least. ¹ Chromium's CPU is only what Playwright's own processes reap: the "
        "browser's renderer and GPU processes are not all counted; compare its wall time.\n\n"
        f"Machine: {batch.machine()}; Chromium: {about_chromium if browser else 'not measured: ' + about_chromium}."
        f" Load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({minutes:.0f} minutes): "
        "shared with other sessions, read medians and ratios.\n\n"
        + "\n".join([*lines, "", "Targets (medians of this run):", "", *batch.target_lines(found)])
        + "\n"
    )
    print(text)
    return text, found


if __name__ == "__main__":
    main()
