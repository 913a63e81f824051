"""Open Badges 3.0: a certificate as an OpenBadgeCredential (W3C VC data model 2.0), from its record.

The credential is signed as a VC-JWT (certification.jose) and attached to the dossier beside the record; the
subject names the certificate by its number and binds the record by its SHA-256 fingerprint, which `verify`
compares with the record attached beside it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from reportgen.certification import statuslist
from reportgen.errors import quoted
from reportgen.i18n import _

CREDENTIAL_NAME = "open-badge-credential.jwt"  # the second associated file inside each signed dossier
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
EVIDENCE_PREFIX = "urn:sha256:"  # the evidence entry's id: the record's fingerprint
_NAMESPACE = uuid.UUID("0f5b8a48-53c5-4d6a-9a43-2c1f7a3f1e21")  # reportgen's: urn:uuid ids without a site


def credential_id(base: str, number: str) -> str:
    """Return a certificate's credential id: its page on the site, else a name-based urn:uuid."""
    return f"{base.rstrip('/')}/c/{number}/" if base else f"urn:uuid:{uuid.uuid5(_NAMESPACE, number)}"


def issuer(base: str, body: str) -> dict:
    """Return the body as an Open Badges Profile (its id: the site's issuer.json, else a name-based urn:uuid)."""
    ident = f"{base.rstrip('/')}/issuer.json" if base else f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'body:' + body)}"
    out = {"id": ident, "type": ["Profile"], "name": body}
    if base:
        out["url"] = base.rstrip("/") + "/"
    return out


def _start(day: str) -> str:
    return f"{day}T00:00:00Z"


def _end(day: str) -> str:
    return f"{day}T23:59:59Z"  # a certificate valid until a date is valid through that whole day


def credential(record: dict, fingerprint: str, base: str, status_index: int | None) -> dict:
    """Return the OpenBadgeCredential of a granted certificate's record (credentialStatus when the site and index
    are known: the revocation list; the suspension list uses the same index)."""
    number, cert, cluster, dates = record["number"], record["certification"], record["cluster"], record["dates"]
    ident = credential_id(base, number)
    standard, scope = cert["standard"], cert.get("scope") or ""
    out: dict = {
        "@context": list(CONTEXTS),
        "id": ident,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{cert['brand']} — {standard}",
        "description": scope or standard,
        "issuer": issuer(base, cert["certifying_body"]),
        "validFrom": _start(dates.get("effective") or dates["issue"]),
        "awardedDate": _start(dates["issue"]),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "hashed": False, "identityHash": cluster["id"], "identityType": "identifier"}
            ],
            "licenseNumber": number,
            "achievement": {
                "id": f"{ident}#achievement",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": standard,
                "description": scope or standard,
                "criteria": {"narrative": f"{standard}: {scope}" if scope else standard},
                "humanCode": number,
                "inLanguage": "ar",
            },
        },
        "evidence": [
            {
                "id": f"{EVIDENCE_PREFIX}{fingerprint}",
                "type": ["Evidence"],
                "name": "certificate-record.json",
                "description": "SHA-256 of the certificate's record (RFC 8785 canonical JSON) attached to the dossier",
            }
        ],
        "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if dates.get("valid_until"):
        out["validUntil"] = _end(dates["valid_until"])
    if base and status_index is not None:
        out["credentialStatus"] = statuslist.entry(base, "revocation", status_index)
    return out


def jwt_claims(vc: dict) -> dict:
    """Return the VC-JWT payload: the credential with the JWT claims Open Badges 3.0 names (iss, jti, sub, nbf, exp)."""
    claims = dict(vc)
    claims.update(iss=vc["issuer"]["id"], jti=vc["id"], sub=vc["credentialSubject"]["licenseNumber"])
    claims["nbf"] = _epoch(vc["validFrom"])
    if "validUntil" in vc:
        claims["exp"] = _epoch(vc["validUntil"])
    return claims


def _epoch(stamp: str) -> int:
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def disagreements(claims: dict, record: dict, fingerprint: str) -> list[str]:
    """Return what a credential's claims say differently from the record beside it (empty when they agree)."""
    found = []
    given = claims.get("credentialSubject")
    subject: dict = given if isinstance(given, dict) else {}
    if "OpenBadgeCredential" not in (claims.get("type") or []):
        found.append(_("it is not an OpenBadgeCredential"))
    if subject.get("licenseNumber") != record.get("number") or claims.get("sub") != record.get("number"):
        found.append(
            _("it names certificate {named}, not {number}").format(
                named=quoted(subject.get("licenseNumber")), number=quoted(record.get("number"))
            )
        )
    listed = claims.get("evidence")
    evidence = [e.get("id") for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    if f"{EVIDENCE_PREFIX}{fingerprint}" not in evidence:
        found.append(_("it binds another record (its evidence fingerprint differs)"))
    dates = record.get("dates") or {}
    until = dates.get("valid_until")
    if (claims.get("validUntil") or None) != (_end(until) if until else None):
        found.append(_("its validity differs from the record's"))
    issuer_name = (claims.get("issuer") or {}).get("name") if isinstance(claims.get("issuer"), dict) else None
    if issuer_name != (record.get("certification") or {}).get("certifying_body"):
        found.append(_("its issuer is not the record's certifying body"))
    return found
