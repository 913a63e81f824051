"""VALIDATE: raw sheets → typed records plus every problem, located; the edge past which values are trusted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import quoted
from reportgen.i18n import N_, _, ngettext
from reportgen.input import certificate_fields
from reportgen.input.columns import ASSESSMENTS, CERTIFICATIONS, CLUSTERS, INTERVENTIONS, PROGRAMME, SETTINGS
from reportgen.input.images import BadImage, check_logo
from reportgen.input.sheets import Reader
from reportgen.input.xlsx import RawWorkbook, Sheet
from reportgen.model import ids
from reportgen.model.problems import WARNING, Problem
from reportgen.model.records import (
    Assessment,
    Certification,
    Cluster,
    Dataset,
    Intervention,
    Session,
    Source,
    WorkbookSettings,
)


@dataclass
class Parsed:
    """The outcome of validation: the dataset (possibly partial) and every problem."""

    dataset: Dataset
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that block rendering."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that are only warnings."""
        return [p for p in self.problems if not p.is_error]


def _build(rows, sheet: Sheet | None, record_type):
    return [
        record_type(**values, source=Source(sheet.title if sheet else "", row_no, tuple(coords.items())))
        for row_no, values, coords in rows
    ]


def parse(raw: RawWorkbook) -> Parsed:
    """Return every record of the workbook and every problem found, errors and warnings alike."""
    reader = Reader(raw)
    sheets = reader.find_sheets()
    settings_sheet = sheets.get(SETTINGS.key)
    settings = WorkbookSettings(**(reader.settings(settings_sheet) if settings_sheet else {}))
    all_rows = {
        spec.key: (reader.table(sheets[spec.key], spec) if spec.key in sheets else [])
        for spec in (CLUSTERS, INTERVENTIONS, ASSESSMENTS, CERTIFICATIONS, PROGRAMME)
    }
    rows = {key: [r for r in found if r.ok] for key, found in all_rows.items()}
    records = {
        "clusters": _clusters(reader, sheets, rows["clusters"]),
        "interventions": _build(rows["interventions"], sheets.get(INTERVENTIONS.key), Intervention),
        "assessments": _build(rows["assessments"], sheets.get(ASSESSMENTS.key), Assessment),
        "certifications": _build(rows["certifications"], sheets.get(CERTIFICATIONS.key), Certification),
        "programme": _programme(rows["programme"], sheets.get(PROGRAMME.key)),
    }
    _check_image(reader, settings.logo, LOGO, "الشعار", raw.path, settings_sheet)
    _check_image(reader, settings.seal, SEAL, "الختم", raw.path, settings_sheet)
    known_ids = {r.values["id"] for r in all_rows["clusters"] if "id" in r.values}
    # Without a clusters sheet, or without its id column, every row naming a cluster would be one more problem
    # saying so: the one problem already reported says it all. An empty clusters sheet is said once per sheet.
    listed = CLUSTERS.key in sheets and (bool(known_ids) or not all_rows["clusters"])
    _cross_check(reader, rows, records, sheets, known_ids if listed else None)
    if CERTIFICATIONS.key in sheets:
        certificate_fields.check(
            reader,
            rows["certifications"],
            records["certifications"],
            sheets[CERTIFICATIONS.key].title,
            settings,
            settings_sheet,
        )
    dataset = Dataset(
        settings=settings,
        workbook_dir=str(Path(raw.path).resolve().parent),
        **{k: tuple(v) for k, v in records.items()},
    )
    return Parsed(dataset, reader.problems)


def _check_closure(reader: Reader, a: Assessment, coords: dict, sheet: str, audit: dt.date | None) -> None:
    """Report a closed finding without its closure date, and a closure date that cannot be one."""
    if a.severity == "none":
        return
    if a.closed and a.closed_on is None:
        reader.problem(
            _("a closed non-conformity without the date it was closed: type it in closed_on (تاريخ الإغلاق)"),
            sheet,
            coords.get("closed", ""),
            "مغلقة",
            severity=WARNING,
        )
    elif a.closed_on and not a.closed:
        reader.problem(
            _("a closure date on a non-conformity not marked closed: type yes in closed, or clear the date"),
            sheet,
            coords["closed_on"],
            "تاريخ الإغلاق",
            a.closed_on.isoformat(),
        )
    elif a.closed_on and audit and a.closed_on < audit:
        reader.problem(
            _("the closure date is before the audit date ({date}) that found the non-conformity").format(
                date=quoted(audit.isoformat())
            ),
            sheet,
            coords["closed_on"],
            "تاريخ الإغلاق",
            a.closed_on.isoformat(),
        )


