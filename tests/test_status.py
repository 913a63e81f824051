"""A certificate's life: suspend, reinstate, withdraw, renew; the append-only status log, register and verify."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.certification import status as status_log
from reportgen.cli import cli
from tests.helpers_dossier import make_workbook

EPOCH = {"SOURCE_DATE_EPOCH": "1795046400"}  # 2026-11-19


@pytest.fixture(scope="module")
def issued(tmp_path_factory, body_key) -> tuple[Path, Path, dict[str, str]]:
    """Return (workbook, dossiers folder, cluster → number) for a granted and a conditional certificate, signed."""
    folder = tmp_path_factory.mktemp("life")
    shutil.copy(body_key.p12, folder / body_key.p12.name)
    workbook = make_workbook(folder)
    args = ["dossiers", str(workbook), "-o", str(folder / "out"), "--cluster", "EG-T-001", "--cluster", "EG-T-002"]
    result = CliRunner().invoke(cli, [*args, "-q", "--sign-password-file", str(body_key.password_file)], env=EPOCH)
    assert result.exit_code == 0, result.output
    return workbook, folder / "out", {row[1]: row[0] for row in _register(folder / "out")[1:]}


@pytest.fixture
def folder(issued, tmp_path) -> Path:
    """Return a copy of the issued dossiers folder, for a test to change."""
    return Path(shutil.copytree(issued[1], tmp_path / "out"))


def _register(folder: Path) -> list[list]:
    ws = openpyxl.load_workbook(folder / "register.xlsx").active
    return [[c.value for c in row] for row in ws.iter_rows()]


def _status_column(folder: Path) -> dict[str, str]:
    rows = _register(folder)
    at = rows[0].index("الحالة")
    return {row[1]: row[at] for row in rows[1:]}


def run(*args: object, env: dict | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*map(str, args)], env=env or EPOCH)
    return result.exit_code, result.output


def test_suspend_then_reinstate(issued, folder):
    number = issued[2]["EG-T-001"]
    code, out = run("suspend", number, "--reason", "رفض زيارة المراقبة", "--by", "م. سارة", "--dossiers", folder)
    assert code == 0, out
    assert out == f"{number}: the certificate was suspended on 2026-11-19 because رفض زيارة المراقبة (by م. سارة)\n"
    code, out = run("verify", folder / "EG-T-001.pdf")
    assert code == 1
    assert out.strip().endswith(
        "FAILED: the certificate was suspended on 2026-11-19 because رفض زيارة المراقبة (by م. سارة)"
    )
    assert _status_column(folder) == {"EG-T-001": "معلقة منذ 2026-11-19: رفض زيارة المراقبة", "EG-T-002": "سارية"}
    log = (folder / status_log.LOG_NAME).read_bytes()
    assert json.loads(log) == {
        "number": number,
        "action": "suspend",
        "at": "2026-11-19T00:00:00Z",
        "by": "م. سارة",
        "reason": "رفض زيارة المراقبة",
    }
    code, out = run("reinstate", number, "--reason", "تمت الزيارة", "--dossiers", folder)
    assert code == 0, out
    after = (folder / status_log.LOG_NAME).read_bytes()
    assert after.startswith(log) and after.count(b"\n") == 2  # appended, never rewritten
    assert json.loads(after.splitlines()[1])["by"]  # the system user when --by is not given
    code, out = run("verify", folder / "EG-T-001.pdf")
    assert code == 0 and out.strip().endswith("the certificate is valid"), out
    assert _status_column(folder)["EG-T-001"] == "سارية"


def test_a_withdrawn_certificate_stays_withdrawn(issued, folder):
    number = issued[2]["EG-T-002"]
    assert run("withdraw", number, "--reason", "misuse of the mark", "--by", "committee", "--dossiers", folder)[0] == 0
    code, out = run("verify", folder / "EG-T-002.pdf")
    assert code == 1
    assert "FAILED: the certificate was withdrawn on 2026-11-19 because misuse of the mark (by committee)" in out
    for action in ("reinstate", "suspend"):
        code, out = run(action, number, "--reason", "x", "--dossiers", folder)
        assert code == 1 and f"cannot {action} a certificate that is withdrawn" in out
    assert (folder / status_log.LOG_NAME).read_bytes().count(b"\n") == 1  # a refused action writes nothing


def test_renew_supersedes_the_old_number(issued, folder):
    old, new = issued[2]["EG-T-001"], issued[2]["EG-T-002"]
    code, out = run("renew", old, "--new", new, "--reason", "reissued", "--by", "committee", "--dossiers", folder)
    assert code == 0, out
    code, out = run("verify", folder / "EG-T-001.pdf", folder / "EG-T-002.pdf")
    assert code == 1
    first, second = out.splitlines()
    assert first.endswith(
        f"FAILED: the certificate was superseded on 2026-11-19 by {new} because reissued (by committee)"
    )
    assert ": OK " in second and second.endswith(f"the certificate is valid; it supersedes {old}")
    column = _status_column(folder)
    assert column["EG-T-001"] == f"حلت محلها شهادة أخرى منذ 2026-11-19 (الشهادة {new}): reissued"
    assert column["EG-T-002"] == f"سارية؛ تحل محل {old}"


def test_an_unknown_or_mistyped_number_is_refused(issued, folder):
    number = issued[2]["EG-T-001"]
    mistyped = number[:-1] + ("A" if number[-1] != "A" else "B")
    code, out = run("suspend", mistyped, "--reason", "x", "--dossiers", folder)
    assert code == 1 and "is not in" in out and "check character is wrong" in out
    assert not (folder / status_log.LOG_NAME).exists()
    code, out = run("suspend", number, "--reason", "  ", "--dossiers", folder)
    assert code == 1 and "give the reason" in out


def test_a_later_dossiers_run_keeps_the_log_and_shows_the_status(issued, folder, body_key):
    workbook, _, numbers = issued
    run("suspend", numbers["EG-T-002"], "--reason", "late visit", "--dossiers", folder)
    log = (folder / status_log.LOG_NAME).read_bytes()
    args = ["dossiers", workbook, "-o", folder, "--cluster", "EG-T-001", "--cluster", "EG-T-002", "-q"]
    code, out = run(*args, "--sign-password-file", body_key.password_file)
    assert code == 0, out  # the folder's new files (log, body certificate) are its own: not refused
    assert (folder / status_log.LOG_NAME).read_bytes() == log
    assert _status_column(folder)["EG-T-002"] == "معلقة منذ 2026-11-19: late visit"


def test_a_log_changed_by_hand_is_not_appended_to(issued, folder):
    number = issued[2]["EG-T-001"]
    run("suspend", number, "--reason", "x", "--dossiers", folder)
    (folder / status_log.LOG_NAME).write_text("")  # someone erases the suspension
    code, out = run("reinstate", number, "--reason", "y", "--dossiers", folder)
    assert code == 1 and "was changed since reportgen wrote it" in out
    code, out = run("verify", folder / "EG-T-001.pdf")  # nor read as if nothing had happened
    assert code == 1 and f"the status log {folder / status_log.LOG_NAME} was changed since reportgen wrote it" in out


def test_an_expired_certificate_reads_as_expired(issued):
    later = {"SOURCE_DATE_EPOCH": "1890000000"}  # 2029-11-22: after the certificates' validity
    code, out = run("verify", issued[1] / "EG-T-001.pdf", env=later)
    assert code == 1 and out.strip().endswith("FAILED: the certificate expired on 2029-11-18")


def test_a_certificate_is_not_in_force_before_its_effective_date(issued):
    import calendar
    import datetime as dt

    from pypdf import PdfReader

    from reportgen.certification.record import RECORD_NAME

    path = issued[1] / "EG-T-001.pdf"
    record = json.loads(PdfReader(str(path)).attachments[RECORD_NAME][0])
    effective = dt.date.fromisoformat(record["dates"]["effective"])
    before = {"SOURCE_DATE_EPOCH": str(calendar.timegm((effective - dt.timedelta(days=1)).timetuple()))}
    code, out = run("verify", path, env=before)
    assert code == 1 and f"not in force yet: it takes effect on {effective}" in out
    on_the_day = status_log.status_of(record["number"], [], "granted", None, effective, effective)
    assert on_the_day.state == "valid"
