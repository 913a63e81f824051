"""Golden HTML of each document kind: compare with `pytest`, regenerate with `make golden`.

A golden file holds the document, not its stylesheet: the inlined `<style>` is elided, so a CSS edit
rewrites no golden file. The values computed in Python for a document (`<style class="values">`, the
handout's page and fact-sheet sizes) are kept: they are the document's data.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
_DATA_URI = re.compile(r"data:image/(svg\+xml|png);base64,[A-Za-z0-9+/=]+")
_STYLESHEET = re.compile(r"<style>.*?</style>", re.DOTALL)
# Every golden file `cases()` makes; a test fails for a name whose file is missing, and for a stray file.
NAMES = (
    "brief-small.html",
    "brief-small-luxor-latin.html",
    "handout-small-a5.html",
    "dossier-EG-KN-001.html",
    "dossier-EG-KN-002.html",
    "dossier-EG-LX-001.html",
)


def normalise(html: str) -> str:
    """Return html with chart images and the stylesheet elided (each has its own tests) and paths made neutral."""
    html = _DATA_URI.sub(lambda m: f"data:image/{m.group(1)};base64,…", html)
    html = _STYLESHEET.sub("<style>…</style>", html)
    return html.replace(str(SAMPLES), "SAMPLES")


def cases() -> dict[str, str]:
    """Return {golden file name: freshly rendered, normalised HTML}."""
    return {name: normalise(html) for name, html in rendered().items()}


def rendered() -> dict[str, str]:
    """Return {golden file name: freshly rendered HTML, stylesheet and all}."""
    from reportgen.commands import brief as brief_command
    from reportgen.commands import handout as handout_command
    from reportgen.settings import Settings

    settings = Settings(today=dt.date(2026, 11, 19))
    small = SAMPLES / "small.xlsx"
    out = {
        "brief-small.html": brief_command.html(small, settings)[0],
        "brief-small-luxor-latin.html": brief_command.html(
            small, settings.with_(digits="latin"), governorates=("Luxor",)
        )[0],
    }
    out["handout-small-a5.html"] = handout_command.html(small, settings, paper="A5")[0]
    out.update(_dossiers(small, settings))
    return out


def _dossiers(workbook: Path, settings) -> dict[str, str]:
    """Return the HTML of each dossier of the workbook (granted, conditional and refused in small.xlsx)."""
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier

    parsed = common.load_clean(workbook, settings)
    issuing.setup(settings, None)
    planned = dossier.plan(parsed.dataset, settings)
    return {f"dossier-{d.cluster.id}.html": issuing.html_of(d, workbook.parent) for d in planned.dossiers}


def main(argv: list[str]) -> int:
    """Write the golden files when called with --update."""
    if "--update" not in argv:
        print("usage: python -m tests.golden --update")
        return 2
    GOLDEN.mkdir(exist_ok=True)
    fresh = cases()
    if sorted(fresh) != sorted(NAMES):
        print(f"tests/golden.py: NAMES {sorted(NAMES)} differs from the cases made {sorted(fresh)}")
        return 1
    for stray in sorted(set(p.name for p in GOLDEN.glob("*.html")) - set(NAMES)):
        (GOLDEN / stray).unlink()
        print(f"removed {GOLDEN / stray}")
    for name, html in fresh.items():
        (GOLDEN / name).write_text(html, "utf-8")
        print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
