"""The workbook contract as data: each sheet's names and each column's names, converter and need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from reportgen.input import converters as cv
from reportgen.model.reference import (
    AREAS,
    AUDIT_TYPES,
    AXES,
    DECISIONS,
    PRIORITIES,
    SEVERITIES,
    find_governorate,
    vocabulary_lookup,
)


@dataclass(frozen=True)
class Column:
    """One column: record field, English and Arabic header, converter, whether a value is required."""

    key: str
    en: str
    ar: str
    convert: Callable[[object], object]
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Return 'english / عربي' for messages."""
        return f"{self.en} / {self.ar}"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook contract."""

    key: str
    en: str
    ar: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()  # names it had before, still read

    @property
    def label(self) -> str:
        """Return 'english / عربي' for messages."""
        return f"{self.en} / {self.ar}"


def _vocab(vocabulary: dict[str, tuple[str, str]], what: str) -> Callable[[object], str]:
    choices = ", ".join(f"{en} / {ar}" for en, ar in vocabulary.values())

    def convert(value: object) -> str:
        key = vocabulary_lookup(vocabulary, cv.to_text(value))
        if key is None:
            raise cv.ConversionError(f"{what}: one of {choices}")
        return key

    return convert


def _governorate(value: object):
    gov = find_governorate(cv.to_text(value))
    if gov is None:
        raise cv.ConversionError("one of Egypt's 27 governorates (Arabic or English name, or ISO code such as EG-LX)")
    return gov


def _code(value: object) -> str:
    text = cv.to_text(value)
    if len(text) > 40 or any(ch in text for ch in "<>\"'&/\\"):
        raise cv.ConversionError("an id of at most 40 letters, digits and dashes (e.g. EG-LX-003)")
    return text


def _day(value: object) -> object:
    """Return a date when the day cell holds one, else its text."""
    try:
        return cv.to_date(value)
    except cv.ConversionError:
        return cv.to_text(value)


text = cv.to_text
score = partial(cv.to_float, lo=0, hi=100)
weight = partial(cv.to_float, lo=0, hi=1000)

SETTINGS_KEYS: tuple[Column, ...] = (
    Column("title", "title", "العنوان", text),
    Column("organization", "organization", "الجهة", text, aliases=("organisation",)),
    Column("subtitle", "subtitle", "العنوان الفرعي", text),
    Column("issue_date", "issue_date", "تاريخ الإصدار", cv.to_date, aliases=("issue date",)),
    Column("logo", "logo", "الشعار", text),
    Column("certifying_body", "certifying_body", "جهة منح الشهادة", text, aliases=("جهة الاعتماد",)),
    Column("body_address", "body_address", "عنوان جهة منح الشهادة", text, aliases=("body address",)),
    Column("accreditation", "accreditation", "الاعتماد", text, aliases=("accredited by", "رقم الاعتماد")),
    Column("decision_maker", "decision_maker", "متخذ القرار", text, aliases=("decision maker",)),
    Column("signatory", "signatory", "اسم الموقّع", text, aliases=("signatory_1", "اسم الموقع")),
    Column("signatory_title", "signatory_title", "صفة الموقّع", text, aliases=("signatory_1_title", "صفة الموقع")),
    Column("signatory_2", "signatory_2", "اسم الموقّع الثاني", text, aliases=("اسم الموقع الثاني",)),
    Column("signatory_2_title", "signatory_2_title", "صفة الموقّع الثاني", text, aliases=("صفة الموقع الثاني",)),
    Column("specimen", "specimen", "نموذج", cv.to_bool, aliases=("sample",)),
    Column("conference", "conference", "المؤتمر", text),
    Column("city", "city", "المدينة", text),
    Column("conference_dates", "conference_dates", "موعد المؤتمر", cv.to_dates, aliases=("مواعيد المؤتمر",)),
    Column("verify_url", "verify_url", "رابط التحقق", text, aliases=("verification url",)),
)

SETTINGS = SheetSpec("settings", "settings", "الإعدادات", SETTINGS_KEYS)

CLUSTERS = SheetSpec(
    "clusters",
    "clusters",
    "التجمعات",
    (
        Column("id", "id", "الرمز", _code, True, ("cluster id", "code", "رمز التجمع")),
        Column("name", "name", "اسم التجمع", text, True, ("cluster", "الاسم", "التجمع")),
        Column("governorate", "governorate", "المحافظة", _governorate, True),
        Column("locality", "locality", "المركز أو القرية", text, False, ("المركز/القرية", "القرية", "المركز")),
        Column("sector", "sector", "القطاع", text, True),
        Column("products", "products", "المنتجات", text),
        Column("enterprises", "enterprises", "عدد المنشآت", cv.to_int, True, ("المنشآت",)),
        Column("workers", "workers", "عدد العاملين", cv.to_int, True, ("العاملين", "العاملون")),
        Column("women_share", "women_share", "نسبة النساء", cv.to_percent),
        Column("annual_output_egp", "annual_output_egp", "قيمة الإنتاج السنوي", cv.to_decimal),
        Column("export_share", "export_share", "نسبة التصدير", cv.to_percent),
        Column("priority", "priority", "الأولوية", _vocab(PRIORITIES, "a priority")),
    ),
)

INTERVENTIONS = SheetSpec(
    "interventions",
    "interventions",
    "التدخلات",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code),
        Column("axis", "axis", "المحور", _vocab(AXES, "a strategy axis"), True),
        Column("intervention", "intervention", "التدخل", text, True),
        Column("lead", "lead", "الجهة المسؤولة", text),
        Column("budget_egp", "budget_egp", "الميزانية", cv.to_decimal),
        Column("start", "start", "البداية", cv.to_date),
        Column("end", "end", "النهاية", cv.to_date),
        Column("kpi", "kpi", "مؤشر الأداء", text),
        Column("status", "status", "الحالة", text),
    ),
)

ASSESSMENTS = SheetSpec(
    "assessments",
    "assessments",
    "التقييم",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code, True),
        Column("area", "area", "المجال", _vocab(AREAS, "an assessment area"), True),
        Column("criterion", "criterion", "المعيار", text, True),
        Column("weight", "weight", "الوزن", weight),
        Column("score", "score", "الدرجة", score, True),
        Column("finding", "finding", "الملاحظة", text),
        Column("severity", "severity", "درجة عدم المطابقة", _vocab(SEVERITIES, "a severity")),
        Column("corrective_action", "corrective_action", "الإجراء التصحيحي", text),
        Column("due", "due", "الموعد", cv.to_date),
        Column("closed", "closed", "مغلقة", cv.to_bool),
        Column("root_cause", "root_cause", "السبب الجذري", text, aliases=("root cause",)),
        Column("correction", "correction", "التصحيح الفوري", text, aliases=("التصحيح",)),
        Column("verified_by", "verified_by", "تحقق من الإغلاق", text, aliases=("verified by", "المتحقق من الإغلاق")),
    ),
)

CERTIFICATIONS = SheetSpec(
    "certifications",
    "certifications",
    "منح الشهادة",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code, True),
        Column("brand", "brand", "العلامة التجارية", text, True),
        Column("standard", "standard", "المواصفة", text),
        Column("scope", "scope", "نطاق الشهادة", text, aliases=("نطاق الاعتماد",)),
        Column("certifying_body", "certifying_body", "جهة منح الشهادة", text, aliases=("جهة الاعتماد",)),
        Column("lead_auditor", "lead_auditor", "رئيس فريق التقييم", text),
        Column("brand_owner", "brand_owner", "مالك العلامة", text, aliases=("brand owner",)),
        Column("holder_address", "holder_address", "عنوان صاحب الشهادة", text, aliases=("holder address", "address")),
        Column("sites", "sites", "المواقع المشمولة", text, aliases=("certified sites",)),
        Column("audit_type", "audit_type", "نوع التقييم", _vocab(AUDIT_TYPES, "an audit type")),
        Column("audit_stage", "audit_stage", "مرحلة التقييم", text, aliases=("stage",)),
        Column("audit_team", "audit_team", "فريق التقييم", text, aliases=("team",)),
        Column("sites_visited", "sites_visited", "المواقع التي زارها الفريق", text, aliases=("sites visited",)),
        Column("audit_date", "audit_date", "تاريخ التقييم", cv.to_date, True),
        Column("decision", "decision", "القرار", _vocab(DECISIONS, "a decision")),
        Column("decision_maker", "decision_maker", "متخذ القرار", text, aliases=("decision maker",)),
        Column("decision_reason", "decision_reason", "أسباب القرار", text, aliases=("decision reason", "سبب القرار")),
        Column("issue_date", "issue_date", "تاريخ الإصدار", cv.to_date),
        Column("effective_date", "effective_date", "تاريخ السريان", cv.to_date, aliases=("effective date",)),
        Column("valid_until", "valid_until", "صالحة حتى", cv.to_date),
        Column("revision", "revision", "رقم الإصدار", cv.to_int, aliases=("إصدار",)),
        Column("supersedes", "supersedes", "تحل محل الشهادة", text, aliases=("replaces", "تحل محل")),
    ),
    aliases=("الاعتماد", "الشهادات"),
)

PROGRAMME = SheetSpec(
    "programme",
    "programme",
    "البرنامج",
    (
        Column("day", "day", "اليوم", _day),
        Column("start", "start", "من", cv.to_time, True),
        Column("end", "end", "إلى", cv.to_time),
        Column("title", "title", "الجلسة", text, True),
        Column("speakers", "speakers", "المتحدثون", text),
        Column("venue", "venue", "القاعة", text),
    ),
)

TABLE_SHEETS: tuple[SheetSpec, ...] = (CLUSTERS, INTERVENTIONS, ASSESSMENTS, CERTIFICATIONS, PROGRAMME)
ALL_SHEETS: tuple[SheetSpec, ...] = (SETTINGS, *TABLE_SHEETS)
