"""Built-in reference data: the 27 governorates and their regions, and the workbook's fixed vocabularies."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from reportgen.model.arabic import fold
from reportgen.model.records import Governorate

# key -> (English label, Arabic label); the order is the order documents list them in.
AXES: dict[str, tuple[str, str]] = {
    "innovation": ("Innovation", "الابتكار"),
    "research": ("Research", "البحث العلمي"),
    "technology_transfer": ("Technology transfer", "نقل التكنولوجيا"),
    "skills": ("Workers' skills", "تطوير مهارات العاملين"),
    "financial_services": ("Financial services", "الخدمات المالية"),
    "non_financial_services": ("Non-financial services", "الخدمات غير المالية"),
    "marketing": ("Marketing support", "الدعم التسويقي"),
    "coordination": ("Institutional coordination", "التنسيق المؤسسي"),
}
AREAS: dict[str, tuple[str, str]] = {
    "customer_requirements": ("Customer requirements", "متطلبات العملاء"),
    "materials": ("Materials", "الخامات"),
    "processes": ("Processes", "العمليات"),
    "product": ("Product", "المنتج"),
    "brand": ("Brand", "العلامة التجارية"),
}
PRIORITIES: dict[str, tuple[str, str]] = {
    "high": ("High", "عالية"),
    "medium": ("Medium", "متوسطة"),
    "low": ("Low", "منخفضة"),
}
SEVERITIES: dict[str, tuple[str, str]] = {
    "none": ("None", "لا يوجد"),
    "minor": ("Minor", "بسيطة"),
    "major": ("Major", "جسيمة"),
}
# Management-system standards (by their ISO number): a certificate against one attests that the holder's
# management system conforms, not its products. Number -> the system's Arabic name; any other standard
# (a product standard such as ES 7000) certifies products.
MANAGEMENT_SYSTEMS: dict[str, str] = {
    "9001": "نظام إدارة الجودة",
    "14001": "نظام الإدارة البيئية",
    "22000": "نظام إدارة سلامة الغذاء",
    "45001": "نظام إدارة السلامة والصحة المهنية",
    "50001": "نظام إدارة الطاقة",
    "27001": "نظام إدارة أمن المعلومات",
    "13485": "نظام إدارة الجودة للأجهزة الطبية",
    "22301": "نظام إدارة استمرارية الأعمال",
    "37001": "نظام إدارة مكافحة الرشوة",
    "21001": "نظام إدارة المؤسسات التعليمية",
    "39001": "نظام إدارة السلامة المرورية",
}
_MANAGEMENT_SYSTEM = re.compile(r"\b(?:ISO(?:/IEC)?|FSSC)\s*(\d{4,5})(?!\d)", re.IGNORECASE)


def management_system(standard: str) -> str:
    """Return the Arabic name of the management system a standard certifies ("" for a product standard)."""
    match = _MANAGEMENT_SYSTEM.search(standard)
    return MANAGEMENT_SYSTEMS.get(match.group(1), "") if match else ""


# The sectors the national survey groups clusters by: the starter workbook offers them (the column stays free text).
SECTORS: tuple[str, ...] = (
    "الحرف اليدوية والتراثية",
    "الفخار والخزف",
    "الأثاث والصناعات الخشبية",
    "الصناعات الغذائية",
    "النباتات الطبية والعطرية",
    "المنسوجات والملابس",
    "الصناعات المعدنية",
    "مواد البناء",
    "الجلود",
)
DECISIONS: dict[str, tuple[str, str]] = {
    "granted": ("Granted", "ممنوح"),
    "conditional": ("Conditional", "مشروط"),
    "refused": ("Refused", "مرفوض"),
}
# The decision as an act, where a sentence names it ("القرار: منح الشهادة"); DECISIONS are the register's statuses.
VERDICTS: dict[str, tuple[str, str]] = {
    "granted": ("Certification granted", "منح الشهادة"),
    "conditional": ("Certification granted with conditions", "منح الشهادة بشروط"),
    "refused": ("Certification refused", "رفض منح الشهادة"),
}
AUDIT_TYPES: dict[str, tuple[str, str]] = {  # ISO/IEC 17021-1 §9.3–9.6
    "initial": ("Initial", "تقييم أولي"),
    "surveillance": ("Surveillance", "تقييم مراقبة"),
    "recertification": ("Recertification", "تقييم إعادة منح الشهادة"),
    "special": ("Special", "تقييم خاص"),
}
# An intervention's progress (the status column is free text: these are the values documents translate).
STATUSES: dict[str, tuple[str, str]] = {
    "done": ("Done", "منجز"),
    "in_progress": ("In progress", "قيد التنفيذ"),
    "planned": ("Planned", "مخطط"),
}
# Extra spellings users type for vocabulary entries.
_ALIASES: dict[str, str] = {
    "technology transfer": "technology_transfer",
    "skills development": "skills",
    "تنمية مهارات العاملين": "skills",
    "مهارات العاملين": "skills",
    "financial": "financial_services",
    "non financial services": "non_financial_services",
    "الخدمات غير المالية": "non_financial_services",
    "التسويق": "marketing",
    "marketing support": "marketing",
    "institutional coordination": "coordination",
    "customer requirements": "customer_requirements",
    "متطلبات العميل": "customer_requirements",
    "المواد الخام": "materials",
    "عالي": "high",
    "متوسط": "medium",
    "منخفض": "low",
    "لا توجد": "none",
    "none": "none",
    "granted": "granted",
    "مقبول": "granted",
    "مشروطة": "conditional",
    "refused": "refused",
    "مرفوضة": "refused",
    "ممنوحة": "granted",
    "أولي": "initial",
    "مراقبة": "surveillance",
    "إعادة منح الشهادة": "recertification",
    "خاص": "special",
    "completed": "done",
    "complete": "done",
    "finished": "done",
    "مكتمل": "done",
    "منفذ": "done",
    "تم": "done",
    "ongoing": "in_progress",
    "in progress": "in_progress",
    "underway": "in_progress",
    "under way": "in_progress",
    "جاري": "in_progress",
    "جار": "in_progress",  # جارٍ, its diacritic folded away
    "قيد التنفيذ": "in_progress",
    "not started": "planned",
    "لم يبدا": "planned",
}


def vocabulary_lookup(vocabulary: dict[str, tuple[str, str]], text: str) -> str | None:
    """Return the key whose key, English or Arabic label (or a known alias) matches text."""
    key = fold(text)
    for k, (en, ar) in vocabulary.items():
        if key in (fold(k), fold(en), fold(ar)):
            return k
    alias = _ALIASES.get(key) or _ALIASES.get(text.strip().casefold())
    return alias if alias in vocabulary else None


@cache
def governorates() -> tuple[Governorate, ...]:
    """Return the 27 governorates in the reference table's order."""
    text = resources.files("reportgen").joinpath("data/egypt_governorates.csv").read_text("utf-8")
    return tuple(
        Governorate(
            code=r["code"],
            name_en=r["name_en"],
            name_ar=r["name_ar"],
            region_en=r["region_en"],
            region_ar=r["region_ar"],
            capital_ar=r["capital_ar"],
        )
        for r in csv.DictReader(text.splitlines())
    )


