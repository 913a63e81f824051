"""Governorate boundaries as matplotlib paths, read from the simplified GeoJSON in reportgen/data."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath

# Maps carry no attribution: the caller prints this line (in HTML, through the bidi filter) under every map. In
# the documents' language; the project's and the licence's names stay as their owners write them.
ATTRIBUTION = "بيانات الحدود © مساهمو OpenStreetMap، برخصة ODbL، عبر geoBoundaries."


@dataclass(frozen=True)
class Region:
    """One governorate, projected: x = lon·cos(lat0), y = lat."""

    code: str
    path: MplPath  # outer rings counter-clockwise, holes clockwise (RFC 7946), so fills are right
    anchor: tuple[float, float]  # a point deep inside the largest part, for a value label
    radius: float  # distance from the anchor to the nearest edge, projected units


@dataclass(frozen=True)
class Boundaries:
    """Every governorate of a boundaries file, and their bounding box in projected units."""

    regions: dict[str, Region]
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1


def _path(polygons: list, k: float) -> MplPath:
    """Return a feature's polygons as one path, its closed rings projected."""
    vertices, codes = [], []
    for rings in polygons:
        for ring in rings:
            xy = np.asarray(ring, dtype=float)[:, :2] * (k, 1.0)
            vertices.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


@functools.cache
def _load(geojson_path: Path) -> Boundaries:
    """Parse and project a boundaries file once (x scaled by the cosine of its mid-latitude)."""
    parts = {}
    for feature in json.loads(geojson_path.read_text(encoding="utf-8"))["features"]:
        geometry, properties = feature["geometry"], feature["properties"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        parts[properties["code"]] = (polygons, properties["label"], properties["label_radius"])
    lats = [pt[1] for polygons, _, _ in parts.values() for rings in polygons for ring in rings for pt in ring]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    regions = {
        code: Region(code, _path(polygons, k), (label[0] * k, label[1]), radius)
        for code, (polygons, label, radius) in parts.items()
    }
    every = np.concatenate([region.path.vertices for region in regions.values()])
    (x0, y0), (x1, y1) = every.min(0), every.max(0)
    return Boundaries(regions, (float(x0), float(y0), float(x1), float(y1)))


def boundaries(geojson_path: Path, codes: Sequence[str]) -> Boundaries:
    """Return the file's governorates, checking that every code asked for is among them."""
    loaded = _load(Path(geojson_path).resolve())
    unknown = sorted(set(codes) - set(loaded.regions))
    if unknown:
        raise ValueError(f"unknown governorate code(s): {', '.join(unknown)}")
    return loaded
