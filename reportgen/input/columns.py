"""The workbook contract as data: each sheet's names and each column's names, converter and need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from reportgen.errors import FSI, PDI
from reportgen.i18n import N_, _, is_arabic
from reportgen.input import converters as cv
from reportgen.model import ids
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
        """Return 'english / عربي' for messages ('عربي (english)' in Arabic ones)."""
        return _label(self.en, self.ar)


def _label(en: str, ar: str) -> str:
    return f"{ar} ({FSI}{en}{PDI})" if is_arabic() else f"{en} / {ar}"


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
        """Return 'english / عربي' for messages ('عربي (english)' in Arabic ones)."""
        return _label(self.en, self.ar)


def _vocab(vocabulary: dict[str, tuple[str, str]], what: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        key = vocabulary_lookup(vocabulary, cv.to_text(value))
        if key is None:
            choices = _(", ").join(_label(en, ar) for en, ar in vocabulary.values())
            raise cv.ConversionError(_("{what}: one of {choices}").format(what=_(what), choices=choices))
        return key

    return convert


def _governorate(value: object):
    gov = find_governorate(cv.to_text(value))
    if gov is None:
        raise cv.ConversionError(
            _("one of Egypt's 27 governorates (Arabic or English name, or ISO code such as EG-LX)")
        )
    return gov


def _code(value: object) -> str:
    text = ids.normal(cv.to_text(value))
    if text and not ids.allowed(text):
        raise cv.ConversionError(_(ids.RULE).format(n=ids.MAX_LENGTH))
    return text


def _day(value: object) -> object:
    """Return a date when the day cell holds one, else its text."""
    try:
        return cv.to_date(value)
    except cv.ConversionError:
        return Text(40)(value)


text = cv.to_text


@dataclass(frozen=True)
class Text:
    """Cell text of at most max_chars characters: as long as the documents' layout holds (a longer one is refused)."""

    max_chars: int

    def __call__(self, value: object) -> str:
        result = cv.to_text(value)
        if len(result) > self.max_chars:
            raise cv.ConversionError(
                _("a text of at most {most} characters (this one has {n})").format(
                    most=f"{self.max_chars:,}", n=f"{len(result):,}"
                )
            )
        return result


score = partial(cv.to_float, lo=0, hi=100)
weight = partial(cv.to_float, lo=0, hi=1000)

SETTINGS_KEYS: tuple[Column, ...] = (
    Column("title", "title", "العنوان", Text(150)),
    Column("organization", "organization", "الجهة", Text(1000), aliases=("organisation",)),
    Column("subtitle", "subtitle", "العنوان الفرعي", Text(200)),
    Column("issue_date", "issue_date", "تاريخ الإصدار", cv.to_date, aliases=("issue date",)),
    Column("logo", "logo", "الشعار", Text(200)),
    Column("seal", "seal", "الختم", Text(200)),
    Column("certifying_body", "certifying_body", "جهة منح الشهادة", Text(60), aliases=("جهة الاعتماد",)),
    Column("body_address", "body_address", "عنوان جهة منح الشهادة", Text(200), aliases=("body address",)),
    Column("accreditation", "accreditation", "الاعتماد", Text(100), aliases=("accredited by", "رقم الاعتماد")),
    Column("decision_maker", "decision_maker", "متخذ القرار", Text(60), aliases=("decision maker",)),
    Column("signatory", "signatory", "اسم الموقّع", Text(60), aliases=("signatory_1", "اسم الموقع")),
    Column("signatory_title", "signatory_title", "صفة الموقّع", Text(60), aliases=("signatory_1_title", "صفة الموقع")),
    Column("signatory_2", "signatory_2", "اسم الموقّع الثاني", Text(60), aliases=("اسم الموقع الثاني",)),
    Column("signatory_2_title", "signatory_2_title", "صفة الموقّع الثاني", Text(60), aliases=("صفة الموقع الثاني",)),
    Column("specimen", "specimen", "نموذج", cv.to_bool, aliases=("sample",)),
    Column("conference", "conference", "المؤتمر", Text(400)),
    Column("city", "city", "المدينة", Text(60)),
    Column("conference_dates", "conference_dates", "موعد المؤتمر", cv.to_dates, aliases=("مواعيد المؤتمر",)),
    Column("verify_url", "verify_url", "رابط التحقق", Text(200), aliases=("verification url",)),
)

SETTINGS = SheetSpec("settings", "settings", "الإعدادات", SETTINGS_KEYS)

CLUSTERS = SheetSpec(
    "clusters",
    "clusters",
    "التجمعات",
    (
        Column("id", "id", "الرمز", _code, True, ("cluster id", "code", "رمز التجمع")),
        Column("name", "name", "اسم التجمع", Text(300), True, ("cluster", "الاسم", "التجمع")),
        Column("governorate", "governorate", "المحافظة", _governorate, True),
        Column("locality", "locality", "المركز أو القرية", Text(300), False, ("المركز/القرية", "القرية", "المركز")),
        Column("sector", "sector", "القطاع", Text(80), True),
        Column("products", "products", "المنتجات", Text(2000)),
        Column("enterprises", "enterprises", "عدد المنشآت", cv.to_int, True, ("المنشآت",)),
        Column("workers", "workers", "عدد العاملين", cv.to_int, True, ("العاملين", "العاملون")),
        Column("women_share", "women_share", "نسبة النساء", cv.to_percent),
        Column("annual_output_egp", "annual_output_egp", "قيمة الإنتاج السنوي", cv.to_decimal),
        Column("export_share", "export_share", "نسبة التصدير", cv.to_percent),
        Column("priority", "priority", "الأولوية", _vocab(PRIORITIES, N_("a priority"))),
    ),
)

