"""Synthetic certification workbooks for the batch benchmark: N clusters, every one certified and assessed.

Texts come from the sample workbook (its 145 clusters and the criteria of its 22 assessed clusters),
so the dossiers look like real ones (four pages or so); ids, scores and dates are varied with one
seeded random.Random, and the file is written with fixed timestamps: the same N gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "clusters.xlsx"
FIXED_TIME = dt.datetime(2026, 11, 15, 9, 0, 0, tzinfo=dt.UTC)

CLUSTER_HEADERS = [
    "id",
    "name",
    "governorate",
    "locality",
    "sector",
    "products",
    "enterprises",
    "workers",
    "women_share",
    "annual_output_egp",
    "export_share",
    "priority",
]
ASSESS_HEADERS = [
    "cluster_id",
    "area",
    "criterion",
    "weight",
    "score",
    "finding",
    "severity",
    "corrective_action",
    "due",
    "closed",
]
CERT_HEADERS = [
    "cluster_id",
    "brand",
    "standard",
    "scope",
    "certifying_body",
    "lead_auditor",
    "audit_date",
    "decision",
    "issue_date",
    "valid_until",
]


def _sample():
    from reportgen.commands.common import load
    from reportgen.settings import Settings

    return load(SAMPLE, Settings()).dataset


def sheets(n: int, seed: int = 2026) -> dict[str, list[list]]:
    """Return the workbook's sheets {title: rows} for n clusters."""
    data = _sample()
    rng = random.Random(seed)
    assessed = sorted({a.cluster_id for a in data.assessments})
    criteria = {cid: [a for a in data.assessments if a.cluster_id == cid] for cid in assessed}
    certs = {c.cluster_id: c for c in data.certifications}
    clusters, assessments, certifications = [], [], []
    for i in range(n):
        base = data.clusters[i % len(data.clusters)]
        round_ = i // len(data.clusters)
        cid = base.id if round_ == 0 else f"{base.id}-R{round_:02d}"
        clusters.append(
            [
                cid,
                base.name if round_ == 0 else f"{base.name} ({round_ + 1})",
                base.governorate.code,
                base.locality,
                base.sector,
                base.products,
                base.enterprises + round_,
                base.workers,
                base.women_share,
                base.annual_output_egp and int(base.annual_output_egp),
                base.export_share,
                base.priority,
            ]
        )
        model = assessed[i % len(assessed)]
        for a in criteria[model]:
            score = min(100, max(0, a.score + rng.choice((-3, -1, 0, 0, 1, 2))))
            assessments.append(
                [
                    cid,
                    a.area,
                    a.criterion,
                    a.weight,
                    score,
                    a.finding,
                    a.severity,
                    a.corrective_action,
                    a.due,
                    "yes" if a.closed else "no",
                ]
            )
        cert = dataclasses.replace(certs[model])
        certifications.append(
            [
                cid,
                f"{cert.brand} — {base.name}"[:90],
                cert.standard,
                cert.scope,
                cert.certifying_body,
                cert.lead_auditor,
                cert.audit_date,
                None,
                None,
                None,
            ]
        )
    return {
        "settings": [["key", "value"], ["title", "اعتماد تجريبي"], ["certifying_body", "جهة الاعتماد التجريبية"]],
        "clusters": [CLUSTER_HEADERS, *clusters],
        "assessments": [ASSESS_HEADERS, *assessments],
        "certifications": [CERT_HEADERS, *certifications],
        "programme": [  # the sample's sessions: the handout needs a programme
            ["day", "start", "end", "title", "speakers", "venue"],
            *([x.day, x.start, x.end, x.title, x.speakers, x.venue] for x in data.programme),
        ],
    }


def write(path: Path, rows_by_sheet: dict[str, list[list]]) -> Path:
    """Write the sheets to path with fixed timestamps (same sheets, same bytes) and return it."""
    from reportgen.input.xlsx import SheetOut, workbook_bytes

    Path(path).write_bytes(
        workbook_bytes([SheetOut(title, rows[0], rows[1:]) for title, rows in rows_by_sheet.items()], stamp=FIXED_TIME)
    )
    return Path(path)


def workbook(path: Path, n: int) -> Path:
    """Write a synthetic workbook of n certified, assessed clusters to path and return it."""
    return write(path, sheets(n))


def change_one_assessment(path: Path, n: int, index: int = 7, delta: int = 1) -> str:
    """Write to path the workbook of n clusters with one criterion's score of the index-th cluster lowered by
    delta; return that cluster's id."""
    rows = sheets(n)
    cid = rows["clusters"][1 + index][0]
    row = next(r for r in rows["assessments"][1:] if r[0] == cid)
    row[4] = max(0, row[4] - delta)
    write(path, rows)
    return cid


if __name__ == "__main__":  # synthetic.py PATH N [INDEX DELTA]: write the workbook (one score changed); print the id
    import sys

    target, count = Path(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) == 5:
        print(change_one_assessment(target, count, int(sys.argv[3]), int(sys.argv[4])))
    else:
        workbook(target, count)
