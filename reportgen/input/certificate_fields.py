"""Checks of what a certificate states (ISO/IEC 17065 §7.7, 17021-1 §8.2.2): present, and consistent."""

from __future__ import annotations

import re

from reportgen.errors import quoted
from reportgen.i18n import _
from reportgen.input.sheets import Reader
from reportgen.input.xlsx import Sheet
from reportgen.model.problems import WARNING
from reportgen.model.records import Certification, WorkbookSettings, same_name, same_person

_EDITION = re.compile(r"[:/-]\s*(19|20)\d\d\b")  # ISO 9001:2015, ES 7000-2023


def _settings_cell(sheet: Sheet | None, value: str) -> str:
    """Return the settings sheet's cell holding value, or "" when it is not typed there."""
    for _row, cells in sheet.rows if sheet else ():
        for c in cells:
            if isinstance(c.value, str) and c.value.strip() == value:
                return c.coord
    return ""


def check(
    reader: Reader,
    rows: list,
    certifications: list[Certification],
    title: str,
    settings: WorkbookSettings,
    settings_sheet: Sheet | None,
) -> None:
    """Report, at their cells, certificate fields that are missing or contradict one another."""
    if certifications and not settings.body_address:
        reader.problem(
            _("the certification body's address is missing: a certificate states it (settings key body_address)"),
            settings_sheet.title if settings_sheet else "settings",
            "",
            "عنوان جهة منح الشهادة",
            severity=WARNING,
        )
    for (_row_no, _values, coords), cert in zip(rows, certifications, strict=True):
        if (
            cert.certifying_body
            and settings.certifying_body
            and not same_name(cert.certifying_body, settings.certifying_body)
        ):
            reader.problem(
                _(
                    "this row names another certification body than the settings sheet's: its certificate shows no "
                    "address, accreditation or signatory (the settings sheet gives them for its own body only)"
                ),
                title,
                coords["certifying_body"],
                "جهة منح الشهادة",
                cert.certifying_body,
                WARNING,
            )
        decided = cert.issue_date or cert.audit_date
        if cert.effective_date and cert.effective_date < decided:
            reader.problem(
                _("the effective date is before the decision (issue) date {date}").format(
                    date=quoted(decided.isoformat())
                ),
                title,
                coords["effective_date"],
                "تاريخ السريان",
                cert.effective_date.isoformat(),
            )
        if cert.effective_date and cert.valid_until and cert.valid_until <= cert.effective_date:
            reader.problem(
                _("valid until must be after the effective date"),
                title,
                coords["valid_until"],
                "صالحة حتى",
                cert.valid_until.isoformat(),
            )
        if cert.supersedes and cert.revision < 1:
            reader.problem(
                _("a certificate that supersedes another is a reissue: give its revision number (1 or more)"),
                title,
                coords.get("revision") or coords["supersedes"],
                "رقم الإصدار",
                cert.revision,
            )
        if not cert.standard:
            reader.problem(
                _("no standard or scheme: a certificate states what it certifies against, with its edition"),
                title,
                coords.get("standard") or coords["cluster_id"],
                "المواصفة",
                severity=WARNING,
            )
        elif not _EDITION.search(cert.standard):
            reader.problem(
                _("the standard's edition is missing (e.g. ISO 9001:2015): a certificate states which edition"),
                title,
                coords.get("standard") or coords["cluster_id"],
                "المواصفة",
                cert.standard,
                WARNING,
            )
        maker = cert.decision_maker or settings.decision_maker
        cell = "" if cert.decision_maker else _settings_cell(settings_sheet, maker)  # typed in the settings sheet
        sheet = settings_sheet.title if cell and settings_sheet else title
        where = cell or coords.get("decision_maker", coords["cluster_id"])
        if not maker:
            reader.problem(
                _("nobody is recorded as taking the certification decision (decision_maker column or settings key)"),
                title,
                coords["cluster_id"],
                "متخذ القرار",
                severity=WARNING,
            )
        elif conflict := _evaluated_by(maker, cert):
            reader.problem(conflict, sheet, where, "متخذ القرار", maker, WARNING)


def _evaluated_by(maker: str, cert: Certification) -> str:
    """Return why the decision-maker also evaluated (lead auditor, audit team), or "" when they did not."""
    if same_person(maker, cert.lead_auditor):
        return _(
            "the decision-maker is the lead auditor: the decision must be taken by someone who did not "
            "evaluate (ISO/IEC 17065 §7.6, 17021-1 §9.5)"
        )
    if any(same_person(maker, m.partition(":")[0]) for m in _members(cert.audit_team)):
        return _(
            "the decision-maker is on the audit team: the decision must be taken by someone who did not "
            "evaluate (ISO/IEC 17065 §7.6, 17021-1 §9.5)"
        )
    return ""


def _members(team: str) -> list[str]:
    """Return the lines of the audit team cell."""
    return [m for m in team.replace("؛", "\n").replace(";", "\n").splitlines() if m.strip()]
