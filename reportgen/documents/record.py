"""What a dossier embeds about itself (its machine-readable record), and the typed lists it reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.certification import record as certs
from reportgen.documents.rule import Decision
from reportgen.model.records import Assessment, Certification, Cluster
from reportgen.settings import Settings

_LIST_SPLIT = re.compile(r"\s*(?:\n|;|؛)\s*")


@dataclass(frozen=True)
class Named:
    """One line of a typed list: a site and its scope, or a team member and the role."""

    name: str
    detail: str  # the scope of a site, the role of a member; "" when the line gives none


def named_lines(text: str) -> tuple[Named, ...]:
    """Return the lines of a cell ("\n", ";" or "؛" between items), each split at its first ":" if any."""
    out = []
    for line in _LIST_SPLIT.split(text.strip()):
        name, _, detail = line.partition(":")
        if name.strip():
            out.append(Named(name.strip(), detail.strip()))
    return tuple(out)


def dossier_record(
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
            "holder_address": d["holder_address"],
            "sites": [{"site": s.name, "scope": s.detail} for s in d["sites"]],
            "revision": cert.revision,
            "supersedes": cert.supersedes,
            "audit_type": cert.audit_type,
            "decision_maker": d["decision_maker"],
        },
        "dates": {
            "audit": cert.audit_date.isoformat(),
            "issue": d["issue_date"].isoformat(),
            "effective": d["effective_date"].isoformat(),
            "valid_until": d["valid_until"].isoformat() if d["valid_until"] else None,
        },
        "decision": {
            "outcome": d["decision"],
            "rule": rule.outcome,
            "typed": d["typed"],
            "reason": cert.decision_reason,
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
                "root_cause": a.root_cause,
                "correction": a.correction,
                "corrective_action": a.corrective_action,
                "due": a.due.isoformat() if a.due else None,
                "closed": a.closed,
                "closed_on": a.closed_on.isoformat() if a.closed_on else None,
                "verified_by": a.verified_by,
            }
            for a in items
        ],
    }
