"""`reportgen init`: a starter workbook with every sheet, header, drop-down and three example rows."""

from __future__ import annotations

import datetime as dt

from reportgen.input.columns import ALL_SHEETS, SETTINGS, SheetSpec
from reportgen.input.xlsx import SheetOut, column_letter, workbook_bytes
from reportgen.model.reference import (
    AREAS,
    AUDIT_TYPES,
    AXES,
    DECISIONS,
    PRIORITIES,
    SECTORS,
    SEVERITIES,
    governorates,
)
from reportgen.settings import now

LISTS = "القوائم"

CONFIG = """\
# reportgen settings; every key is optional. Command-line options win over this file.
[reportgen]
locale = "ar_EG"        # Babel locale for numbers, money and dates
digits = "arabic"       # "arabic" (٠١٢٣) or "latin" (0123)
hijri_adjust = 0        # days (-2..2) added before converting to the Hijri date (moon sighting)
# templates = "my-templates"   # a folder whose files override the built-in templates
# verify_url = "https://example.org/verify/"   # printed in each certificate's QR code

[certification]
refuse_below = 65       # overall score below this is refused
grant_from = 80         # from this score, with no open non-conformity, granted
validity_years = 3
surveillance_months = 12  # 1 to 12: the first surveillance at most this long after the decision, then as often
recertification_window_months = 3  # the recertification audit falls in this window before expiry
"""

EXAMPLES: dict[str, list[list[object]]] = {
    "clusters": [
        [
            "EG-DT-001",
            "تجمع صناعة الأثاث بدمياط",
            "دمياط",
            "دمياط وقراها",
            "الأثاث والصناعات الخشبية",
            "غرف نوم، صالونات، أطقم سفرة",
            3200,
            21000,
            0.08,
            4200000000,
            0.35,
            "عالية",
        ],
        [
            "EG-SHG-001",
            "تجمع النسيج اليدوي بأخميم",
            "سوهاج",
            "أخميم",
            "الحرف اليدوية والتراثية",
            "أقمشة منسوجة يدويًا، مفارش",
            240,
            1100,
            0.55,
            38000000,
            0.2,
            "عالية",
        ],
        [
            "EG-FYM-001",
            "تجمع الفخار بقرية تونس",
            "الفيوم",
            "قرية تونس، يوسف الصديق",
            "الفخار والخزف",
            "أواني فخارية مزججة، ديكورات",
            60,
            250,
            0.4,
            9500000,
            0.15,
            "متوسطة",
        ],
    ],
    "interventions": [
        [
            "EG-DT-001",
            AXES["technology_transfer"][1],
            "مركز خدمات تكنولوجية مشترك للتشطيب واللاكيه",
            "مركز تحديث الصناعة",
            25000000,
            dt.date(2026, 1, 1),
            dt.date(2027, 6, 30),
            "٢٠٠ ورشة مستفيدة",
            "مخطط",
        ],
        [
            "EG-SHG-001",
            AXES["marketing"][1],
            "مشاركة في معرض تراثنا وبوابة بيع إلكتروني",
            "جهاز تنمية المشروعات",
            3000000,
            dt.date(2026, 3, 1),
            dt.date(2026, 12, 31),
            "زيادة المبيعات 20%",
            "جارٍ",
        ],
        [
            "",
            AXES["financial_services"][1],
            "خط تمويل متناهي الصغر بضمان جماعي للتجمعات",
            "جهاز تنمية المشروعات",
            150000000,
            dt.date(2026, 1, 1),
            dt.date(2028, 12, 31),
            "٣٠٠٠ قرض",
            "مخطط",
        ],
    ],
    "assessments": [
        [
            "EG-DT-001",
            AREAS["materials"][1],
            "مطابقة الأخشاب للمواصفة",
            2,
            86,
            "",
            "لا يوجد",
            "",
            None,
            "لا",
            None,
            "",
            "",
            "",
        ],
        [
            "EG-DT-001",
            AREAS["processes"][1],
            "ضبط جودة التشطيب",
            1,
            72,
            "تفاوت في سمك طبقة اللاكيه",
            "بسيطة",
            "تدريب الفنيين ومعايرة المسدسات",
            dt.date(2026, 12, 31),
            "لا",
            None,
            "لا توجد تعليمات عمل مكتوبة لضبط مسدسات الرش",
            "إعادة تشطيب القطع المعيبة",
            "",
        ],
        ["EG-DT-001", AREAS["product"][1], "اختبار المتانة", 1, 90, "", "لا يوجد", "", None, "لا", None, "", "", ""],
    ],
    "certifications": [
        [
            "EG-DT-001",
            "أثاث دمياط الأصيل",
            "ISO 9001:2015",
            "تصميم وتصنيع الأثاث الخشبي المنزلي",
            "الهيئة المصرية العامة للمواصفات والجودة",
            "م. سامية عبد الرحمن",
            "جمعية منتجي الأثاث بدمياط",
            "المنطقة الصناعية، دمياط الجديدة",
            "ورش دمياط الجديدة: الأثاث المنزلي؛ ورش كفر سعد: الأثاث المنزلي",
            AUDIT_TYPES["initial"][1],
            "المرحلة الثانية",
            "م. سامية عبد الرحمن: رئيسة فريق التقييم؛ م. كريم فؤاد: مقيّم",
            "مقر الجمعية؛ ست ورش في دمياط الجديدة وكفر سعد",
            dt.date(2026, 10, 12),
            "",
            "",
            "",
            dt.date(2026, 11, 2),
            None,
            None,
            None,
            "",
        ],
    ],
    "programme": [
        [
            "اليوم الأول",
            dt.time(9, 0),
            dt.time(10, 0),
            "الجلسة الافتتاحية",
            "رئيس جهاز تنمية المشروعات",
            "القاعة الكبرى",
        ],
        [
            "اليوم الأول",
            dt.time(10, 30),
            dt.time(12, 0),
            "التجمعات الإنتاجية ومستقبل الصعيد",
            "د. منى حسن",
            "القاعة الكبرى",
        ],
        [
            "اليوم الثاني",
            dt.time(9, 30),
            dt.time(11, 0),
            "العلامات المحلية وشهادات الجودة",
            "م. كريم فؤاد",
            "قاعة طيبة",
        ],
    ],
}

