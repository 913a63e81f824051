"""PLAN the verification site: one page per published certificate, the search index and the published register.

The site command reads each dossier of a folder back (its record, its file's digest, its credential) and its
status from the log; this module turns them into what the pages show and what the JSON files list. All
decisions (status words, which checks were made, search keys) are taken here; the templates lay them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from reportgen.certification import status as status_log
from reportgen.model.arabic import ascii_digits, fold
from reportgen.model.reference import DECISIONS, governorates

# The status words: Arabic as status.ARABIC (the register's column) says them, agreeing with "الشهادة".
STATE_EN = {
    "valid": "Valid",
    "suspended": "Suspended",
    "withdrawn": "Withdrawn",
    "superseded": "Superseded",
    "expired": "Expired",
    "refused": "Not granted",
    "pending": "Not in force yet",
}
# What the site's build verified for every published dossier (certification.verification), in order.
CHECKS = (
    (
        "record",
        "السجل المرفق بالملف سليم ورقم الشهادة يوافق محتواه وحرف التحقق",
        "The attached record is intact, and the certificate number follows from it with a correct check character",
    ),
    (
        "fingerprint",
        "بصمة السجل (SHA-256) تطابق البصمة المطبوعة على الشهادة",
        "The record's SHA-256 fingerprint equals the one printed on the certificate",
    ),
    ("qr", "رمز الاستجابة السريعة يحمل الرقم والبصمة نفسيهما", "The QR code carries the same number and fingerprint"),
    (
        "signature",
        "الملف موقَّع توقيعًا رقميًّا من جهة منح الشهادة ولم يتغير بعد التوقيع",
        "The file is digitally signed by the certification body and unchanged since",
    ),
    (
        "credential",
        "شهادة Open Badges 3.0 المرفقة موقَّعة من الجهة نفسها وتطابق السجل",
        "The attached Open Badges 3.0 credential is signed by the same body and matches the record",
    ),
)


@dataclass(frozen=True)
class Published:
    """One dossier as the site command read it back from the folder (already verified)."""

    record: dict
    fingerprint: str  # SHA-256 of the record, as printed
    file_name: str
    file_sha256: str  # SHA-256 of the PDF file as issued: what "check this PDF" compares
    credential: str  # the attached VC-JWT, "" when the dossier carries none
    status: status_log.Status
    status_index: int | None


@dataclass(frozen=True)
class Site:
    """A site of the holder and what is made there, as a certificate page lists it."""

    name: str
    scope: str


@dataclass(frozen=True)
class CertificatePage:
    """What one certificate's page shows (Arabic and English), and where it lives on the site."""

    number: str
    path: str  # c/<number>/ (URL-quoted)
    brand: str
    holder: str
    holder_address: str
    cluster: str
    cluster_id: str
    governorate_ar: str
    governorate_en: str
    standard: str
    scope: str
    sites: tuple[Site, ...]
    body: str
    decision_ar: str
    decision_en: str
    audit: dt.date
    issued: dt.date
    effective: dt.date
    valid_until: dt.date | None
    state: str  # status_log state
    state_ar: str
    state_en: str
    in_force: bool
    since: dt.date | None
    reason: str
    superseded_by: str
    supersedes: tuple[str, ...]
    fingerprint: str
    short_fingerprint: str
    file_name: str
    file_sha256: str
    credential: bool
    checks: tuple[tuple[str, str, str], ...]  # (key, Arabic, English) of each check made
    criteria: int  # criteria assessed at the audit
    overall: float  # overall score, 0-100
    overall_places: int  # decimals to show it with: 0 for a whole number
    status_index: int | None
    search_key: str  # folded number, holder, brand, cluster and governorate names

    def index_entry(self) -> dict:
        """Return the certificate's entry in the search index (what the index page lists and searches)."""
        return {
            "n": self.number,
            "p": self.path,
            "b": self.brand,
            "h": self.holder,
            "g": self.governorate_ar,
            "ge": self.governorate_en,
            "s": self.state,
            "sa": self.state_ar,
            "se": self.state_en,
            "f": self.file_sha256,
            "k": self.search_key,
        }

    def register_entry(self) -> dict:
        """Return the certificate's entry in the published register (register.json)."""
        return {
            "number": self.number,
            "page": self.path,
            "brand": self.brand,
            "holder": self.holder,
            "cluster": self.cluster_id,
            "governorate": self.governorate_en,
            "standard": self.standard,
            "scope": self.scope,
            "issued": self.issued.isoformat(),
            "effective": self.effective.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.state,
            "status_since": self.since.isoformat() if self.since else None,
            "status_reason": self.reason,
            "superseded_by": self.superseded_by or None,
            "record_sha256": self.fingerprint,
            "file": self.file_name,
            "file_sha256": self.file_sha256,
            "status_list_index": self.status_index,
            "credential": f"{self.path}credential.jwt" if self.credential else None,
        }


