"""docs/benchmarks.md as `make bench` writes it: its head made from one run's parts, the notes below kept as written.

No timing here: the benchmarks measure, the tests only check how their document is put together.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(monkeypatch):
    """benchmarks/run.py as a module (it imports its neighbours as top-level modules, as when run as a script)."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    return importlib.import_module("run")


def part(name: str, targets: list[dict], run: float = 1796041000.0) -> dict:
    return {
        "name": name,
        "run": run,
        "markdown": f"## {name}\n\nits tables\n",
        "targets": targets,
        "started": 1796040000.0,
        "ended": 1796040600.0,
        "load": [2.0, 3.5],
        "quick": False,
    }


def test_the_document_has_its_marker_once_and_a_head_made_by_make_bench(run):
    text = (ROOT / "docs" / "benchmarks.md").read_text("utf-8")
    assert text.count(run.MARKER) == 1
    head = text.partition(run.MARKER)[0]
    assert head.startswith("# Benchmarks\n\nMade by `make bench`")
    assert "## Issue 15's targets" in head
    for name in run.PARTS:
        assert f"- `{name}`: " in head  # when each part was measured, and at what load


def test_the_notes_by_hand_are_kept_and_every_target_gets_a_row(run):
    notes = "## A round of work\n\nWritten by hand, | with a pipe | and a [link](x.md).\n"
    parts = [
        part("peers", [{"what": "vs Chromium", "figure": "**3.1×**", "target": "< 1×", "met": False}]),
        part("batch", [{"what": "re-run", "figure": "0.3 %", "target": "≤ 2 %", "met": True}]),
        part("memory", [{"what": "Dask", "figure": "1.2 s", "target": "none", "met": None}], run=1796040000.0),
    ]
    first = run.document(parts, notes)
    assert run.hand_written(first) == notes
    again = run.document(parts, run.hand_written(first))
    assert again == first and again.count(run.MARKER) == 1  # written again: the same, one marker
    assert "| vs Chromium | **3.1×** | < 1× | **not met** | peers |" in first
    assert "| re-run | 0.3 % | ≤ 2 % | met | batch |" in first
    assert "| Dask | 1.2 s | none | — | memory |" in first
    assert "- `memory`: 2026-11-30 12:00–12:10 UTC, load 2.0 → 3.5 (saved from an earlier run)" in first
    assert "- `brief`: **not measured**" in first
    assert first.index("## peers") < first.index("## batch") < first.index("## memory") < first.index(run.MARKER)


def test_a_document_without_its_marker_is_not_overwritten(run, tmp_path, monkeypatch):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nnotes without the marker\n", "utf-8")
    monkeypatch.setattr(run, "DOCS", docs)
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "QUICK", False)
    monkeypatch.setenv("BENCH_PARTS", "memory")
    monkeypatch.setattr(run, "run_part", lambda *args: pytest.fail("measured before checking the document"))
    assert run.main() == 1
    assert docs.read_text("utf-8") == "# Benchmarks\n\nnotes without the marker\n"


def test_saved_parts_are_the_committed_results_of_the_last_run(run):
    """What `BENCH_PARTS=memory make bench` takes the other parts from: the run that wrote the document."""
    text = (ROOT / "docs" / "benchmarks.md").read_text("utf-8")
    for name in run.PARTS:
        saved = json.loads((ROOT / "benchmarks" / "results" / f"part-{name}.json").read_text("utf-8"))
        assert not saved["quick"]
        assert saved["markdown"] in text
