"""Workbooks for the handout tests, built in code: a conference, its programme and clusters, one pathological."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import CLUSTER_HEADERS, cluster_row, write_xlsx

T = dt.time
CONFERENCE = "مؤتمر الاختبار للتجمعات"
PROGRAMME = [
    ["day", "start", "end", "title", "speakers", "venue"],
    [
        "اليوم الأول",
        T(9, 30),
        T(10, 30),
        "الجلسة الافتتاحية",
        "أ. د. سامي فريد؛ Dr. Maria López (AECID)",
        "القاعة الكبرى",
    ],
    ["اليوم الأول", T(10, 30), T(11, 0), "استراحة قهوة", None, "البهو"],
    ["اليوم الأول", T(9, 0), T(9, 30), "التسجيل", None, "البهو"],  # typed out of order
    ["اليوم الثاني", T(14, 5), T(15, 45), "ورشة الاعتماد وفق ISO 9001:2015", "م. هالة نور", "قاعة طيبة"],
]
# Very long name, 2,000 characters of products, 30 interventions, a certification: the worst case.
LONG_NAME = "تجمع " + " ".join(["الصناعات الحرفية والتراثية المتكاملة"] * 6)
LONG_PRODUCTS = "، ".join(f"منتج تقليدي رقم {i} من الخامات المحلية" for i in range(1, 80))[:2000]
LONG_WORD_PRODUCTS = "ا" * 2000  # one unbreakable word


def settings_rows(**over) -> list[list]:
    """Return the settings sheet of the test conference."""
    values = {
        "title": "الاستراتيجية الوطنية (اختبار)",
        "organization": "جهة التنظيم الأولى؛ جهة التنظيم الثانية",
        "conference": CONFERENCE,
        "city": "الأقصر",
        "conference_dates": "2026-12-14 / 2026-12-15",
        "issue_date": dt.date(2026, 11, 15),
        "certifying_body": "هيئة الاعتماد",
    } | over
    return [["key", "value"], *([k, v] for k, v in values.items() if v is not None)]


def interventions(cluster_id: str, count: int) -> list[list]:
    """Return count long interventions for one cluster, with every column filled."""
    return [
        [
            cluster_id,
            ("marketing", "skills", "innovation")[i % 3],
            f"تدخل رقم {i + 1}: " + "برنامج متكامل لتطوير قدرات الورش وربطها بالأسواق المحلية والدولية " * 3,
            "جهاز تنمية المشروعات المتوسطة والصغيرة ومتناهية الصغر بالتعاون مع الشركاء المحليين",
            1_250_000 + i,
            dt.date(2026, 1, 1 + i % 28),
            dt.date(2027, 12, 31),
            "عدد الورش",
            "مخطط",
        ]
        for i in range(count)
    ]


def handout_sheets(pathological: bool = False, clusters: int = 3) -> dict[str, list[list]]:
    """Return a valid handout workbook's sheets: clusters in Luxor, Qena and Damietta, and optionally the worst case."""
    govs = ["Luxor", "قنا", "EG-DT"]
    rows = [CLUSTER_HEADERS] + [cluster_row(i + 1, govs[i % 3]) for i in range(clusters)]
    iv = [
        ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end", "kpi", "status"],
        ["EG-T-001", "marketing", "معرض تسويقي", "الجهاز", 250000, dt.date(2026, 1, 1), dt.date(2026, 6, 30), "", ""],
    ]
    certs = [
        ["cluster_id", "brand", "standard", "audit_date", "decision", "valid_until"],
        ["EG-T-001", "علامة الأقصر", "ISO 9001:2015", dt.date(2026, 6, 1), "granted", dt.date(2029, 6, 1)],
    ]
    if pathological:
        rows += [
            cluster_row(90, "Luxor", name=LONG_NAME, products=LONG_PRODUCTS, locality="قرية " * 60),
            cluster_row(91, "Luxor", name="ا" * 300, products=LONG_WORD_PRODUCTS),
        ]
        iv += interventions("EG-T-090", 30) + interventions("EG-T-091", 30)
        certs += [
            [
                "EG-T-090",
                "علامة " + "التراث الأصيل " * 20,
                "ISO 9001:2015",
                dt.date(2026, 6, 1),
                "conditional",
                dt.date(2029, 6, 1),
            ]
        ]
    return {
        "settings": settings_rows(),
        "clusters": rows,
        "interventions": iv,
        "certifications": certs,
        "programme": PROGRAMME,
    }


def write_handout_workbook(path: Path, **kwargs) -> Path:
    """Write handout_sheets(**kwargs) to path and return it."""
    return write_xlsx(path, handout_sheets(**kwargs))