INTERVENTIONS = SheetSpec(
    "interventions",
    "interventions",
    "التدخلات",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code),
        Column("axis", "axis", "المحور", _vocab(AXES, N_("a strategy axis")), True),
        Column("intervention", "intervention", "التدخل", Text(300), True),
        Column("lead", "lead", "الجهة المسؤولة", Text(120)),
        Column("budget_egp", "budget_egp", "الميزانية", cv.to_decimal),
        Column("start", "start", "البداية", cv.to_date),
        Column("end", "end", "النهاية", cv.to_date),
        Column("kpi", "kpi", "مؤشر الأداء", Text(200)),
        Column("status", "status", "الحالة", Text(60)),
    ),
)

ASSESSMENTS = SheetSpec(
    "assessments",
    "assessments",
    "التقييم",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code, True),
        Column("area", "area", "المجال", _vocab(AREAS, N_("an assessment area")), True),
        Column("criterion", "criterion", "المعيار", Text(200), True),
        Column("weight", "weight", "الوزن", weight),
        Column("score", "score", "الدرجة", score, True),
        Column("finding", "finding", "الملاحظة", Text(800)),
        Column("severity", "severity", "درجة عدم المطابقة", _vocab(SEVERITIES, N_("a severity"))),
        Column("corrective_action", "corrective_action", "الإجراء التصحيحي", Text(800)),
        Column("due", "due", "الموعد", cv.to_date),
        Column("closed", "closed", "مغلقة", cv.to_bool),
        Column(
            "closed_on",
            "closed_on",
            "تاريخ الإغلاق",
            cv.to_date,
            aliases=("closed on", "closure date", "date closed", "أغلقت في"),
        ),
        Column("root_cause", "root_cause", "السبب الجذري", Text(500), aliases=("root cause",)),
        Column("correction", "correction", "التصحيح الفوري", Text(500), aliases=("التصحيح",)),
        Column(
            "verified_by", "verified_by", "تحقق من الإغلاق", Text(60), aliases=("verified by", "المتحقق من الإغلاق")
        ),
    ),
)

CERTIFICATIONS = SheetSpec(
    "certifications",
    "certifications",
    "منح الشهادة",
    (
        Column("cluster_id", "cluster_id", "رمز التجمع", _code, True),
        Column("brand", "brand", "العلامة التجارية", Text(300), True),
        Column("standard", "standard", "المواصفة", Text(100)),
        Column("scope", "scope", "نطاق الشهادة", Text(250), aliases=("نطاق الاعتماد",)),
        Column("certifying_body", "certifying_body", "جهة منح الشهادة", Text(60), aliases=("جهة الاعتماد",)),
        Column(
            "lead_auditor",
            "lead_auditor",
            "رئيس فريق التقييم",
            Text(60),
        ),
        Column("brand_owner", "brand_owner", "مالك العلامة", Text(200), aliases=("brand owner",)),
        Column(
            "holder_address", "holder_address", "عنوان صاحب الشهادة", Text(200), aliases=("holder address", "address")
        ),
        Column("sites", "sites", "المواقع المشمولة", Text(600), aliases=("certified sites",)),
        Column("audit_type", "audit_type", "نوع التقييم", _vocab(AUDIT_TYPES, N_("an audit type"))),
        Column("audit_stage", "audit_stage", "مرحلة التقييم", Text(60), aliases=("stage",)),
        Column("audit_team", "audit_team", "فريق التقييم", Text(300), aliases=("team",)),
        Column(
            "sites_visited",
            "sites_visited",
            "المواقع التي زارها الفريق",
            Text(400),
            aliases=("sites visited",),
        ),
        Column("audit_date", "audit_date", "تاريخ التقييم", cv.to_date, True),
        Column("decision", "decision", "القرار", _vocab(DECISIONS, N_("a decision"))),
        Column("decision_maker", "decision_maker", "متخذ القرار", Text(60), aliases=("decision maker",)),
        Column(
            "decision_reason", "decision_reason", "أسباب القرار", Text(1000), aliases=("decision reason", "سبب القرار")
        ),
        Column("issue_date", "issue_date", "تاريخ الإصدار", cv.to_date),
        Column("effective_date", "effective_date", "تاريخ السريان", cv.to_date, aliases=("effective date",)),
        Column("valid_until", "valid_until", "صالحة حتى", cv.to_date),
        Column("revision", "revision", "رقم الإصدار", cv.to_int, aliases=("إصدار",)),
        Column("supersedes", "supersedes", "تحل محل الشهادة", Text(40), aliases=("replaces", "تحل محل")),
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
        Column("title", "title", "الجلسة", Text(200), True),
        Column("speakers", "speakers", "المتحدثون", Text(300)),
        Column("venue", "venue", "القاعة", Text(100)),
    ),
)

TABLE_SHEETS: tuple[SheetSpec, ...] = (CLUSTERS, INTERVENTIONS, ASSESSMENTS, CERTIFICATIONS, PROGRAMME)
ALL_SHEETS: tuple[SheetSpec, ...] = (SETTINGS, *TABLE_SHEETS)
