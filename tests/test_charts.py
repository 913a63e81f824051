"""Charts: well-formed SVG, text only as outlines, byte-identical output, colours and sizes."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reportgen.fonts.metrics import ELLIPSIS
from reportgen.render import charts
from reportgen.render.charts.base import ACCENT, FAMILY, OUTSIDE, PALE, ZERO
from reportgen.render.charts.boundaries import boundaries

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
DATA = ROOT / "reportgen" / "data"
GEO = DATA / "egypt_governorates.map.geojson"
LOCATOR = DATA / "egypt_governorates.locator.geojson"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
COUNTS = {"EG-C": 14, "EG-GZ": 9, "EG-ALX": 6, "EG-LX": 3, "EG-ASN": 1, "EG-MT": 2, "EG-DT": 11}


def fmt_ar(value: float) -> str:
    return f"{value:,.0f}".replace(",", "٬").translate(ARABIC_DIGITS)


def fmt_latin(value: float) -> str:
    return f"{value:,.0f}"


def make_bar(n: int = 4) -> str:
    labels = ["أثاث دمياط 2024", "فخار الفيوم", "ISO 9001 معتمد", "نحاس خان الخليلي"] * 8
    return charts.bar_chart(
        labels[:n], [12500.0 / (i + 1) for i in range(n)], fmt=fmt_ar, fonts_dir=FONTS, title="عدد العاملين"
    )


def make_scores() -> str:
    return charts.area_scores_chart(["الحوكمة", "الجودة", "السلامة"], [82, 64.5, 100], fmt=fmt_ar, fonts_dir=FONTS)


def make_map(**kwargs) -> str:
    options = {"fmt": fmt_ar, "legend_title": "عدد التجمعات"} | kwargs
    return charts.choropleth(COUNTS, fonts_dir=FONTS, geojson_path=GEO, **options)


def make_locator() -> str:
    return charts.locator_map("EG-LX", fonts_dir=FONTS, geojson_path=LOCATOR)


MAKERS = {"bar": make_bar, "scores": make_scores, "map": make_map, "locator": make_locator}


def height_pt(svg: str) -> float:
    return float(ET.fromstring(svg).get("height").removesuffix("pt"))


def fill_of(svg: str, gid: str) -> str:
    group = ET.fromstring(svg).find(f".//{SVG}g[@id='{gid}']")
    assert group is not None, f"no element with id {gid}"
    style = group.find(f"{SVG}path").get("style")
    return re.search(r"fill: (#[0-9a-f]{6})", style).group(1)


def texts(svg: str) -> list[str]:
    """The strings matplotlib drew, from the comments it writes before each text's outlines."""
    return [t.strip().lstrip("\u200f") for t in re.findall(r"<!-- (.*?) -->", svg)]


@pytest.mark.parametrize("kind", MAKERS)
def test_svg_is_well_formed_with_text_as_outlines_only(kind):
    svg = MAKERS[kind]()
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    assert svg.startswith("<svg")  # no XML prolog: ready to inline in HTML
    assert "<text" not in svg and root.find(f".//{SVG}text") is None
    assert "dc:date" not in svg and "Matplotlib" not in svg


@pytest.mark.parametrize("kind", MAKERS)
def test_output_is_deterministic(kind):
    assert MAKERS[kind]() == MAKERS[kind]()


def test_output_is_identical_in_a_fresh_process():
    code = "import sys; from pathlib import Path; from tests.test_charts import make_map;sys.stdout.write(make_map())"
    fresh = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert fresh == make_map()


def test_only_bundled_fonts_are_used():
    svg = make_bar()
    used = set(re.findall(r'id="([A-Za-z-]+)-[0-9a-f]+"', svg))
    assert used <= {"NotoSansArabic-Regular", "NotoSansArabic-Bold", "NotoSans-Regular", "NotoSans-Bold"}
    from matplotlib import font_manager

    for family in FAMILY:
        for weight in ("normal", "bold"):
            prop = font_manager.FontProperties(family=family, weight=weight)
            assert Path(font_manager.findfont(prop)).parent == FONTS.resolve()


