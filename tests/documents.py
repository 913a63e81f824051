"""Every document kind rendered once per test session, with its HTML and layout tree, for the layout inspector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import CLUSTER_HEADERS, cluster_row, write_xlsx
from tests.layout import Rendered, capturing_layout, render, render_parted, render_rows

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 11, 19)
DOSSIERS = ("EG-LX-001", "EG-KN-001", "EG-KN-002")  # the small workbook's: granted, conditional, refused
# Every dossier of the sample workbook, in its certifications sheet's order (test_layout checks the list is
# whole): each is read by the inspector, as a reviewer reads all of them (20 s on an idle machine)
SAMPLE_DOSSIERS = (
    *("EG-DT-001", "EG-KFS-001", "EG-SHG-001", "EG-MNF-001", "EG-FYM-001", "EG-JS-001", "EG-MT-001", "EG-GZ-002"),
    *("EG-GZ-001", "EG-LX-001", "EG-DK-001", "EG-KN-002", "EG-SHG-002", "EG-ASN-001", "EG-ASN-002", "EG-WAD-001"),
    *("EG-AST-001", "EG-C-002", "EG-KN-001", "EG-KB-001", "EG-KN-003", "EG-MN-001"),
)
# The dossiers the wording tests render (the `planned` and `pdfs` fixtures): refused at the rule's second step (a
# letter); conditional against ISO 9001; granted (ES 7000) with a closed non-conformity
WORDING_DOSSIERS = ("EG-KB-001", "EG-DK-001", "EG-LX-001")

# Every document the inspector reads: the sample workbook's, the small English one's, and built ones.
NAMES = (
    "brief-national",
    "brief-upper-egypt",
    "brief-luxor-qena",
    "brief-small",
    "brief-long-text",
    "brief-many-rows",
    *(f"dossier-{n}" for n in SAMPLE_DOSSIERS),
    *(f"dossier-small-{n}" for n in DOSSIERS),
    "handout-a4-upper-egypt",
    "handout-a5-small",
    "handout-a5",  # the sample conference's handout on A5 pages, and the same imposed as a booklet
    "handout-a5-booklet",
    "handout-a4-bleed",  # `--bleed 3`: 3 mm of bleed, crop marks beyond it
    "handout-all-clusters",  # `--all-clusters`: 145 fact sheets, 153 pages (15 s to render on an idle machine)
)


def settings(**over):
    """Return the tests' settings (fixed date), with fields replaced."""
    from reportgen.settings import Settings

    return Settings(today=TODAY).with_(**over) if over else Settings(today=TODAY)


def long_text_workbook(folder: Path) -> Path:
    """Return a workbook whose free-text cells are long (a paragraph in a table cell, long names)."""
    # The longest intervention text the workbook accepts (input/columns.py: 300 characters), in a table cell.
    paragraph = ("تطوير مهارات الحرفيين في التصميم والتسويق الإلكتروني وتدريب ١٥٠ سيدة على الجودة " * 8)[:300].strip()
    return write_xlsx(
        folder / "long-text.xlsx",
        {
            "settings": [["key", "value"], ["title", "موجز بنصوص طويلة"], ["issue_date", dt.date(2026, 11, 15)]],
            "clusters": [
                CLUSTER_HEADERS,
                cluster_row(1, "Luxor", name="تجمع " + "الصناعات التراثية والحرف اليدوية " * 4),
                cluster_row(2, "قنا"),
            ],
            "interventions": [
                ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end"],
                ["EG-T-001", "marketing", paragraph, "الجهاز", 250000, dt.date(2026, 1, 1), dt.date(2026, 6, 30)],
                ["EG-T-002", "innovation", paragraph[:200], "الأكاديمية", 1_000_000, None, None],
            ],
        },
    )


def many_rows_workbook(folder: Path) -> Path:
    """Return a workbook of 80 clusters and 60 interventions: tables that break across pages."""
    govs = ("Luxor", "قنا", "Aswan", "Sohag")
    return write_xlsx(
        folder / "many-rows.xlsx",
        {
            "settings": [["key", "value"], ["title", "موجز بصفوف كثيرة"], ["issue_date", dt.date(2026, 11, 15)]],
            "clusters": [CLUSTER_HEADERS, *(cluster_row(i, govs[i % 4]) for i in range(1, 81))],
            "interventions": [
                ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end"],
                *(
                    [f"EG-T-{i:03d}", ("marketing", "innovation")[i % 2], f"تدخل رقم {i}", "الجهاز", 10_000 * i]
                    + [dt.date(2026, 1, 1), dt.date(2026, 12, 31)]
                    for i in range(1, 61)
                ),
            ],
        },
    )