SETTINGS_ROWS: list[list[object]] = [
    ["العنوان", "الاستراتيجية الوطنية لتنمية التجمعات الإنتاجية الطبيعية"],
    ["الجهة", "جهاز تنمية المشروعات المتوسطة والصغيرة ومتناهية الصغر"],
    ["العنوان الفرعي", "موجز الاستراتيجية"],
    ["تاريخ الإصدار", dt.date(2026, 11, 15)],
    ["الشعار", ""],
    ["الختم", ""],
    ["جهة منح الشهادة", "الهيئة المصرية العامة للمواصفات والجودة"],
    ["عنوان جهة منح الشهادة", "القاهرة، جمهورية مصر العربية"],
    ["الاعتماد", ""],
    ["متخذ القرار", "د. نادية فؤاد حلمي"],
    ["اسم الموقّع", "د. نادية فؤاد حلمي"],
    ["صفة الموقّع", "رئيسة لجنة منح الشهادة"],
    ["اسم الموقّع الثاني", ""],
    ["صفة الموقّع الثاني", ""],
    ["نموذج", "نعم"],
    ["المؤتمر", "التجمعات والتنمية الاقتصادية في صعيد مصر"],
    ["المدينة", "الأقصر"],
    ["موعد المؤتمر", "2026-12-14 / 2026-12-15"],
]


def _lists() -> tuple[SheetOut, dict[str, str]]:
    """Return the hidden sheet of drop-down values and {list name: range formula}."""
    columns = {
        "governorate": [g.name_ar for g in governorates()],
        "axis": [ar for _, ar in AXES.values()],
        "area": [ar for _, ar in AREAS.values()],
        "priority": [ar for _, ar in PRIORITIES.values()],
        "severity": [ar for _, ar in SEVERITIES.values()],
        "decision": [ar for _, ar in DECISIONS.values()],
        "audit_type": [ar for _, ar in AUDIT_TYPES.values()],
        "yes_no": ["نعم", "لا"],
        "sector": list(SECTORS),
    }
    height = max(len(v) for v in columns.values())
    rows = [[col[i] if i < len(col) else None for col in columns.values()] for i in range(height)]
    ranges = {
        name: f"{LISTS}!${column_letter(i)}$2:${column_letter(i)}${len(values) + 1}"
        for i, (name, values) in enumerate(columns.items(), start=1)
    }
    return SheetOut(LISTS, list(columns), rows, hidden=True), ranges


