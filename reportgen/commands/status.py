"""`reportgen suspend|withdraw|reinstate|renew`: append to a dossiers folder's status log, then restate the register."""

from __future__ import annotations

import getpass
from pathlib import Path

from reportgen.certification import register
from reportgen.certification import status as status_log
from reportgen.certification.numbers import is_valid_number
from reportgen.errors import ReportgenError, UnreadableFile, quoted
from reportgen.i18n import N_, _
from reportgen.input.xlsx import read_workbook
from reportgen.output.folder import OutputFolder
from reportgen.settings import now, today


def read_entries(folder: Path) -> list[status_log.Entry] | None:
    """Return the status log kept in a dossiers folder (None when there is none)."""
    log = Path(folder) / status_log.LOG_NAME
    if not log.is_file():
        return None
    try:
        data = log.read_bytes()
    except OSError as exc:
        raise ReportgenError(_("cannot read {path}: {reason}").format(path=quoted(log), reason=exc.strerror)) from exc
    return status_log.read_log(data, str(log))


CHANGED = N_("was changed since reportgen wrote it; it is only ever appended to (restore it from a backup)")


def log_changed(folder: OutputFolder) -> bool:
    """Return True when the folder's status log is not as reportgen last left it (edited, cut or removed)."""
    name = status_log.LOG_NAME
    return name in folder.owned and folder.sha_on_disk(name) not in (folder.owned[name], folder.pending.get(name))


def _register_rows(folder: Path) -> list[list[object]]:
    path = folder / register.FILE_NAME
    if not path.is_file():
        raise ReportgenError(
            _("{folder} holds no {register}: give the folder `reportgen dossiers` wrote").format(
                folder=quoted(folder), register=register.FILE_NAME
            )
        )
    try:
        sheets = read_workbook(path).sheets
    except UnreadableFile as exc:
        raise ReportgenError(str(exc)) from exc
    if not sheets:
        raise ReportgenError(_("{path} holds no sheet").format(path=quoted(path)))
    return [[c.value for c in cells] for _row, cells in sheets[0].rows]


def run(
    action: str,
    number: str,
    reason: str,
    dossiers: Path,
    by: str = "",
    new_number: str = "",
) -> status_log.Status:
    """Record action on certificate number (with the reason, who and when) and return its status afterwards.

    action is suspend, withdraw, reinstate or supersede (renew: new_number replaces number). The number
    must be in the folder's register and the action must follow its status (a withdrawn certificate stays
    withdrawn); the log is appended to, never rewritten, and register.xlsx shows the new status.
    """
    number, new_number = number.strip().upper(), new_number.strip().upper()
    if not reason.strip():
        raise ReportgenError(_("give the reason (--reason): it is kept in the status log and shown by `verify`"))
    folder_path = Path(dossiers)
    with OutputFolder.claim(folder_path) as folder:
        rows = _register_rows(folder_path)
        listed = {str(r[0]).strip().upper(): r for r in rows[1:] if r and r[0]}
        for n in filter(None, (number, new_number)):
            if n not in listed:
                hint = "" if is_valid_number(n) else _(" (its check character is wrong: a typing mistake?)")
                raise ReportgenError(
                    _("{number} is not in {register}{hint}").format(
                        number=quoted(n), register=quoted(folder_path / register.FILE_NAME), hint=hint
                    )
                )
        if new_number == number:
            raise ReportgenError(_("{number} cannot supersede itself").format(number=quoted(number)))
        if log_changed(folder):
            raise ReportgenError(f"{quoted(folder_path / status_log.LOG_NAME)} {_(CHANGED)}")
        entries = read_entries(folder_path) or []
        when = today()
        current = _status(number, listed[number], entries, when)
        status_log.check_action(action, number, current)
        if new_number:
            replacing = _status(new_number, listed[new_number], entries, when)
            if not replacing.in_force or replacing.state == "refused":
                raise ReportgenError(
                    _("{new} cannot supersede {number}: {status}").format(
                        new=quoted(new_number), number=quoted(number), status=replacing.sentence()
                    )
                )
        entry = status_log.Entry(
            number=number,
            action=action,
            at=now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            by=by.strip() or _user(),
            reason=" ".join(reason.split()),
            superseded_by=new_number,
        )
        folder.append(status_log.LOG_NAME, entry.line())
        entries.append(entry)
        sheet, stamp = register.restatus(rows, entries, when)
        folder.check([register.FILE_NAME], replace_altered=False)
        folder.stage(register.FILE_NAME, register.workbook_of(sheet, stamp))
        folder.commit(folder.run)
        return _status(number, listed[number], entries, when)


def _status(number: str, row: list[object], entries: list[status_log.Entry], when) -> status_log.Status:
    import datetime as dt

    decisions = {arabic: code for code, (_english, arabic) in register.DECISIONS.items()}
    until = row[8] if len(row) > 8 else None
    until = until.date() if isinstance(until, dt.datetime) else until
    decision = decisions.get(str(row[5]), "") if len(row) > 5 else ""
    return status_log.status_of(number, entries, decision, until if isinstance(until, dt.date) else None, when)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor the password database
        return "unknown"
