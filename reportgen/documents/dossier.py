"""Certification dossiers: one per certifications row, with its decision, reasons, dates and record."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from reportgen.certification import record as certs
from reportgen.certification.numbers import certificate_number, number_prefix
from reportgen.documents.record import Named, dossier_record, named_lines
from reportgen.documents.rule import Decision, decide, issue_date
from reportgen.documents.surveillance import Visit, default_valid_until, schedule
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.model.arabic import attestation, gender
from reportgen.model.records import Assessment, Certification, Cluster, Dataset, same_name, same_person
from reportgen.model.reference import AREAS, management_system
from reportgen.settings import Settings

DEFAULT_BODY = "جهة منح الشهادة"
CONDITIONS_ON_CERTIFICATE = 3  # more would push the signatures off the framed page
CONDITION_CHARS = 90  # a condition as the certificate prints it: one line
CERTIFICATE_NAME_CHARS = 60  # the cluster's name and the brand on the framed page: two lines each


def _shortened(text: str, most: int) -> str:
    """Return text, or its first words up to most characters followed by "…"."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


SITES_ON_CERTIFICATE = 4  # the rest are listed in the certificate's particulars, an annex to it
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
class Dossier:
    """Everything one dossier shows, computed."""

    number: str
    file_stem: str
    cluster: Cluster
    cert: Certification
    certifying_body: str
    body_address: str
    brand_owner: str
    holder_address: str
    organization: str
    sites: tuple[Named, ...]  # certified sites, each with its scope ("" = the certificate's scope)
    team: tuple[Named, ...]  # the audit team with roles, the lead auditor first
    sites_visited: tuple[Named, ...]
    decision_maker: str
    accreditation: str  # blank: the scope is not accredited, no accreditation mark
    specimen: bool
    signatories: tuple[Named, ...]  # (name, title) from the settings sheet
    verify_url: str  # where a person checks a certificate ("" = by the code and the file alone)
    decision: str  # what the certificate says: the typed decision, else the rule's
    rule: Decision  # the rule's result with its steps
    typed: bool
    areas: tuple[Area, ...]
    nonconformities: tuple[Finding, ...]  # every finding graded minor or major, open first
    conditions: tuple[Assessment, ...]  # open minor non-conformities, by due date
    audit_date: dt.date
    issue_date: dt.date  # the decision's date
    effective_date: dt.date  # never before the decision
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
    def decided_by_lead_auditor(self) -> bool:
        """Return True when the decision-maker evaluated the cluster too (ISO/IEC 17065 §7.6, 17021-1 §9.5)."""
        return bool(self.decision_maker) and same_person(self.decision_maker, self.cert.lead_auditor)

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
    def follow_up_timing(self) -> str:
        """Return "on" or "after": the follow-up visit against the last closure deadline ("" without a follow-up)."""
        visit = next((v for v in self.visits if v.kind == "follow_up"), None)
        deadlines = [a.due for a in self.conditions if a.due]
        if visit is None or not deadlines:
            return ""
        return "after" if visit.due > max(deadlines) else "on"

    @property
    def certificate_conditions(self) -> tuple[Assessment, ...]:
        """Return the conditions printed on the certificate (the page holds a few; the rest are in the file)."""
        return self.conditions[:CONDITIONS_ON_CERTIFICATE]

    @property
    def certificate_holder(self) -> str:
        """Return the holder's name as the framed certificate prints it (the other pages print it whole)."""
        return _shortened(self.brand_owner, CERTIFICATE_NAME_CHARS)

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
    def attestation(self) -> str:
        """Return the certificate's "<body> attests": the verb agrees with the body's name (يشهد مركز، تشهد الهيئة)."""
        return attestation(self.certifying_body)

    @property
    def system(self) -> str:
        """Return the management system the standard certifies ("نظام إدارة الجودة" for ISO 9001), "" for products.

        A management-system certificate attests the holder's system, not its products: its mark may name the
        certified system on letterheads and in advertising, never on a product (ISO/IEC 17021-1, 8.3).
        """
        return management_system(self.cert.standard)

    @property
    def holder_feminine(self) -> bool:
        """Return True when the holder's name takes a feminine pronoun (منشآت، شركة، جمعية): لها, not له."""
        return gender(self.brand_owner) == "f"

    @property
    def certificate_sites(self) -> tuple[Named, ...]:
        """Return the sites printed on the certificate (the page holds a few; all are in the particulars)."""
        return self.sites[:SITES_ON_CERTIFICATE]

    @property
    def more_sites(self) -> int:
        """Return how many sites the certificate leaves to the certificate's particulars."""
        return max(0, len(self.sites) - SITES_ON_CERTIFICATE)

    @property
    def more_conditions(self) -> int:
        """Return how many conditions the certificate leaves to the non-conformities table."""
        return max(0, len(self.conditions) - CONDITIONS_ON_CERTIFICATE)

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
        kind = "ملف منح الشهادة" if self.certified else "ملف التقييم وقرار منح الشهادة"
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

    @property
    def weights_rounded(self) -> bool:
        """Return True when the areas' weights, printed as whole percentages, do not add up to the printed 100 %
        (three areas of a third print 33 % each): the areas table then takes the rounding note."""
        from reportgen.documents.common import adds_up

        return not adds_up([area.share * 100 for area in self.areas], 100, 0)


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