def test_arabic_is_shaped():
    # Unshaped, the three beh would be the same isolated glyph; shaped: initial, medial and final.
    svg = charts.bar_chart(["ببب"], [1.0], fmt=lambda v: "", fonts_dir=FONTS)
    glyphs = {use.get(XLINK) for use in ET.fromstring(svg).iter(f"{SVG}use")}
    assert len({g for g in glyphs if g.startswith("#NotoSansArabic")}) >= 3


def test_values_are_drawn_with_the_callers_formatter():
    assert "١٢٬٥٠٠" in texts(make_bar())
    latin = charts.bar_chart(["أ"], [12500.0], fmt=fmt_latin, fonts_dir=FONTS)
    assert "12,500" in texts(latin)


def test_bar_chart_grows_with_the_number_of_bars():
    heights = [height_pt(make_bar(n)) for n in (1, 3, 10, 30)]
    assert heights == sorted(heights) and len(set(heights)) == 4
    assert heights[-1] < 28 / 2.54 * 72  # 30 bars still fit an A4 page


def test_bar_chart_width_follows_the_parameter():
    svg = charts.bar_chart(["أ"], [1.0], fmt=fmt_ar, fonts_dir=FONTS, width_cm=8)
    assert float(ET.fromstring(svg).get("width").removesuffix("pt")) == pytest.approx(8 / 2.54 * 72)


def test_long_labels_are_shortened():
    label = "الألبان والأجبان في المنوفية وكفر الشيخ والغربية ودمياط والدقهلية والبحيرة والإسكندرية"
    drawn = texts(charts.bar_chart([label], [1.0], fmt=fmt_ar, fonts_dir=FONTS, width_cm=10))
    assert any(t.endswith(ELLIPSIS) for t in drawn)


def test_scores_chart_marks_the_thresholds():
    drawn = texts(charts.area_scores_chart(["أ"], [70], fmt=fmt_ar, fonts_dir=FONTS, thresholds=(60, 90)))
    assert {"٠", "٦٠", "٩٠", "١٠٠", "٧٠"} <= set(drawn)


def test_choropleth_colours_follow_the_values():
    svg = make_map()
    assert fill_of(svg, "EG-C") != fill_of(svg, "EG-ASN")  # 14 and 1: top and bottom class
    assert fill_of(svg, "EG-GZ") != fill_of(svg, "EG-ASN")
    assert fill_of(svg, "EG-SIN") == ZERO  # absent
    zero = charts.choropleth({"EG-C": 0, "EG-GZ": 5}, fmt=fmt_ar, fonts_dir=FONTS, geojson_path=GEO, legend_title="عدد")
    assert fill_of(zero, "EG-C") == ZERO and fill_of(zero, "EG-GZ") != ZERO


def test_choropleth_has_all_governorates_and_a_legend():
    svg = make_map()
    root = ET.fromstring(svg)
    codes = {g.get("id") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("EG-")}
    assert len(codes) == 27
    assert {"عدد التجمعات", "٠", "١–٣", "١٢–١٤"} <= set(texts(svg))
    assert {"0", "1–3"} <= set(texts(make_map(fmt=fmt_latin)))


