"""Certification dossiers: one per certifications row, with its decision, reasons, dates and record."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from reportgen.certification import record as certs
from reportgen.certification.numbers import certificate_number, number_prefix
from reportgen.documents.rule import Decision, decide
from reportgen.errors import ReportgenError
from reportgen.model.records import Assessment, Certification, Cluster, Dataset
from reportgen.model.reference import AREAS
from reportgen.settings import Settings

DEFAULT_BODY = "جهة الاعتماد"
CONDITIONS_ON_CERTIFICATE = 3  # more would push the signatures off the framed page
CONDITION_CHARS = 90  # a condition as the certificate prints it: one line
CERTIFICATE_NAME_CHARS = 60  # the cluster's name and the brand on the framed page: two lines each


def _shortened(text: str, most: int) -> str:
    """Return text, or its first words up to most characters followed by "…"."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


SEVERITY_ORDER = {"major": 0, "minor": 1, "none": 2}
_STANDARD_CODE = re.compile(r"[A-Za-z][A-Za-z0-9/ .:-]*\d[A-Za-z0-9/.:-]*")  # ISO 9001:2015, ES 7000:2023


@dataclass(frozen=True)
class Area:
    """One assessment area: its criteria and its weighted sub-score."""

    key: str
    label: str
    score: float
    weight: float  # sum of its criteria's weights
    share: float  # of all weights: how much the area counts in the overall score
    criteria: tuple[Assessment, ...]


@dataclass(frozen=True)
class Finding:
    """A non-conformity with its status on the issue date."""

    item: Assessment
    status: str  # "closed" | "open" | "overdue" (open and past its due date)


@dataclass(frozen=True)
class Visit:
    """A planned audit after certification."""

    kind: str  # "surveillance" | "follow_up" | "recertification"
    number: int  # 1, 2, … among visits of its kind
    due: dt.date  # planned date (recertification: the latest date)
    earliest: dt.date | None = None  # recertification window start