def _clusters(reader: Reader, sheets, rows) -> list[Cluster]:
    out: list[Cluster] = []
    first_seen: dict[str, tuple[str, str]] = {}  # file key → (cell, id as typed there)
    sheet = sheets.get(CLUSTERS.key)
    for row_no, values, coords in rows:
        cid = values["id"]
        key = ids.file_key(cid)
        if key in first_seen:
            cell, earlier = first_seen[key]
            reader.problem(
                _("duplicate cluster id (first used at {cell})").format(cell=quoted(cell))
                if earlier == cid
                else _(
                    "duplicate cluster id: {cell} holds {earlier}, which differs only in letter case or "
                    "character forms and would name the same dossier file"
                ).format(cell=quoted(cell), earlier=quoted(repr(earlier))),
                sheet.title,
                coords["id"],
                CLUSTERS.columns[0].ar,
                cid,
            )
            continue
        first_seen[key] = (coords["id"], cid)
        if len(found := ids.scripts(cid)) > 1:
            reader.problem(
                _(
                    "the id mixes letters of {n} scripts ({scripts}); a letter that looks Latin may not be "
                    "(retype the id)"
                ).format(
                    n=len(found), scripts=_(", ").join(_(SCRIPTS[s]) if s in SCRIPTS else s.title() for s in found)
                ),
                sheet.title,
                coords["id"],
                CLUSTERS.columns[0].ar,
                cid,
                WARNING,
            )
        if values["workers"] < values["enterprises"]:
            reader.problem(
                _("fewer workers than enterprises; check the two figures"),
                sheet.title,
                coords["workers"],
                "عدد العاملين",
                values["workers"],
                WARNING,
            )
        out.append(Cluster(**values, source=Source(sheet.title if sheet else "", row_no)))
    return out


def _programme(rows, sheet: Sheet | None) -> list[Session]:
    out = []
    for row_no, values, _coords in rows:
        day = values.pop("day", "")
        if isinstance(day, dt.date):
            values["day_date"] = day
            day = day.isoformat()
        out.append(Session(day=day, **values, source=Source(sheet.title if sheet else "", row_no)))
    return out


# The scripts a mixed id is most often typed in (Unicode's name for each; others are shown as Unicode names them).
SCRIPTS = {
    "LATIN": N_("Latin"),
    "CYRILLIC": N_("Cyrillic"),
    "GREEK": N_("Greek"),
    "ARABIC": N_("Arabic"),
    "ARMENIAN": N_("Armenian"),
    "HEBREW": N_("Hebrew"),
}
LOGO, SEAL = N_("logo"), N_("seal")  # what a picture is, in the messages about it


def _check_image(reader: Reader, value: str, kind: str, label: str, path: Path, sheet: Sheet | None) -> None:
    """Report a logo or seal setting that is not a safe image file in the workbook's folder."""
    if not value:
        return
    messages = _IMAGE_MESSAGES[kind]
    base = Path(path).resolve().parent
    target = (base / value).resolve()  # follows symbolic links: one pointing outside is outside
    where = sheet.title if sheet else ""
    cell = next(
        (
            c.coord
            for _row, cells in (sheet.rows if sheet else ())
            for c in cells
            if isinstance(c.value, str) and c.value.strip() == value
        ),
        "",
    )
    if ":" in value.split("/")[0] and len(value.split(":")[0]) > 1:  # http:, file:, data:
        reader.problem(_(messages[0]), where, cell, label, value)
    elif not target.is_relative_to(base):
        reader.problem(_(messages[1]), where, cell, label, value)
    elif not target.is_file():
        reader.problem(_(messages[2]), where, cell, label, value)
    elif target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif"):
        reader.problem(_(messages[3]), where, cell, label, value)
    else:
        try:
            check_logo(target, kind)
        except (BadImage, OSError) as exc:
            reason = str(exc) if isinstance(exc, BadImage) else _(messages[4]).format(reason=exc.strerror)
            reader.problem(reason, where, cell, label, value)