def test_choropleth_keys_the_governorates_outside_its_scope_apart():
    """Outside the scope: white, keyed by the caller's label, never «٠»; «٠» only for a governorate in scope."""
    region = {"EG-LX": 3, "EG-ASN": 1, "EG-KN": 2}

    def regional(scope, values=region, label="خارج الإقليم") -> str:
        options = {"fmt": fmt_ar, "legend_title": "عدد التجمعات", "scope": scope, "outside_label": label}
        return charts.choropleth(values, fonts_dir=FONTS, geojson_path=GEO, **options)

    svg = regional(list(region))
    assert texts(svg)[-1] == "خارج الإقليم" and "٠" not in texts(svg)
    assert fill_of(svg, "EG-C") == OUTSIDE and fill_of(svg, "EG-LX") not in (OUTSIDE, ZERO)
    with_none = regional([*region, "EG-SHG"])
    assert fill_of(with_none, "EG-SHG") == ZERO and "٠" in texts(with_none)
    whole = make_map()  # no scope: no outside key, absent governorates count as none
    assert "٠" in texts(whole) and not any(t.startswith("خارج") for t in texts(whole))
    with pytest.raises(ValueError):  # a value outside the scope, or a scope without its key
        regional(["EG-LX"])
    with pytest.raises(ValueError):
        regional(list(region), label="")


def test_choropleth_names_every_governorate_with_a_value():
    """Inside the governorate where name and value fit (Giza), else beside the map with its value (Cairo)."""
    from reportgen.model.reference import governorates

    names = {g.code: g.name_ar for g in governorates()}
    svg = make_map(names=names)
    drawn = set(texts(svg))
    assert {"الجيزة", "مطروح", "أسوان"} <= drawn  # large enough to hold their own name
    assert {"القاهرة ١٤", "دمياط ١١", "الإسكندرية ٦", "الأقصر ٣"} <= drawn  # named beside the map
    assert "سوهاج" not in " ".join(drawn)  # no value, no name
    assert not any(n in " ".join(texts(make_map())) for n in ("الجيزة", "القاهرة"))  # names only when given


def test_choropleth_highlight_and_attribution():
    svg = make_map(highlight="EG-LX")
    assert ET.fromstring(svg).find(f".//{SVG}g[@id='EG-LX-highlight']") is not None
    assert "OpenStreetMap" not in svg and "OpenStreetMap" in charts.ATTRIBUTION


def test_locator_map_highlights_the_governorate():
    svg = make_locator()
    assert fill_of(svg, "EG-LX") == ACCENT
    assert fill_of(svg, "EG-C") == PALE
    assert not texts(svg)  # no text at all
    assert fill_of(charts.locator_map("EG-C", fonts_dir=FONTS, geojson_path=LOCATOR), "EG-C") == ACCENT


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        charts.bar_chart(["أ", "ب"], [1.0], fmt=fmt_ar, fonts_dir=FONTS)
    with pytest.raises(ValueError):
        charts.bar_chart(["أ"], [-1.0], fmt=fmt_ar, fonts_dir=FONTS)
    with pytest.raises(ValueError, match="EG-XX"):
        charts.choropleth({"EG-XX": 1}, fmt=fmt_ar, fonts_dir=FONTS, geojson_path=GEO, legend_title="")
    with pytest.raises(ValueError, match="EG-XX"):
        charts.locator_map("EG-XX", fonts_dir=FONTS, geojson_path=GEO)
    with pytest.raises(FileNotFoundError):
        charts.bar_chart(["أ"], [1.0], fmt=fmt_ar, fonts_dir=ROOT / "no-such-fonts")


def test_tiny_governorates_are_ringed_on_the_locator_map():
    root = ET.fromstring(charts.locator_map("EG-DT", fonts_dir=FONTS, geojson_path=LOCATOR))
    assert root.find(f".//{SVG}g[@id='EG-DT-ring']") is not None
    root = ET.fromstring(charts.locator_map("EG-WAD", fonts_dir=FONTS, geojson_path=LOCATOR))
    assert root.find(f".//{SVG}g[@id='EG-WAD-ring']") is None


def test_matplotlib_settings_are_left_as_they_were():
    import matplotlib

    before = dict(matplotlib.rcParams)
    make_bar()
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("path", [GEO, LOCATOR])
def test_label_points_sit_inside_their_governorates(path):
    regions = boundaries(path, []).regions
    assert len(regions) == 27
    for region in regions.values():
        assert region.path.contains_point(region.anchor), region.code
        # Every vertex is on the boundary: none is nearer the label point than the label's free radius.
        nearest = min(math.dist(region.anchor, vertex) for vertex in region.path.vertices)
        assert 0 < region.radius <= nearest + 1e-3, region.code