@dataclass(frozen=True)
class Dossier:
    """Everything one dossier shows, computed."""

    number: str
    file_stem: str
    cluster: Cluster
    cert: Certification
    certifying_body: str
    brand_owner: str
    organization: str
    decision: str  # what the certificate says: the typed decision, else the rule's
    rule: Decision  # the rule's result with its steps
    typed: bool
    areas: tuple[Area, ...]
    nonconformities: tuple[Finding, ...]  # every finding graded minor or major, open first
    conditions: tuple[Assessment, ...]  # open minor non-conformities, by due date
    audit_date: dt.date
    issue_date: dt.date
    valid_until: dt.date | None  # None for a refusal
    visits: tuple[Visit, ...]
    thresholds: tuple[float, float]  # (refuse_below, grant_from)
    surveillance_months: int  # between surveillance audits
    record: bytes  # canonical JSON, embedded in the PDF
    fingerprint: str
    qr_text: str
    keywords: tuple[str, ...]

    @property
    def disagrees(self) -> bool:
        """Return True when a typed decision differs from the rule's."""
        return self.decision != self.rule.outcome

    @property
    def certified(self) -> bool:
        """Return True when the dossier carries a certificate (granted or conditional)."""
        return self.decision != "refused"

    @property
    def below_minimum(self) -> bool:
        """Return True when the overall score is below the minimum for certification (a reason to refuse)."""
        return self.rule.holds("below_refuse")

    @property
    def refused_by_body(self) -> bool:
        """Return True when a refusal has no reason in the rule (no open major finding, score not too low)."""
        return not self.rule.open_major and not self.below_minimum

    @property
    def local_share(self) -> float | None:
        """Return the share of the cluster's output sold at home: what is not exported (None if unknown)."""
        share = self.cluster.export_share
        return None if share is None else 1 - share

    @property
    def surveillance_yearly(self) -> bool:
        """Return True when surveillance audits are a year apart (said "yearly", not "every 12 months")."""
        return self.surveillance_months == 12

    @property
    def certificate_conditions(self) -> tuple[Assessment, ...]:
        """Return the conditions printed on the certificate (the page holds a few; the rest are in the file)."""
        return self.conditions[:CONDITIONS_ON_CERTIFICATE]

    @property
    def certificate_name(self) -> str:
        """Return the cluster's name as the framed certificate prints it (the other pages print it whole)."""
        return _shortened(self.cluster.name, CERTIFICATE_NAME_CHARS)

    @property
    def certificate_brand(self) -> str:
        """Return the brand as the framed certificate prints it (the other pages print it whole)."""
        return _shortened(self.cert.brand, CERTIFICATE_NAME_CHARS)

    @property
    def certificate_condition_lines(self) -> tuple[str, ...]:
        """Return each condition as the certificate prints it: criterion — action, shortened to one or two lines.

        The full texts are in the non-conformities table the certificate points to.
        """
        lines = []
        for a in self.certificate_conditions:
            text = f"{a.criterion} — {a.corrective_action}" if a.corrective_action else a.criterion
            lines.append(_shortened(text, CONDITION_CHARS))
        return tuple(lines)

    @property
    def more_conditions(self) -> int:
        """Return how many conditions the certificate leaves to the non-conformities table."""
        return max(0, len(self.conditions) - CONDITIONS_ON_CERTIFICATE)

    @property
    def certificate_density(self) -> str:
        """Return "normal", "compact" or "tight": how closely the framed page must set long texts."""
        lines = lambda text, per_line: -(-len(text) // per_line) if text else 0  # noqa: E731
        extra_mm = (
            13 * max(0, lines(self.certificate_name, 30) - 1)
            + 12 * max(0, lines(self.certificate_brand, 30) - 1)
            + 6 * max(0, lines(self.cert.scope, 85) - 1)
            + 7 * max(0, lines(self.cert.standard, 40) - 1)
            + 7 * max(0, lines(self.certifying_body, 45) - 1)
            + (
                8 + sum(6 * lines(t, 85) for t in self.certificate_condition_lines)
                if self.decision == "conditional"
                else 0
            )
            + (5 if self.more_conditions else 0)
        )
        return "tight" if extra_mm > 40 else "compact" if extra_mm > 10 else "normal"

    @property
    def standard_code(self) -> str:
        """Return the standard's Latin code and edition, e.g. "ISO 9001:2015" of "ISO 9001:2015 …"."""
        match = _STANDARD_CODE.match(self.cert.standard)
        return match.group(0).strip() if match else ""

    @property
    def standard_title(self) -> str:
        """Return the words after the standard's code (Arabic, usually), or the whole name when it has no code."""
        return (
            self.cert.standard[len(self.standard_code) :].strip(" -—–:") if self.standard_code else self.cert.standard
        )

    @property
    def short_fingerprint(self) -> str:
        """Return the fingerprint as printed."""
        return certs.short_fingerprint(self.fingerprint)

    @property
    def file_name(self) -> str:
        """Return the PDF's file name."""
        return f"{self.file_stem}.pdf"

    @property
    def document_title(self) -> str:
        """Return the title printed in the running header and the PDF metadata."""
        kind = "ملف الاعتماد" if self.certified else "ملف التقييم وقرار الاعتماد"
        return f"{kind} — {self.cluster.name}"

    @property
    def open_count(self) -> int:
        """Return the number of open non-conformities."""
        return sum(1 for f in self.nonconformities if f.status != "closed")

    @property
    def weight_total(self) -> float:
        """Return the sum of the criteria's weights (the overall score's denominator)."""
        return sum(a.weight for area in self.areas for a in area.criteria)

    @property
    def weighted_total(self) -> float:
        """Return the sum of weight × score over the criteria (the overall score's numerator)."""
        return sum(a.weight * a.score for area in self.areas for a in area.criteria)

    @property
    def criteria_count(self) -> int:
        """Return the number of assessed criteria."""
        return sum(len(area.criteria) for area in self.areas)


@dataclass(frozen=True)
class Failure:
    """A certification whose dossier cannot be made, and why."""

    cluster_id: str
    message: str


@dataclass(frozen=True)
class DossierPlan:
    """The dossiers of a run and the certifications that failed."""

    dossiers: tuple[Dossier, ...]
    failures: tuple[Failure, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """Return day moved by whole months, on the month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(issue: dt.date, years: int) -> dt.date:
    """Return the last day of validity: the day before the issue date's anniversary after years."""
    return add_months(issue, 12 * years) - dt.timedelta(days=1)


def schedule(
    issue: dt.date, valid_until: dt.date, every_months: int, conditions: tuple[Assessment, ...] = ()
) -> tuple[Visit, ...]:
    """Return surveillance audits every_months over the validity, a follow-up, and recertification."""
    visits: list[Visit] = []
    if conditions:  # a follow-up checks the corrective actions when the last one falls due
        last_due = max((a.due for a in conditions if a.due), default=issue)
        visits.append(Visit("follow_up", 1, max(last_due, issue)))
    window = add_months(valid_until, -3)
    k = 1
    while every_months > 0 and (due := add_months(issue, k * every_months)) < window:
        visits.append(Visit("surveillance", k, due))
        k += 1
    visits.append(Visit("recertification", 1, valid_until, max(window, issue)))
    return tuple(sorted(visits, key=lambda v: (v.due, v.kind)))


def _areas(items: list[Assessment], decision: Decision) -> tuple[Area, ...]:
    total = sum(a.weight for a in items) or 1.0
    out = []
    for key, (_en, ar) in AREAS.items():
        criteria = tuple(a for a in items if a.area == key)
        if criteria:
            weight = sum(a.weight for a in criteria)
            out.append(Area(key, ar, decision.area_scores[key], weight, weight / total, criteria))
    return tuple(out)


def _record(
    d: dict,
    cert: Certification,
    cluster: Cluster,
    items: list[Assessment],
    rule: Decision,
    settings: Settings,
) -> dict:
    """Return the machine-readable record a dossier embeds (no floats: decimals as text)."""
    dec = certs.decimal_text
    return {
        "format": certs.RECORD_FORMAT,
        "number": d["number"],
        "cluster": {
            "id": cluster.id,
            "name": cluster.name,
            "governorate": cluster.governorate.code,
            "locality": cluster.locality,
            "sector": cluster.sector,
            "products": cluster.products,
            "enterprises": cluster.enterprises,
            "workers": cluster.workers,
        },
        "certification": {
            "brand": cert.brand,
            "brand_owner": d["brand_owner"],
            "standard": cert.standard,
            "scope": cert.scope,
            "certifying_body": d["certifying_body"],
            "lead_auditor": cert.lead_auditor,
        },
        "dates": {
            "audit": cert.audit_date.isoformat(),
            "issue": d["issue_date"].isoformat(),
            "valid_until": d["valid_until"].isoformat() if d["valid_until"] else None,
        },
        "decision": {
            "outcome": d["decision"],
            "rule": rule.outcome,
            "typed": d["typed"],
            "overall": dec(rule.overall),
            "areas": {k: dec(v) for k, v in rule.area_scores.items()},
            "thresholds": {
                "refuse_below": dec(settings.thresholds.refuse_below),
                "grant_from": dec(settings.thresholds.grant_from),
            },
        },
        "assessment": [
            {
                "area": a.area,
                "criterion": a.criterion,
                "weight": dec(a.weight, 4),
                "score": dec(a.score, 4),
                "finding": a.finding,
                "severity": a.severity,
                "corrective_action": a.corrective_action,
                "due": a.due.isoformat() if a.due else None,
                "closed": a.closed,
            }
            for a in items
        ],
    }


def _one(
    cert: Certification, dataset: Dataset, settings: Settings, cluster: Cluster, items: list[Assessment]
) -> Dossier | Failure:
    if not items:
        return Failure(cert.cluster_id, "no assessment rows for this certified cluster")
    if sum(a.weight for a in items) <= 0:
        return Failure(cert.cluster_id, "the weights of this cluster's criteria add up to 0")
    rule = decide(items, settings.thresholds)
    decision = cert.decision or rule.outcome
    issue = cert.issue_date or max(settings.today, cert.audit_date)
    valid_until = None
    if decision != "refused":
        valid_until = cert.valid_until or default_valid_until(issue, settings.thresholds.validity_years)
    conditions = tuple(
        sorted(
            (a for a in items if a.is_open_nonconformity and a.severity == "minor"),
            key=lambda a: (a.due or dt.date.max, a.criterion),
        )
    )
    findings = tuple(
        Finding(a, "closed" if a.closed else "overdue" if a.due and a.due < issue else "open")
        for a in sorted(
            (a for a in items if a.severity != "none"),
            key=lambda a: (a.closed, SEVERITY_ORDER[a.severity], a.due or dt.date.max),
        )
    )
    number = certificate_number(cluster.id, cert.brand, cert.standard, cert.audit_date)
    parts: dict[str, Any] = {
        "number": number,
        "decision": decision,
        "typed": cert.decision is not None,
        "issue_date": issue,
        "valid_until": valid_until,
        "certifying_body": cert.certifying_body or dataset.settings.certifying_body or DEFAULT_BODY,
        "brand_owner": cert.brand_owner or f"منشآت {cluster.name}",
    }
    content = _record(parts, cert, cluster, items, rule, settings)
    record = certs.canonical_json(content)
    fingerprint = certs.fingerprint(record)
    payload = certs.payload_for(content, fingerprint)
    qr_text = payload.text(settings.verify_url or dataset.settings.verify_url)
    visits = schedule(issue, valid_until, settings.thresholds.surveillance_months, conditions) if valid_until else ()
    return Dossier(
        number=number,
        file_stem=number_prefix(cluster.id),
        cluster=cluster,
        cert=cert,
        certifying_body=parts["certifying_body"],
        brand_owner=parts["brand_owner"],
        organization=parts["certifying_body"],
        decision=decision,
        rule=rule,
        typed=parts["typed"],
        areas=_areas(items, rule),
        nonconformities=findings,
        conditions=conditions,
        audit_date=cert.audit_date,
        issue_date=issue,
        valid_until=valid_until,
        visits=visits,
        thresholds=(settings.thresholds.refuse_below, settings.thresholds.grant_from),
        surveillance_months=settings.thresholds.surveillance_months,
        record=record,
        fingerprint=fingerprint,
        qr_text=qr_text,
        keywords=tuple(certs.keywords(number, fingerprint, qr_text)),
    )


def plan(dataset: Dataset, settings: Settings, cluster_ids: tuple[str, ...] = ()) -> DossierPlan:
    """Return a dossier for each certification (only the given clusters, when any are given)."""
    certified = {c.cluster_id for c in dataset.certifications}
    unknown = [cid for cid in cluster_ids if cid not in certified]
    if unknown:
        known = ", ".join(sorted(certified)) or "none"
        raise ReportgenError(f"no certification row for cluster {', '.join(unknown)} (certified clusters: {known})")
    dossiers: list[Dossier] = []
    failures: list[Failure] = []
    clusters = {c.id: c for c in reversed(dataset.clusters)}  # the first of a repeated id, as dataset.cluster()
    assessed: dict[str, list[Assessment]] = {}
    for a in dataset.assessments:
        assessed.setdefault(a.cluster_id, []).append(a)
    for cert in dataset.certifications:
        if cluster_ids and cert.cluster_id not in cluster_ids:
            continue
        if cert.cluster_id not in clusters:
            raise KeyError(cert.cluster_id)  # as dataset.cluster() did: validation makes sure it never is
        made = _one(cert, dataset, settings, clusters[cert.cluster_id], assessed.get(cert.cluster_id, []))
        if isinstance(made, Failure):
            failures.append(made)
        else:
            dossiers.append(made)
    return DossierPlan(tuple(dossiers), tuple(failures))