# Whole sentences per picture: a translator sees each one as it is read.
_IMAGE_MESSAGES = {
    LOGO: (
        N_("the logo must be a file in the workbook's folder, not a web address"),
        N_("the logo must be a file in the workbook's folder (or below it)"),
        N_("the logo file does not exist beside the workbook"),
        N_("the logo must be a PNG, JPEG, GIF or SVG image"),
        N_("the logo cannot be read ({reason})"),
    ),
    SEAL: (
        N_("the seal must be a file in the workbook's folder, not a web address"),
        N_("the seal must be a file in the workbook's folder (or below it)"),
        N_("the seal file does not exist beside the workbook"),
        N_("the seal must be a PNG, JPEG, GIF or SVG image"),
        N_("the seal cannot be read ({reason})"),
    ),
}


def _cross_check(reader: Reader, rows, records, sheets, known_ids: set | None) -> None:
    """Check what one sheet says about another; known_ids None: the clusters cannot be read (reported already)."""
    ids = {c.id for c in records["clusters"]}
    titles = {k: s.title for k, s in sheets.items()}
    for key, spec, optional in (
        ("interventions", INTERVENTIONS, True),
        ("assessments", ASSESSMENTS, False),
        ("certifications", CERTIFICATIONS, False),
    ):
        if known_ids is None:
            break
        naming = [r for r in rows[key] if r.values.get("cluster_id") is not None]
        if not known_ids and naming:
            count = ngettext(
                "{n} row names a cluster, but the clusters sheet lists none",
                "{n} rows name clusters, but the clusters sheet lists none",
                len(naming),
            )
            reader.problem(count.format(n=len(naming)), titles[key])
            continue
        for _row_no, values, coords in rows[key]:
            cid = values.get("cluster_id")
            if cid is None and optional:
                continue
            if cid not in known_ids:
                reader.problem(
                    _("no cluster has this id in the clusters sheet"),
                    titles[key],
                    coords.get("cluster_id", ""),
                    spec.columns[0].ar,
                    cid,
                )
    by_cluster: dict[str, list[Assessment]] = defaultdict(list)
    for a in records["assessments"]:
        by_cluster[a.cluster_id].append(a)
    audit: dict[str, dt.date] = {}
    seen: dict[str, str] = {}
    for (_row_no, _values, coords), cert in zip(rows["certifications"], records["certifications"], strict=True):
        sheet = titles["certifications"]
        if cert.cluster_id in seen:
            reader.problem(
                _("a second certification row for this cluster (first at {cell})").format(
                    cell=quoted(seen[cert.cluster_id])
                ),
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
            )
            continue
        seen[cert.cluster_id] = coords["cluster_id"]
        audit[cert.cluster_id] = cert.audit_date
        if cert.issue_date and cert.issue_date < cert.audit_date:
            reader.problem(
                _("the issue date is before the audit date"),
                sheet,
                coords["issue_date"],
                "تاريخ الإصدار",
                cert.issue_date.isoformat(),
            )
        if cert.valid_until and cert.valid_until <= (cert.issue_date or cert.audit_date):
            reader.problem(
                _("valid until must be after the issue date"),
                sheet,
                coords["valid_until"],
                "صالحة حتى",
                cert.valid_until.isoformat(),
            )
        items = by_cluster.get(cert.cluster_id)
        if cert.cluster_id in ids and not items:
            reader.problem(
                _("no assessment rows for this certified cluster; its dossier cannot be made"),
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
                WARNING,
            )
        elif items and sum(a.weight for a in items) <= 0:
            reader.problem(
                _("the weights of this cluster's criteria add up to 0"),
                sheet,
                coords["cluster_id"],
                "رمز التجمع",
                cert.cluster_id,
            )
    for (_row_no, _values, coords), a in zip(rows["assessments"], records["assessments"], strict=True):
        when = audit.get(a.cluster_id)
        if a.due and when and a.due < when:
            reader.problem(
                _("the due date is before the audit date ({date})").format(date=quoted(when.isoformat())),
                titles["assessments"],
                coords["due"],
                "الموعد",
                a.due.isoformat(),
            )
        _check_closure(reader, a, coords, titles["assessments"], when)
        if a.severity != "none" and not a.corrective_action and not a.closed:
            reader.problem(
                _("an open non-conformity without a corrective action"),
                titles["assessments"],
                coords.get("corrective_action", coords["severity"]),
                "الإجراء التصحيحي",
                severity=WARNING,
            )
    for (_row_no, _values, coords), s in zip(rows["programme"], records["programme"], strict=True):
        if s.end and s.end <= s.start:
            reader.problem(
                _("the session ends before it starts"),
                titles["programme"],
                coords["end"],
                "إلى",
                s.end.strftime("%H:%M"),
            )
