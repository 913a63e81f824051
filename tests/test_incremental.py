"""Incremental dossiers: a re-run makes again only what changed; --force makes all; the Dask executor's files equal a
local run's, byte for byte; the register is written reproducibly."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from reportgen.commands import common
from reportgen.commands import dossiers as dossiers_command
from reportgen.output import incremental
from reportgen.output.folder import MARKER, OutputFolder, kept_name
from reportgen.settings import Settings, builtin_templates_dir
from tests.helpers_dossier import TODAY, criterion, dossier_sheets, make_workbook

EPOCH = "1795046400"  # TODAY
SETTINGS = Settings(today=TODAY)
DOSSIERS = ["EG-T-001.pdf", "EG-T-002.pdf", "EG-T-003.pdf"]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A workbook and the folder of a first, cold run on it (in this process: --jobs 1)."""
    root = tmp_path_factory.mktemp("incremental")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        workbook = make_workbook(root)
        outcome = dossiers_command.run(workbook, root / "out", SETTINGS, jobs=1, unsigned=True)
    assert [p.name for p in outcome.written] == [*DOSSIERS, "register.xlsx"]
    return workbook, root / "out"


@pytest.fixture
def again(first, tmp_path):
    """Return (workbook, folder): a copy of the first run's folder, and a function running dossiers into it."""
    workbook, out = first
    folder = tmp_path / "out"
    shutil.copytree(out, folder)

    def run(book: Path = workbook, settings: Settings = SETTINGS, **options):
        return dossiers_command.run(book, folder, settings, jobs=1, **{"unsigned": True, **options})

    return folder, run


def names(paths) -> list[str]:
    return [Path(p).name for p in paths]


def test_nothing_changed_nothing_written(first, again):
    folder, run = again
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    outcome = run()
    assert outcome.written == [] and names(outcome.unchanged) == [*DOSSIERS, "register.xlsx"]
    assert outcome.failures == ["EG-T-004: no assessment rows for this certified cluster"]  # reported again
    assert any("no assessment rows" in w.message for w in outcome.warnings)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # not even the manifest


def test_same_data_in_a_new_file_renders_nothing(again, tmp_path):
    folder, run = again
    copy = make_workbook(tmp_path, name="resaved.xlsx")  # other bytes (openpyxl dates it), the same content
    outcome = run(copy)
    assert outcome.written == [] and len(outcome.unchanged) == 4


def test_changed_assessment_renders_that_dossier_and_the_register(again, tmp_path):
    folder, run = again
    before = files(folder)
    sheets = dossier_sheets()
    sheets["assessments"][4] = criterion("EG-T-002", "materials", 86)  # was 85
    outcome = run(make_workbook(tmp_path, sheets, name="changed.xlsx"))
    assert names(outcome.written) == ["EG-T-002.pdf", "register.xlsx"]
    after = files(folder)
    assert [n for n in before if before[n] != after[n]] == [MARKER, "EG-T-002.pdf", "register.xlsx"]


def test_changed_template_renders_the_dossiers_using_it(again, tmp_path):
    folder, run = again
    mine = tmp_path / "templates"
    shutil.copytree(builtin_templates_dir(), mine)
    (mine / "brief.css").write_text("/* the brief's: dossiers do not use it */\n", "utf-8")
    assert run(settings=SETTINGS.with_(templates_dir=mine)).written == []
    css = mine / "dossier.css"
    css.write_text(css.read_text("utf-8") + "\n.number { color: #000; }\n", "utf-8")
    outcome = run(settings=SETTINGS.with_(templates_dir=mine))
    assert names(outcome.written) == DOSSIERS  # the register shows no template: left as it was


def test_deleted_and_altered_files_are_rendered_again(again):
    folder, run = again
    original = (folder / "EG-T-003.pdf").read_bytes()
    (folder / "EG-T-001.pdf").unlink()
    (folder / "EG-T-003.pdf").write_bytes(original + b"% a note added by hand\n")
    outcome = run()
    assert names(outcome.written) == ["EG-T-001.pdf", "EG-T-003.pdf"]
    assert (folder / "EG-T-003.pdf").read_bytes() == original
    (kept,) = outcome.kept
    assert kept.name == kept_name("EG-T-003.pdf", incremental.file_digest(kept)) and kept.read_bytes().endswith(
        b"by hand\n"
    )


def test_force_renders_everything(again):
    folder, run = again
    before = files(folder)
    outcome = run(force=True)
    assert names(outcome.written) == [*DOSSIERS, "register.xlsx"] and outcome.unchanged == []
    assert files(folder) == before  # made again, the same bytes (SOURCE_DATE_EPOCH)


