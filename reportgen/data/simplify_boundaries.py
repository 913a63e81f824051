"""Write the simplified governorate boundaries the maps draw, with a label point for each (needs shapely).

Run after changing egypt_governorates.geojson (the source, full detail):

    python reportgen/data/simplify_boundaries.py

It writes one file per map size, so that reportgen itself needs no geometry library and every machine
draws the same maps whatever GEOS it has. Simplification is of the whole coverage at once, so that
neighbours keep one shared border (no slivers or overlaps), in the maps' projection (longitude scaled
by the cosine of the mid-latitude); tolerances keep a tenth of a millimetre on paper at each size.
The output is derived from OpenStreetMap data and stays under the ODbL, like its source.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "egypt_governorates.geojson"
LICENSE = "ODbL-1.0: derived from OpenStreetMap data via geoBoundaries by simplify_boundaries.py"
# File → coverage tolerance in degrees of latitude (about 111 km). "map": the 16 cm choropleth;
# "locator": maps about 5 cm wide (handout and dossier). Each keeps about half the source's points.
LEVELS = {"map": 0.01, "locator": 0.032}
DIGITS = 3  # the source's precision (about 100 m); simplification only drops points, it moves none


def _projection(features: list[dict]) -> float:
    """Return the x scale of the maps' projection: the cosine of the data's mid-latitude."""
    lats = [y for f in features for _, y in shapely.get_coordinates(shape(f["geometry"]))]
    return math.cos(math.radians((min(lats) + max(lats)) / 2))


def _label(geometry, tolerance: float) -> tuple[list[float], float]:
    """Return the pole of inaccessibility of the largest part and its distance to the nearest edge."""
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    point = polylabel(largest, tolerance)
    return [point.x, point.y], largest.boundary.distance(point)


def simplified(source: dict, tolerance: float) -> dict:
    """Return the source FeatureCollection simplified, RFC 7946 ring order, a label point per feature."""
    features = source["features"]
    k = _projection(features)
    projected = [affinity.scale(shape(f["geometry"]), k, 1.0, origin=(0, 0)) for f in features]
    out = []
    for feature, geometry in zip(features, shapely.coverage_simplify(projected, tolerance), strict=True):
        (x, y), radius = _label(geometry, tolerance / 10)
        lonlat = shapely.set_precision(affinity.scale(geometry, 1 / k, 1.0, origin=(0, 0)), 10**-DIGITS)
        properties = feature["properties"] | {
            "label": [round(x / k, 4), round(y, 4)],
            "label_radius": round(radius, 4),  # degrees of latitude, in the projection
        }
        out.append({"type": "Feature", "properties": properties, "geometry": mapping(shapely.orient_polygons(lonlat))})
    return {"type": "FeatureCollection", "license": LICENSE, "features": out}


def dumps(collection: dict) -> str:
    """Return a FeatureCollection as the compact JSON text the files hold."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    """Write egypt_governorates.<level>.geojson for each level."""
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    for level, tolerance in LEVELS.items():
        target = HERE / f"egypt_governorates.{level}.geojson"
        collection = simplified(source, tolerance)
        target.write_text(dumps(collection), encoding="utf-8")
        points = sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in collection["features"])
        print(f"{target.name}: {points} points", file=sys.stderr)


if __name__ == "__main__":
    main()