def _areas(items: list[Assessment], decision: Decision) -> tuple[Area, ...]:
    total = sum(a.weight for a in items) or 1.0
    out = []
    for key, (_en, ar) in AREAS.items():
        criteria = tuple(a for a in items if a.area == key)
        if criteria:
            weight = sum(a.weight for a in criteria)
            out.append(Area(key, ar, decision.area_scores[key], weight, weight / total, criteria))
    return tuple(out)


def _one(
    cert: Certification, dataset: Dataset, settings: Settings, cluster: Cluster, items: list[Assessment]
) -> Dossier | Failure:
    if not items:
        return Failure(cert.cluster_id, _("no assessment rows for this certified cluster"))
    if sum(a.weight for a in items) <= 0:
        return Failure(cert.cluster_id, _("the weights of this cluster's criteria add up to 0"))
    t = settings.thresholds
    issue = issue_date(cert, settings.today)
    rule = decide(items, t, issue)
    decision = cert.decision or rule.outcome
    effective = max(cert.effective_date or issue, issue)  # validation reports one typed before the decision
    valid_until = None
    if decision != "refused":
        valid_until = cert.valid_until or default_valid_until(effective, t.validity_years)
    conditions = tuple(
        sorted(
            (a for a in rule.open_minor if a not in rule.past_due),
            key=lambda a: (a.due or dt.date.max, a.criterion),
        )
    )
    findings = tuple(
        Finding(a, "closed" if not a.is_open_on(issue) else "overdue" if a.due and a.due < issue else "open")
        for a in sorted(
            (a for a in items if a.severity != "none"),
            key=lambda a: (a.closed, SEVERITY_ORDER[a.severity], a.due or dt.date.max),
        )
    )
    number = certificate_number(cluster.id, cert.brand, cert.standard, cert.audit_date)
    ws = dataset.settings
    place = "، ".join(p for p in (cluster.locality, f"محافظة {cluster.governorate.name_ar}") if p)
    parts: dict[str, Any] = {
        "effective_date": effective,
        "holder_address": cert.holder_address or place,
        "sites": named_lines(cert.sites) or (Named(place, ""),),
        "decision_maker": cert.decision_maker or ws.decision_maker,
        "number": number,
        "decision": decision,
        "typed": cert.decision is not None,
        "issue_date": issue,
        "valid_until": valid_until,
        "certifying_body": cert.certifying_body or dataset.settings.certifying_body or DEFAULT_BODY,
        "brand_owner": cert.brand_owner or f"منشآت {cluster.name}",
    }
    content = dossier_record(parts, cert, cluster, items, rule, settings)
    record = certs.canonical_json(content)
    fingerprint = certs.fingerprint(record)
    payload = certs.payload_for(content, fingerprint)
    qr_text = payload.text(settings.verify_url or ws.verify_url)
    visits = (
        schedule(issue, valid_until, t.surveillance_months, conditions, t.recertification_window_months)
        if valid_until
        else ()
    )
    # The settings sheet describes the workbook's own body: its address, accreditation and signatories are
    # not printed on the certificate of another body a row may name.
    own = not cert.certifying_body or same_name(cert.certifying_body, ws.certifying_body)
    team = named_lines(cert.audit_team)
    if cert.lead_auditor and not any(same_person(m.name, cert.lead_auditor) for m in team):
        team = (Named(cert.lead_auditor, "رئيس فريق التقييم"), *team)
    signatories = (
        ()
        if not own
        else tuple(
            Named(n, r)
            for n, r in ((ws.signatory, ws.signatory_title), (ws.signatory_2, ws.signatory_2_title))
            if n or r
        )
    )
    return Dossier(
        number=number,
        file_stem=number_prefix(cluster.id),
        cluster=cluster,
        cert=cert,
        certifying_body=parts["certifying_body"],
        body_address=ws.body_address if own else "",
        brand_owner=parts["brand_owner"],
        holder_address=parts["holder_address"],
        organization=parts["certifying_body"],
        sites=parts["sites"],
        team=team,
        sites_visited=named_lines(cert.sites_visited),
        decision_maker=parts["decision_maker"],
        accreditation=ws.accreditation if own else "",
        specimen=ws.specimen,
        signatories=signatories,
        verify_url=settings.verify_url or ws.verify_url,
        decision=decision,
        rule=rule,
        typed=parts["typed"],
        areas=_areas(items, rule),
        nonconformities=findings,
        conditions=conditions,
        audit_date=cert.audit_date,
        issue_date=issue,
        effective_date=effective,
        valid_until=valid_until,
        visits=visits,
        thresholds=(t.refuse_below, t.grant_from),
        surveillance_months=t.surveillance_months,
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
        known = _(", ").join(quoted(c) for c in sorted(certified)) or _("none")
        raise ReportgenError(
            _("no certification row for cluster {clusters} (certified clusters: {known})").format(
                clusters=_(", ").join(quoted(c) for c in unknown), known=known
            )
        )
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
