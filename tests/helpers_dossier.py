"""Shared by the dossier tests: a small certification workbook built in code, and a throw-away signing key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import CLUSTER_HEADERS, cluster_row, write_xlsx

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
    "closed_on",
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
AUDIT = dt.date(2026, 6, 10)
TODAY = dt.date(2026, 11, 19)  # the tests' SOURCE_DATE_EPOCH


def criterion(
    cid: str,
    area: str,
    score: float,
    weight: float = 1,
    severity: str = "none",
    closed: str = "no",
    due: dt.date | None = None,
    name: str = "",
    closed_on: dt.date | None = None,
) -> list:
    """Return an assessments row; a closed finding closed ten days after the audit unless closed_on says."""
    action = "إجراء تصحيحي" if severity != "none" else ""
    return [
        cid,
        area,
        name or f"معيار {area} {score}",
        weight,
        score,
        "ملاحظة" if severity != "none" else "",
        severity,
        action,
        due or (dt.date(2026, 12, 31) if severity != "none" else None),
        closed,
        closed_on or (AUDIT + dt.timedelta(days=10) if closed == "yes" else None),
    ]


def certification(cid: str, brand: str, decision: str | None = None, **over) -> list:
    """Return a certifications row; keyword arguments replace columns by header."""
    row = dict(
        zip(
            CERT_HEADERS,
            [
                cid,
                brand,
                "ISO 9001:2015",
                "نطاق الاختبار",
                "جهة اختبار",
                "م. مدقق",
                AUDIT,
                decision,
                None,
                None,
            ],
            strict=False,
        )
    )
    row.update(over)
    return [row[h] for h in CERT_HEADERS]


def dossier_sheets() -> dict[str, list[list]]:
    """Return a workbook with a granted (1), a conditional (2), a refused (3) and an unassessed (4) cluster."""
    return {
        "settings": [
            ["key", "value"],
            ["title", "اختبار"],
            ["certifying_body", "الهيئة المصرية للاختبار"],
        ],
        "clusters": [
            CLUSTER_HEADERS,
            cluster_row(1, "Luxor"),
            cluster_row(2, "Qena"),
            cluster_row(3, "EG-DT"),
            cluster_row(4, "Aswan"),
        ],
        "assessments": [
            ASSESS_HEADERS,
            criterion("EG-T-001", "materials", 90),
            criterion("EG-T-001", "processes", 84, weight=2),
            criterion("EG-T-001", "product", 70, severity="minor", closed="yes"),
            criterion("EG-T-002", "materials", 85),
            criterion("EG-T-002", "brand", 82, severity="minor", due=dt.date(2027, 1, 31)),
            criterion("EG-T-003", "materials", 95),
            criterion("EG-T-003", "product", 90, severity="major"),
        ],
        "certifications": [
            CERT_HEADERS,
            certification("EG-T-001", '=HYPERLINK("http://x")'),
            certification("EG-T-002", "علامة الاختبار"),
            certification("EG-T-003", "علامة مرفوضة"),
            certification("EG-T-004", "علامة بلا تقييم"),
        ],
    }


def make_workbook(folder: Path, sheets: dict | None = None, name: str = "cert.xlsx") -> Path:
    """Write the dossier workbook into folder and return its path (text starting with = stays text)."""
    import openpyxl

    path = write_xlsx(Path(folder) / name, sheets or dossier_sheets())
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # as a user would type '=… to keep it text
                    cell.data_type = "s"
    wb.save(path)
    return path


def make_p12(folder: Path, password: bytes = b"s3cret", common_name: str = "Test Certifying Body") -> tuple[Path, Path]:
    """Write a self-signed key and certificate as PKCS#12 (and the certificate as PEM); return both paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    p12 = Path(folder) / f"{common_name.split()[0].lower()}.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"body", key, cert, None, serialization.BestAvailableEncryption(password))
    )
    pem = p12.with_suffix(".pem")
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, pem