# Common English spellings beside the table's own.
_GOV_ALIASES = {
    "al qahirah": "EG-C",
    "gizeh": "EG-GZ",
    "qalyubiyya": "EG-KB",
    "kalyoubia": "EG-KB",
    "alex": "EG-ALX",
    "beheira": "EG-BH",
    "buhayrah": "EG-BH",
    "gharbiyya": "EG-GH",
    "gharbiya": "EG-GH",
    "menofia": "EG-MNF",
    "minufiya": "EG-MNF",
    "monufia": "EG-MNF",
    "dakahlia": "EG-DK",
    "dakahliya": "EG-DK",
    "daqahliyah": "EG-DK",
    "sharkia": "EG-SHR",
    "al sharqia": "EG-SHR",
    "kafr el-sheikh": "EG-KFS",
    "kafr al sheikh": "EG-KFS",
    "dumyat": "EG-DT",
    "minia": "EG-MN",
    "menia": "EG-MN",
    "al minya": "EG-MN",
    "bani suef": "EG-BNS",
    "beni sweif": "EG-BNS",
    "fayoum": "EG-FYM",
    "faiyum": "EG-FYM",
    "assiut": "EG-AST",
    "asyut": "EG-AST",
    "suhag": "EG-SHG",
    "sohaj": "EG-SHG",
    "al uqsur": "EG-LX",
    "marsa matruh": "EG-MT",
    "matruh": "EG-MT",
    "marsa matrouh": "EG-MT",
    "new valley": "EG-WAD",
    "al wadi al jadid": "EG-WAD",
    "red sea": "EG-BA",
    "north sinai": "EG-SIN",
    "south sinai": "EG-JS",
    "port said": "EG-PTS",
    "ismailiya": "EG-IS",
}


@cache
def _governorate_index() -> dict[str, Governorate]:
    index: dict[str, Governorate] = {}
    by_code = {g.code: g for g in governorates()}
    for g in governorates():
        for name in (g.code, g.code.removeprefix("EG-"), g.name_en, g.name_ar):
            index[fold(name)] = g
        index[fold("محافظة " + g.name_ar)] = g
        index[fold(g.name_en + " governorate")] = g
    for alias, code in _GOV_ALIASES.items():
        index.setdefault(fold(alias), by_code[code])
    return index


def find_governorate(text: str) -> Governorate | None:
    """Return the governorate named by an Arabic or English name or an ISO code, or None."""
    return _governorate_index().get(fold(text))


def regions() -> list[tuple[str, str]]:
    """Return the regions (English, Arabic) in the reference table's order."""
    seen: dict[str, str] = {}
    for g in governorates():
        seen.setdefault(g.region_en, g.region_ar)
    return list(seen.items())


def find_region(text: str) -> tuple[str, str] | None:
    """Return the region (English, Arabic) named in either language, or None."""
    key = fold(text)
    for en, ar in regions():
        if key in (fold(en), fold(ar)):
            return en, ar
    return None