@pytest.mark.parametrize("path", [GEO, LOCATOR])
def test_simplified_boundaries_only_drop_points_of_the_source(path):
    def points(collection):
        out = {}
        for feature in collection["features"]:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            out[feature["properties"]["code"]] = {tuple(p) for rings in polygons for ring in rings for p in ring}
        return out

    source = points(json.loads((DATA / "egypt_governorates.geojson").read_text(encoding="utf-8")))
    simplified = points(json.loads(path.read_text(encoding="utf-8")))
    assert simplified.keys() == source.keys()
    assert all(simplified[code] <= source[code] for code in source)
    assert sum(map(len, simplified.values())) < 0.6 * sum(map(len, source.values()))


def _boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Return the box (x0, y0, x1, y1, in pt) of each drawn patch_N, line2d_N and text_N group of a matplotlib SVG."""
    from tests.layout import svg_shapes

    boxes: dict[str, tuple[float, float, float, float]] = {}
    for shape in svg_shapes(svg):
        group = next((i for i in reversed(shape.ids) if re.fullmatch(r"(patch|line2d|text)_\d+", i)), None)
        if group:
            old, r = boxes.get(group, (math.inf, math.inf, -math.inf, -math.inf)), shape.rect
            boxes[group] = (min(old[0], r.x0), min(old[1], r.y0), max(old[2], r.x1), max(old[3], r.y1))
    return boxes


@pytest.mark.parametrize("maker", [make_bar, make_scores])
def test_a_value_label_stands_clear_of_its_bar(maker):
    """Each value label's ink ends at least 5 pt before its bar's end (3.5 pt read as touching it, at 80 % width)."""
    boxes = _boxes(maker())
    bars = [b for g, b in boxes.items() if g.startswith("patch") and b[3] - b[1] < 20 and b[2] - b[0] > 1]
    labels = [b for g, b in boxes.items() if g.startswith("text")]
    assert len(bars) >= 3
    for x0, y0, _x1, y1 in bars:
        beside = [t for t in labels if y0 <= (t[1] + t[3]) / 2 <= y1 and t[2] <= x0 + 1]  # left of the bar's end
        assert beside, (x0, y0)
        gap = x0 - max(t[2] for t in beside)
        assert gap >= 5.0, f"a value label {gap:.1f} pt from its bar"


def test_a_value_label_is_moved_clear_of_a_threshold_line():
    """«٦١٫٥» past its bar would straddle the dashed 65 line, «٧٨» the 80 line: each is set past the line instead."""
    svg = charts.area_scores_chart(["أ", "ب", "ج"], [61.5, 78, 90], fmt=fmt_ar, fonts_dir=FONTS, thresholds=(65, 80))
    boxes = _boxes(svg)
    bars = [b for g, b in boxes.items() if g.startswith("patch") and b[3] - b[1] < 20 and b[2] - b[0] > 1]
    top, bottom = min(b[1] for b in bars), max(b[3] for b in bars)
    dashed = [b for g, b in boxes.items() if g.startswith("line2d") and b[2] - b[0] < 1 and b[3] - b[1] > 20]
    base = max(b[2] for b in bars)  # the bars' baseline: the category labels are right of it
    values = [
        b for g, b in boxes.items() if g.startswith("text") and top <= (b[1] + b[3]) / 2 <= bottom and b[2] < base
    ]
    assert len(values) == 3 and len(dashed) >= 2  # the 65 and 80 lines (and the pale 100 line)
    for line in dashed:
        x = (line[0] + line[2]) / 2
        assert not [t for t in values if t[0] - 1.0 <= x <= t[2] + 1.0], f"a value label crosses the line at {x:.1f}"