@dataclass(frozen=True)
class SitePlan:
    """The whole site: its body, address, build date and certificate pages (by number)."""

    body: str
    base_url: str
    built: dt.date
    pages: tuple[CertificatePage, ...]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def page_of(p: Published) -> CertificatePage:
    """Return the page of one published certificate."""
    r, cert, cluster, dates = p.record, p.record["certification"], p.record["cluster"], p.record["dates"]
    gov = {g.code: g for g in governorates()}.get(cluster["governorate"])
    gov_ar, gov_en = (gov.name_ar, gov.name_en) if gov else (cluster["governorate"], cluster["governorate"])
    decision = r["decision"]["outcome"]
    en, ar = DECISIONS.get(decision, (decision, decision))
    holder = cert.get("brand_owner") or cluster["name"]
    key = fold(ascii_digits(" ".join((r["number"], holder, cert["brand"], cluster["name"], gov_ar, gov_en))))
    s = p.status
    checks = tuple(c for c in CHECKS if c[0] != "credential" or p.credential)
    return CertificatePage(
        number=r["number"],
        path=f"c/{quote(r['number'], safe='')}/",
        brand=cert["brand"],
        holder=holder,
        holder_address=cert.get("holder_address") or "",
        cluster=cluster["name"],
        cluster_id=cluster["id"],
        governorate_ar=gov_ar,
        governorate_en=gov_en,
        standard=cert["standard"],
        scope=cert.get("scope") or "",
        sites=tuple(Site(x["site"], x.get("scope") or "") for x in cert.get("sites") or []),
        body=cert["certifying_body"],
        decision_ar=ar,
        decision_en=en,
        audit=dt.date.fromisoformat(dates["audit"]),
        issued=dt.date.fromisoformat(dates["issue"]),
        effective=_date(dates.get("effective")) or dt.date.fromisoformat(dates["issue"]),
        valid_until=_date(dates.get("valid_until")),
        state=s.state,
        state_ar=status_log.ARABIC[s.state],
        state_en=STATE_EN[s.state],
        in_force=s.state == "valid",
        since=_date(s.since),
        reason=s.reason,
        superseded_by=s.superseded_by,
        supersedes=s.supersedes,
        fingerprint=p.fingerprint,
        short_fingerprint=" ".join(p.fingerprint[i : i + 4].upper() for i in range(0, 16, 4)),
        file_name=p.file_name,
        file_sha256=p.file_sha256,
        credential=bool(p.credential),
        checks=checks,
        criteria=len(r.get("assessment") or []),
        overall=float(r["decision"].get("overall") or 0),
        overall_places=0 if float(r["decision"].get("overall") or 0).is_integer() else 1,
        status_index=p.status_index,
        search_key=key,
    )


def plan(published: list[Published], body: str, base_url: str, built: dt.date) -> SitePlan:
    """Return the site: a page per certificate, ordered by number."""
    pages = tuple(sorted((page_of(p) for p in published), key=lambda page: page.number))
    return SitePlan(body, base_url.rstrip("/"), built, pages)
