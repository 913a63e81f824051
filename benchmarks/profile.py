"""Where a steady-state dossier's time goes (not a test): one process renders the sample dossiers twice.

The first pass warms the worker (WeasyPrint, fonts, the stylesheet and the locator maps, as a worker does
on its first dossiers); the second is timed in CPU seconds, or profiled with cProfile (in processor time) when
PROFILE is set.
The PDFs' combined SHA-256 is printed: a change meant to leave the output alone must leave it the same.

  .venv/bin/python benchmarks/profile.py                               # CPU per warm dossier, digest
  BENCH_CODE=/another/checkout ...                                     # measure another reportgen (a "before")
  PROFILE=/tmp/dossiers.prof .venv/bin/python benchmarks/profile.py    # then: python -m pstats /tmp/dossiers.prof
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the standard library's `profile`, which cProfile imports: not from this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795046400")  # the same bytes on every run
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()  # the reportgen measured: another checkout for "before"
sys.path.insert(0, str(CODE))


def main() -> None:
    """Render the sample dossiers twice in this process; print CPU per warm dossier and the output's digest."""
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier
    from reportgen.settings import Settings

    workbook = Path(sys.argv[1] if len(sys.argv) > 1 else CODE / "samples" / "clusters.xlsx").resolve()
    settings = Settings()
    planned = dossier.plan(common.load_clean(workbook, settings).dataset, settings).dossiers
    issuing.setup(settings, None, draft=True)  # as `reportgen dossiers --unsigned`: no signing

    def render_all() -> list[bytes]:
        return [issuing.render(d, workbook.parent).pdf or b"" for d in planned]

    started = time.process_time()
    render_all()
    first = (time.process_time() - started) / len(planned)
    if os.environ.get("PROFILE"):
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # processor time: a shared machine's load skews wall time
        profiler.runcall(render_all)
        profiler.dump_stats(os.environ["PROFILE"])
        print(f"profile of {len(planned)} warm dossiers written to {os.environ['PROFILE']}")
        return
    started = time.process_time()
    pdfs = render_all()
    warm = (time.process_time() - started) / len(planned)
    digest = hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in pdfs)).hexdigest()[:16]
    print(
        f"{len(planned)} dossiers: CPU per dossier {first:.3f} s on the first pass, {warm:.3f} s warm; "
        f"load average {os.getloadavg()[0]:.1f}; PDFs' digest {digest}"
    )


if __name__ == "__main__":
    main()
