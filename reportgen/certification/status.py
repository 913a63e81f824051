"""A certificate's status over its life: the append-only status log (JSON lines) and what it says of a number."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import N_, _, is_arabic

LOG_NAME = "status-log.jsonl"  # beside the register in the dossiers folder; only ever appended to
ACTIONS = ("suspend", "withdraw", "reinstate", "supersede")
STATE_AFTER = {"suspend": "suspended", "withdraw": "withdrawn", "reinstate": "valid", "supersede": "superseded"}
# What each action may follow: a withdrawn or superseded certificate is final.
ALLOWED = {
    "suspend": ("valid",),
    "withdraw": ("valid", "suspended", "expired"),
    "reinstate": ("suspended",),
    "supersede": ("valid", "suspended", "expired"),
}
IN_FORCE = ("valid",)  # every other state makes `verify` fail
ARABIC = {
    "valid": "سارية",
    "suspended": "معلقة",
    "withdrawn": "مسحوبة",
    "superseded": "حلت محلها شهادة أخرى",
    "expired": "منتهية الصلاحية",
    "refused": "لم تمنح",
    "pending": "لم تسر بعد",
}


@dataclass(frozen=True)
class Entry:
    """One line of the status log: who did what to which certificate, when and why."""

    number: str
    action: str
    at: str  # ISO 8601 UTC time, e.g. 2026-11-19T10:30:00Z
    by: str
    reason: str
    superseded_by: str = ""  # for "supersede": the number of the certificate that replaces this one

    def line(self) -> bytes:
        """Return the entry as one JSON line (keys sorted, UTF-8)."""
        data = {k: v for k, v in asdict(self).items() if v or k in ("reason", "by")}
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"

    @property
    def date(self) -> str:
        """Return the entry's date (YYYY-MM-DD)."""
        return self.at[:10]


@dataclass(frozen=True)
class Status:
    """Where a certificate stands: its state, since when, why and by whom; what replaced it or it replaced."""

    state: str  # valid, suspended, withdrawn, superseded, expired, refused, pending (its effective date to come)
    since: str = ""
    reason: str = ""
    by: str = ""
    superseded_by: str = ""
    supersedes: tuple[str, ...] = ()

    @property
    def in_force(self) -> bool:
        """Return True when the certificate stands (a refusal is a decision, not a certificate in force)."""
        return self.state in IN_FORCE or self.state == "refused"

    def sentence(self) -> str:
        """Return the status as a sentence for `verify`."""
        why = _(" because {reason}").format(reason=quoted(self.reason)) if self.reason else ""
        who = _(" (by {name})").format(name=quoted(self.by)) if self.by else ""
        text = _(SENTENCES[self.state]).format(
            date=quoted(self.since), why=why, who=who, number=quoted(self.superseded_by)
        )
        if self.supersedes:
            text += _("; it supersedes {numbers}").format(numbers=_(", ").join(quoted(n) for n in self.supersedes))
        return text

    def arabic(self) -> str:
        """Return the status as the register's status column shows it."""
        text = ARABIC[self.state]
        if self.state in ("suspended", "withdrawn", "superseded", "expired") and self.since:
            text += f" منذ {self.since}"
        if self.state == "pending":
            text += f"؛ تسري من {self.since}"
        if self.superseded_by:
            text += f" (الشهادة {self.superseded_by})"
        if self.reason and self.state in ("suspended", "withdrawn", "superseded"):
            text += f": {self.reason}"
        if self.supersedes:
            text += f"؛ تحل محل {'، '.join(self.supersedes)}"
        return text


SENTENCES = {
    "valid": N_("the certificate is valid"),
    "refused": N_("the decision recorded is a refusal: no certificate was granted"),
    "expired": N_("the certificate expired on {date}"),
    "pending": N_("the certificate is not in force yet: it takes effect on {date}"),
    "suspended": N_("the certificate was suspended on {date}{why}{who}"),
    "withdrawn": N_("the certificate was withdrawn on {date}{why}{who}"),
    "superseded": N_("the certificate was superseded on {date} by {number}{why}{who}"),
}
# Each action as a user asks for it, in a sentence saying it cannot be done.
REFUSED_ACTIONS = {
    "suspend": N_("{number}: cannot suspend a certificate that is {state} ({status})"),
    "withdraw": N_("{number}: cannot withdraw a certificate that is {state} ({status})"),
    "reinstate": N_("{number}: cannot reinstate a certificate that is {state} ({status})"),
    "supersede": N_("{number}: cannot supersede a certificate that is {state} ({status})"),
}


def read_log(data: bytes, where: str = LOG_NAME) -> list[Entry]:
    """Return the log's entries in order; ReportgenError naming the line when one cannot be read."""
    entries = []
    for n, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw.decode("utf-8"))
            entry = Entry(**{k: str(v) for k, v in item.items()})
            if entry.action not in ACTIONS:
                raise ValueError(f"unknown action {entry.action!r}")
            dt.datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
        except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
            raise ReportgenError(
                _("{path}, line {n}: not a status entry reportgen can read ({reason})").format(
                    path=quoted(where), n=n, reason=exc
                )
            ) from None
        entries.append(entry)
    return entries


def status_of(
    number: str,
    entries: list[Entry],
    decision: str,
    valid_until: dt.date | None,
    today: dt.date,
    effective: dt.date | None = None,
) -> Status:
    """Return a certificate's status today from the log (in order) and its own validity (effective … valid_until)."""
    if decision == "refused":
        return Status("refused")
    current = Status("valid")
    for e in entries:
        if e.number == number:
            current = Status(STATE_AFTER[e.action], e.date, e.reason, e.by, e.superseded_by)
    supersedes = tuple(e.number for e in entries if e.action == "supersede" and e.superseded_by == number)
    if current.state == "valid" and valid_until is not None and valid_until < today:
        current = Status("expired", valid_until.isoformat())
    if current.state == "valid" and effective is not None and today < effective:
        current = Status("pending", effective.isoformat())
    return Status(current.state, current.since, current.reason, current.by, current.superseded_by, supersedes)


def check_action(action: str, number: str, status: Status) -> None:
    """Raise ReportgenError when action cannot follow the certificate's status (e.g. reinstate a withdrawn one)."""
    if status.state not in ALLOWED[action]:
        state = ARABIC[status.state] if is_arabic() else status.state
        raise ReportgenError(
            _(REFUSED_ACTIONS[action]).format(number=quoted(number), state=state, status=status.sentence())
        )