_CHOICE_OF = {
    "governorate": "governorate",
    "axis": "axis",
    "area": "area",
    "priority": "priority",
    "severity": "severity",
    "decision": "decision",
    "audit_type": "audit_type",
    "closed": "yes_no",
}


_DATES = ("start", "end", "due", "closed_on", "audit_date", "issue_date", "effective_date", "valid_until")
# What to type, said in Arabic with the English beside it, by column key (the header's comment).
_HINTS = {
    "cluster_id": "رمز التجمع كما في ورقة التجمعات (the cluster's id, as on the clusters sheet)",
    "id": "رمز فريد، مثل EG-LX-003: حروف لاتينية وأرقام وشرطات (a unique id: letters, digits, dashes)",
    "enterprises": "عدد صحيح (a whole number)",
    "workers": "عدد صحيح (a whole number)",
    "women_share": "نسبة، مثل 37% أو 0.37 (a percentage)",
    "export_share": "نسبة، مثل 37% أو 0.37 (a percentage)",
    "budget_egp": "مبلغ بالجنيه، مثل 12500 (an amount in EGP)",
    "weight": "وزن المعيار، رقم من 0 إلى 1000 (the criterion's weight)",
    "score": "الدرجة من 0 إلى 100 (the score, 0 to 100)",
    "closed_on": "تاريخ التحقق من إغلاق حالة عدم المطابقة، قبل تاريخ القرار (the day the closure was verified)",
    "sector": "اختر من القائمة أو اكتب قطاعًا آخر (choose from the list, or type another sector)",
}
_NATIONAL = (
    "اتركه فارغًا لتدخل على المستوى الوطني لا يخص تجمعًا بعينه "
    "(leave it blank for a national intervention, for no cluster in particular)"
)


def _note(spec: SheetSpec, column) -> str:
    """Return a header's comment: its Arabic and English names, whether it is needed, and what to type."""
    need = "إلزامي (required)" if column.required else "اختياري (optional)"
    lines = [f"{column.ar} — {column.en}", need]
    if spec.key == "interventions" and column.key == "cluster_id":
        lines.append(_NATIONAL)
    elif column.key in _CHOICE_OF:
        lines.append("اختر من القائمة المنسدلة (choose from the drop-down list)")
    elif column.key in _DATES:
        lines.append("تاريخ، مثل 2026-01-31 أو 31/01/2026 (a date)")
    elif column.key in _HINTS:
        lines.append(_HINTS[column.key])
    return "\n".join(lines)


def _sheet(spec: SheetSpec, ranges: dict[str, str]) -> SheetOut:
    headers = [c.ar for c in spec.columns]
    notes = {c.ar: _note(spec, c) for c in spec.columns}
    choices = {c.ar: ranges[_CHOICE_OF[c.key]] for c in spec.columns if c.key in _CHOICE_OF}
    suggestions = {c.ar: ranges["sector"] for c in spec.columns if c.key == "sector"}
    formats = {c.ar: "yyyy-mm-dd" for c in spec.columns if c.key in _DATES}
    if spec.key == "programme":
        formats = {"من": "hh:mm", "إلى": "hh:mm"}
    return SheetOut(
        spec.ar,
        headers,
        EXAMPLES[spec.key],
        notes=notes,
        choices=choices,
        suggestions=suggestions,
        widths={h: 24 for h in headers},
        number_formats=formats,
    )


def starter_files() -> dict[str, bytes]:
    """Return the starter files by name: workbook.xlsx (every sheet, header, drop-down, example rows) and reportgen.toml."""
    lists, ranges = _lists()
    settings = SheetOut(
        SETTINGS.ar,
        ["المفتاح", "القيمة"],
        SETTINGS_ROWS,
        widths={"المفتاح": 22, "القيمة": 60},
        notes={
            "المفتاح": "اسم الإعداد بالعربية أو بالإنجليزية (setting name, in Arabic or English)",
            "القيمة": "القيمة (value)",
        },
    )
    sheets = [settings, *(_sheet(s, ranges) for s in ALL_SHEETS if s is not SETTINGS), lists]
    return {"workbook.xlsx": workbook_bytes(sheets, now()), "reportgen.toml": CONFIG.encode("utf-8")}
