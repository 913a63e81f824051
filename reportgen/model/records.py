"""Typed, frozen records that every stage after validation works with; no parsing here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


def same_person(a: str, b: str) -> bool:
    """Return True when two typed names are one person's (case, spacing and titles such as "م." or "Dr." aside)."""
    fold = lambda n: " ".join(w for w in n.casefold().split() if not w.endswith("."))  # noqa: E731
    return bool(fold(a)) and fold(a) == fold(b)


def same_name(a: str, b: str) -> bool:
    """Return True when two typed names of an organisation are the same (case and spacing aside)."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True)
class Governorate:
    """One of Egypt's 27 governorates."""

    code: str  # ISO 3166-2, e.g. "EG-LX"
    name_en: str
    name_ar: str
    region_en: str
    region_ar: str
    capital_ar: str


@dataclass(frozen=True)
class Source:
    """Where a record came from: sheet title, 1-based row number and the cell of each field."""

    sheet: str
    row: int
    cells: tuple[tuple[str, str], ...] = ()  # (field, cell coordinate) of the values read

    def cell(self, name: str) -> str:
        """Return the coordinate of the field's cell (e.g. "H3"), or "" when it was not read."""
        return dict(self.cells).get(name, "")


@dataclass(frozen=True)
class Cluster:
    """A natural production cluster (a row of `clusters`)."""

    id: str
    name: str
    governorate: Governorate
    sector: str
    enterprises: int
    workers: int
    locality: str = ""
    products: str = ""
    women_share: float | None = None  # fraction 0..1
    annual_output_egp: Decimal | None = None
    export_share: float | None = None  # fraction 0..1
    priority: str | None = None  # "high" | "medium" | "low"
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Intervention:
    """A planned intervention (a row of `interventions`); cluster_id None means national."""

    axis: str  # key from reference.AXES
    intervention: str
    cluster_id: str | None = None
    lead: str = ""
    budget_egp: Decimal | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    kpi: str = ""
    status: str = ""
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Assessment:
    """One assessed criterion of a cluster (a row of `assessments`)."""

    cluster_id: str
    area: str  # key from reference.AREAS
    criterion: str
    score: float  # 0..100
    weight: float = 1.0
    finding: str = ""
    severity: str = "none"  # "none" | "minor" | "major"
    corrective_action: str = ""
    due: dt.date | None = None
    closed: bool = False
    closed_on: dt.date | None = None  # the day the closure was verified; a closed finding needs one
    root_cause: str = ""
    correction: str = ""  # what was done at once, before the corrective action removes the cause
    verified_by: str = ""  # who verified the closure
    source: Source | None = field(default=None, compare=False)

    @property
    def is_open_nonconformity(self) -> bool:
        """Return True for a minor or major finding that is not closed."""
        return self.severity in ("minor", "major") and not self.closed

    def is_open_on(self, day: dt.date | None) -> bool:
        """Return True for a finding still open on the day: not closed, or closed only after it."""
        if self.severity not in ("minor", "major"):
            return False
        if not self.closed:
            return True
        return day is not None and self.closed_on is not None and self.closed_on > day


@dataclass(frozen=True)
class Certification:
    """A cluster under certification (a row of `certifications`)."""

    cluster_id: str
    brand: str
    audit_date: dt.date
    standard: str = ""
    scope: str = ""
    certifying_body: str = ""
    lead_auditor: str = ""
    brand_owner: str = ""  # who holds the local brand; blank = the cluster's enterprises
    decision: str | None = None  # typed by the body: "granted" | "conditional" | "refused"
    issue_date: dt.date | None = None  # the date of the decision and of the certificate
    valid_until: dt.date | None = None
    holder_address: str = ""
    sites: str = ""  # one certified site a line (or "؛"), each "site: products" when its scope differs
    effective_date: dt.date | None = None  # blank = the issue date
    revision: int = 0
    supersedes: str = ""  # the number of the certificate this one replaces
    audit_type: str = "initial"  # key of reference.AUDIT_TYPES
    audit_stage: str = ""
    audit_team: str = ""  # one member a line (or "؛"), each "name: role"
    sites_visited: str = ""
    decision_maker: str = ""  # blank = the settings sheet's
    decision_reason: str = ""
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Session:
    """A conference session (a row of `programme`)."""

    day: str  # label as typed ("اليوم الأول", "1", a date in ISO form)
    start: dt.time
    title: str
    end: dt.time | None = None
    speakers: str = ""
    venue: str = ""
    day_date: dt.date | None = None  # when `day` was a date
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class WorkbookSettings:
    """The key/value pairs of the `settings` sheet."""

    title: str = ""
    organization: str = ""
    subtitle: str = ""
    issue_date: dt.date | None = None
    logo: str = ""  # path relative to the workbook's folder, checked by validation
    seal: str = ""  # the body's seal, printed on the certificate: a path like the logo's, checked the same way
    certifying_body: str = ""
    conference: str = ""
    city: str = ""
    conference_dates: tuple[dt.date, ...] = ()
    verify_url: str = ""  # optional prefix printed in the QR payload
    body_address: str = ""  # the certification body's address, printed on the certificate
    accreditation: str = ""  # e.g. "EGAC 123-PC": the scope is accredited; blank prints no accreditation mark
    decision_maker: str = ""  # who decides on certification when the certifications row does not say
    signatory: str = ""
    signatory_title: str = ""
    signatory_2: str = ""
    signatory_2_title: str = ""
    specimen: bool = False  # sample certificates: every page says "نموذج / SPECIMEN"


@dataclass(frozen=True)
class Dataset:
    """Everything read from one workbook, validated."""

    settings: WorkbookSettings
    clusters: tuple[Cluster, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    certifications: tuple[Certification, ...] = ()
    programme: tuple[Session, ...] = ()
    workbook_dir: str = "."

    def cluster(self, cluster_id: str) -> Cluster:
        """Return the cluster with this id (KeyError if none)."""
        for c in self.clusters:
            if c.id == cluster_id:
                return c
        raise KeyError(cluster_id)
