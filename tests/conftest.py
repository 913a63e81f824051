"""Shared fixtures: small workbooks built in code, and an isolated working folder for every test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

CLUSTER_HEADERS = [
    "id",
    "name",
    "governorate",
    "locality",
    "sector",
    "products",
    "enterprises",
    "workers",
    "women_share",
    "annual_output_egp",
    "export_share",
    "priority",
]


def cluster_row(i: int, gov: str = "Luxor", **over) -> list:
    """Return a valid clusters row; keyword arguments replace columns by header."""
    row = dict(
        zip(
            CLUSTER_HEADERS,
            [
                f"EG-T-{i:03d}",
                f"تجمع اختبار {i}",
                gov,
                "قرية",
                "الحرف اليدوية",
                "سجاد، كليم",
                100 + i,
                400 + i,
                0.3,
                1_000_000 * i,
                0.1,
                "high" if i % 2 else "low",
            ],
            strict=True,
        )
    )
    row.update(over)
    return [row[h] for h in CLUSTER_HEADERS]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write sheets {title: rows} to path and return it."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path):
    """Return a function writing {sheet: rows} into a fresh .xlsx in tmp_path."""
    counter = iter(range(1000))

    def make(sheets: dict[str, list[list]], name: str | None = None) -> Path:
        return write_xlsx(tmp_path / (name or f"wb{next(counter)}.xlsx"), sheets)

    return make


@pytest.fixture
def basic_sheets() -> dict[str, list[list]]:
    """Return a small valid workbook's sheets (English headers)."""
    return {
        "settings": [
            ["key", "value"],
            ["title", "موجز اختبار"],
            ["organization", "جهة الاختبار"],
            ["issue_date", dt.date(2026, 11, 15)],
        ],
        "clusters": [CLUSTER_HEADERS, cluster_row(1, "Luxor"), cluster_row(2, "قنا"), cluster_row(3, "EG-DT")],
        "interventions": [
            ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end"],
            ["EG-T-001", "marketing", "معرض تسويقي", "الجهاز", 250000, dt.date(2026, 1, 1), dt.date(2026, 6, 30)],
            [None, "innovation", "برنامج وطني للابتكار", "الأكاديمية", 1_000_000, None, None],
        ],
    }


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Run every test in its own folder with a fixed date, far from the user's files."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795046400")  # 2026-11-19
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture(scope="session")
def documents(tmp_path_factory):
    """Every document of tests.documents.NAMES (samples, small workbook, long text, many rows), rendered once."""
    from tests.documents import render_all

    return render_all(tmp_path_factory.mktemp("documents"))


@pytest.fixture(scope="module")
def planned():
    """Return {cluster id: dossier plan} of every sample dossier, with the issuing set up for rendering."""
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier
    from tests.documents import SAMPLES, settings

    run = settings()
    parsed = common.load_clean(SAMPLES / "clusters.xlsx", run)
    issuing.setup(run, None)
    return {d.cluster.id: d for d in dossier.plan(parsed.dataset, run).dossiers}


@pytest.fixture(scope="module")
def pdfs(planned):
    """Return {cluster id: finished PDF} of tests.documents.WORDING_DOSSIERS, rendered from `planned`."""
    from reportgen.commands import issuing
    from tests.documents import SAMPLES, WORDING_DOSSIERS

    return {cid: issuing.render(planned[cid], SAMPLES).pdf or b"" for cid in WORDING_DOSSIERS}


@pytest.fixture(autouse=True, scope="session")
def _release_fonts():
    """Drop WeasyPrint's cached font configuration before interpreter shutdown (avoids a noisy __del__)."""
    yield
    from reportgen.render import pdf

    pdf._font_setup.cache_clear()


def need_tool(command: str, package: str) -> str:
    """Return the path of a Debian-packaged program; skip without it, but fail under CI=true, where it must be."""
    import os
    import shutil

    found = shutil.which(command)
    if found:
        return found
    message = f"`{command}` is missing: install the Debian package {package} (`make test` does so as root)"
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def libreoffice_saved(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Return {name: (workbook, the same re-saved by LibreOffice Calc)} for the samples and a helper-built workbook."""
    import subprocess

    from tests.helpers_dossier import make_workbook as make_dossier_workbook
    from tests.helpers_handout import write_handout_workbook

    soffice = need_tool("soffice", "libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("libreoffice")
    built = folder / "built"
    built.mkdir()
    from reportgen.input.starter import starter_files

    (built / "starter.xlsx").write_bytes(starter_files()["workbook.xlsx"])
    originals = [
        built / "starter.xlsx",
        SAMPLES / "small.xlsx",
        SAMPLES / "clusters.xlsx",
        make_dossier_workbook(built, name="dossier.xlsx"),
        write_handout_workbook(built / "handout.xlsx"),
    ]
    saved = folder / "saved"
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # its own profile: no clash with a running office
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(saved),
        *map(str, originals),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    pairs = {p.stem: (p, saved / p.name) for p in originals}
    missing = [str(again) for _, again in pairs.values() if not again.is_file()]
    assert done.returncode == 0 and not missing, f"LibreOffice did not save {missing}: {done.stdout}{done.stderr}"
    return pairs


BODY_NAME = "الهيئة المصرية للجودة EQA 2030"  # Arabic with a Latin acronym and digits, as bodies are named
BODY_PASSWORD = b"body-s3cret"


@pytest.fixture(scope="session")
def body_key(tmp_path_factory):
    """Return the test certification body's key, made once as `reportgen keys new` makes it.

    A namespace with: folder, p12, pem, password_file, key (a SigningKey) and name.
    """
    from types import SimpleNamespace

    from reportgen.certification.signing import read_key
    from reportgen.commands import keys

    folder = tmp_path_factory.mktemp("body-key")
    p12, pem, _ = keys.new(folder, BODY_NAME, BODY_PASSWORD)
    password_file = folder / "password.txt"
    password_file.write_bytes(BODY_PASSWORD + b"\n")
    key = read_key(p12, BODY_PASSWORD)
    return SimpleNamespace(folder=folder, p12=p12, pem=pem, password_file=password_file, key=key, name=BODY_NAME)


# Modules that read the session's `documents` (every document rendered once): under pytest-xdist (`make test`) they
# run in one worker, so that the documents are rendered once, not once per worker.
DOCUMENTS_READERS = {"test_layout", "test_reading", "test_searchable"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With `--dist loadscope`, hand out whole modules (their module-scoped renderings made once), the readers of the
    session's documents as one unit; xdist hands out the units with the most tests first."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        """xdist's scope scheduling with a module, or the documents' readers together, as the unit."""

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "documents" if Path(module).stem in DOCUMENTS_READERS else module

    return ByModule(config, log)
