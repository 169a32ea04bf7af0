"""Build data/countries.geojson from Natural Earth country outlines (public domain).

The outlines come from the npm package `world-atlas` (Natural Earth 1:50m, as TopoJSON):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_countries.py package/countries-50m.json

Rings that cross the antimeridian (Russia, Fiji) are cut there, so no edge runs across the whole
map. `python scripts/build_countries.py --repair` applies that cut to the file already built.

Each feature gets `iso_a2` (from the ISO numeric id, via pycountry), `name`, and a label point
(`label_lat`, `label_lon`) inside the country's largest polygon, used as the country centroid
for stations known only by country. Needs shapely (in requirements-dev.txt).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pycountry
from shapely.affinity import translate
from shapely.geometry import Polygon, box, mapping, shape
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parent.parent / "data" / "countries.geojson"
TOLERANCE = 0.02  # degrees, about 2 km: plenty for a base map and for "inside the country"
DIGITS = 3


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Turn quantised, delta-encoded TopoJSON arcs into lists of lon/lat points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def geometry(obj: dict, arcs: list) -> dict | None:
    if obj["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in obj["arcs"]]}
    if obj["type"] == "MultiPolygon":
        polys = [[ring(r, arcs) for r in poly] for poly in obj["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polys}
    return None


def rounded(coords):
    if isinstance(coords[0], float | int):
        return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
    return [rounded(c) for c in coords]


WORLD = box(-180, -90, 180, 90)


def _unwrapped(points: list) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous (a jump of more than 180 degrees is a crossing)."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(points):
        if i:
            step = lon + shift - out[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def crosses_antimeridian(points: list) -> bool:
    return any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points))


def split_at_antimeridian(geom: dict) -> dict:
    """The geometry with each polygon whose rings cross the antimeridian cut into its parts on
    either side (Leaflet would otherwise draw an edge across the whole map)."""
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    if not any(crosses_antimeridian(r) for rings in polys for r in rings):
        return geom
    parts = []
    for rings in polys:
        if not any(crosses_antimeridian(r) for r in rings):
            parts.append(Polygon(rings[0], rings[1:]))
            continue
        whole = Polygon(_unwrapped(rings[0]), [_unwrapped(r) for r in rings[1:]]).buffer(0)
        for offset in (-360, 0, 360):
            piece = translate(whole, xoff=offset).intersection(WORLD)
            if not piece.is_empty and piece.area > 0:
                parts.append(piece)
    merged = unary_union(parts)
    return {"type": mapping(merged)["type"], "coordinates": rounded(mapping(merged)["coordinates"])}


def repair(path: Path = OUT) -> None:
    """Cut the rings of an already built file at the antimeridian."""
    collection = json.loads(path.read_text())
    for feature in collection["features"]:
        feature["geometry"] = split_at_antimeridian(feature["geometry"])
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    print(f"repaired {path} ({path.stat().st_size:,} bytes)")


def main(topojson_path: str) -> None:
    topology = json.loads(Path(topojson_path).read_text())
    arcs = decode_arcs(topology)
    shapes: dict[str, list] = {}
    names: dict[str, tuple[float, str]] = {}
    for obj in topology["objects"]["countries"]["geometries"]:
        geo = geometry(obj, arcs)
        code = obj.get("id")
        country = pycountry.countries.get(numeric=code) if code else None
        if geo is None or country is None:
            continue
        # Some ISO codes carry several features (e.g. Australia and Ashmore and Cartier
        # Islands): merge them, and name the country after its largest part.
        shp = shape(geo).buffer(0)
        shapes.setdefault(country.alpha_2, []).append(shp)
        if shp.area > names.get(country.alpha_2, (0.0, ""))[0]:
            names[country.alpha_2] = (shp.area, obj["properties"]["name"])
    features = []
    for code, parts in shapes.items():
        shp = unary_union(parts)
        largest = max(getattr(shp, "geoms", [shp]), key=lambda g: g.area)
        label = largest.representative_point()
        simple = shp.simplify(TOLERANCE, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_a2": code,
                    "name": names[code][1],
                    "label_lat": round(label.y, DIGITS),
                    "label_lon": round(label.x, DIGITS),
                },
                "geometry": split_at_antimeridian(
                    {
                        "type": mapping(simple)["type"],
                        "coordinates": rounded(mapping(simple)["coordinates"]),
                    }
                ),
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a2"])
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via npm world-atlas "
        "2.0.2; simplified by scripts/build_countries.py",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(features)} countries)")


if __name__ == "__main__":
    repair() if sys.argv[1:] == ["--repair"] else main(sys.argv[1])