def test_a_run_with_a_failed_render_is_not_recorded_as_complete(again, monkeypatch):
    from reportgen.commands import issuing

    folder, run = again
    (folder / "EG-T-002.pdf").unlink()
    real = issuing.issue  # the dossiers render in worker processes: the failure is made here, in this one

    def failing(todo, *args, **kwargs):
        for issued in real(todo, *args, **kwargs):
            yield issuing.Issued(issued.dossier, None, "boom") if issued.dossier.cluster.id == "EG-T-002" else issued

    monkeypatch.setattr(issuing, "issue", failing)
    assert "EG-T-002: boom" in run().failures
    assert "run" not in json.loads((folder / MARKER).read_text())
    monkeypatch.undo()
    assert names(run().written) == ["EG-T-002.pdf", "register.xlsx"]  # the register had left it out


def test_strict_is_not_answered_from_the_last_run(again, tmp_path):
    from reportgen.errors import InvalidWorkbook
    from tests.helpers_dossier import certification

    folder, run = again
    sheets = dossier_sheets()
    sheets["certifications"][3] = certification("EG-T-003", "علامة مرفوضة \U0001f600")  # no bundled font has it
    book = make_workbook(tmp_path, sheets, name="emoji.xlsx")
    assert any("U+1F600" in w.message for w in run(book).warnings)
    assert any("U+1F600" in w.message for w in run(book).warnings)  # replayed: nothing to do
    with pytest.raises(InvalidWorkbook, match="U\\+1F600"):
        run(book, SETTINGS.with_(strict=True))


def test_manifest_of_the_earlier_format_is_read(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"A")
    (folder / MARKER).write_text(
        json.dumps(
            {"format": "reportgen output folder 1", "files": {"a.pdf": incremental.file_digest(folder / "a.pdf")}}
        )
    )
    out = OutputFolder.claim(folder)
    assert out.owned == {"a.pdf": incremental.file_digest(folder / "a.pdf")} and not out.current("a.pdf", "x")
    out.check(["a.pdf"])


def test_register_is_written_reproducibly(first, tmp_path):
    from reportgen.certification import register
    from reportgen.documents import dossier as dossier_doc

    workbook, out = first
    planned = dossier_doc.plan(common.load(workbook, SETTINGS).dataset, SETTINGS).dossiers
    (tmp_path / "r.xlsx").write_bytes(register.workbook(list(planned)))
    assert (tmp_path / "r.xlsx").read_bytes() == (out / "register.xlsx").read_bytes()
    with zipfile.ZipFile(out / "register.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 11, 19, 0, 0, 0)}  # the latest issue date
        assert b"2026-11-19T00:00:00Z</dcterms:modified>" in zf.read("docProps/core.xml")


def test_data_digest_tells_content_apart():
    import datetime as dt
    from decimal import Decimal

    from reportgen.model.records import Source

    assert incremental.data_digest([1, True]) != incremental.data_digest([True, 1])
    assert incremental.data_digest(1.0) != incremental.data_digest(1)
    assert incremental.data_digest(Decimal("1.0")) != incremental.data_digest(Decimal("1.00"))
    assert incremental.data_digest(dt.date(2026, 1, 1)) != incremental.data_digest("2026-01-01")
    from reportgen.model.records import Assessment

    one = Assessment("X", "materials", "c", 80, source=Source("assessments", 2))
    moved = Assessment("X", "materials", "c", 80, source=Source("assessments", 9))
    assert incremental.data_digest(one) == incremental.data_digest(moved)  # where a row sits is not what it shows


# ----------------------------------------------------------------------------- Dask


def test_dask_executor_writes_what_a_local_run_writes(first, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    workbook, local = first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the workers (spawned from here) see it too
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        outcome = dossiers_command.run(
            workbook, tmp_path / "out", SETTINGS, executor=f"dask://{address}", unsigned=True
        )
    assert names(outcome.written) == [*DOSSIERS, "register.xlsx"]
    assert files(tmp_path / "out") == files(local)  # the manifest included


def test_dask_executor_refuses_a_bad_address(first, tmp_path):
    from reportgen.errors import ReportgenError

    workbook, _ = first
    with pytest.raises(ReportgenError, match="give 'local' or dask://HOST:PORT"):
        dossiers_command.run(workbook, tmp_path / "out", SETTINGS, executor="tcp://127.0.0.1:1", unsigned=True)
    assert not (tmp_path / "out").exists()


def test_code_digest_covers_every_part_of_the_package():
    names = {name for name, _ in incremental.code_files()}
    for module in (
        "cli.py",
        "commands/dossiers.py",
        "certification/numbers.py",
        "render/charts/maps.py",
        "fonts/metrics.py",
        "documents/rule.py",
        "data/egypt_governorates.map.geojson",
    ):
        assert module in names, module
