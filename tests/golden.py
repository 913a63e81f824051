"""Golden HTML of each document kind: compare with `pytest`, regenerate with `make golden`."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
_DATA_URI = re.compile(r"data:image/(svg\+xml|png);base64,[A-Za-z0-9+/=]+")


def normalise(html: str) -> str:
    """Return html with chart images elided (charts have their own tests) and paths made neutral."""
    html = _DATA_URI.sub(lambda m: f"data:image/{m.group(1)};base64,…", html)
    return html.replace(str(SAMPLES), "SAMPLES")


def cases() -> dict[str, str]:
    """Return {golden file name: freshly rendered, normalised HTML}."""
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
    return {name: normalise(html) for name, html in out.items()}


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
    for name, html in cases().items():
        (GOLDEN / name).write_text(html, "utf-8")
        print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