def render_all(folder: Path) -> dict[str, Rendered]:
    """Render every document of NAMES once and return them by name."""
    from reportgen.commands import brief, handout
    from reportgen.commands.common import pdf_job
    from reportgen.output import imposition, rows

    out: dict[str, Rendered] = {}
    briefs = {
        "brief-national": (SAMPLES / "clusters.xlsx", {}),
        "brief-upper-egypt": (SAMPLES / "clusters.xlsx", {"region": "Upper Egypt"}),
        "brief-luxor-qena": (SAMPLES / "clusters.xlsx", {"governorates": ("الأقصر", "قنا")}),
        "brief-small": (SAMPLES / "small.xlsx", {}),
        "brief-long-text": (long_text_workbook(folder), {}),
        "brief-many-rows": (many_rows_workbook(folder), {}),
    }
    for name, (workbook, scope) in briefs.items():
        html, parsed = brief.html(workbook, settings(), **scope)
        if name == "brief-national":  # as a long brief is laid out: its annex in parts (output/rows.py)
            job = rows.RowsJob(pdf_job(html, parsed.dataset, settings()), "annex", 50)
            out[name] = render_rows(name, job)
        else:
            out[name] = render(name, html, workbook.parent)
    out.update(_dossiers("dossier-", SAMPLES / "clusters.xlsx", SAMPLE_DOSSIERS))
    out.update(_dossiers("dossier-small-", SAMPLES / "small.xlsx", DOSSIERS))
    html, _, _ = handout.html(SAMPLES / "clusters.xlsx", settings(), paper="A4", region="Upper Egypt")
    out["handout-a4-upper-egypt"] = render("handout-a4-upper-egypt", html, SAMPLES)
    html, _, _ = handout.html(SAMPLES / "small.xlsx", settings(), paper="A5")
    out["handout-a5-small"] = render("handout-a5-small", html, SAMPLES)
    html, _, _ = handout.html(SAMPLES / "clusters.xlsx", settings(), paper="A5")
    a5 = out["handout-a5"] = render("handout-a5", html, SAMPLES)
    out["handout-a5-booklet"] = Rendered("handout-a5-booklet", html, imposition.booklet(a5.pdf), imposed=True)
    html, _, _ = handout.html(SAMPLES / "clusters.xlsx", settings(), paper="A4", bleed_mm=3)
    bled = render("handout-a4-bleed", html, SAMPLES)
    out["handout-a4-bleed"] = Rendered(bled.name, html, imposition.crop_marks(bled.pdf, 3), bled.pages)
    # as `reportgen handout` lays it out: in parts (output/chunks.py), each map once per governorate
    whole, parsed, plan, svgs = handout.prepare(
        SAMPLES / "clusters.xlsx", settings(), paper="A4", all_clusters=True, inline_maps=False
    )
    job = handout.parts(whole, plan, lambda text: pdf_job(text, parsed.dataset, settings(), svgs))
    out["handout-all-clusters"] = render_parted("handout-all-clusters", job, whole(None))
    assert sorted(out) == sorted(NAMES)
    return out


def _dossiers(prefix: str, workbook: Path, ids: tuple[str, ...]) -> dict[str, Rendered]:
    """Render the dossiers of ids from workbook as `reportgen dossiers` does (PDF/A-3b, record attached)."""
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier

    parsed = common.load_clean(workbook, settings())
    issuing.setup(settings(), None)
    out = {}
    for d in dossier.plan(parsed.dataset, settings()).dossiers:
        if d.cluster.id in ids:
            with capturing_layout() as documents:
                issued = issuing.render(d, workbook.parent)
            name = prefix + d.cluster.id
            html = issuing.html_of(d, workbook.parent, setting=issued.setting)  # as it was laid out
            out[name] = Rendered(name, html, issued.pdf or b"", list(documents[-1].pages))
    return out
