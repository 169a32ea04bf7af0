"""`python -m dashboard.publish OUT_DIR`: the published (static) edition of the data in use.

    python -m dashboard.publish site/ [--stations FILE --responses FILE]
        [--base-url https://example.org/stations/] [--explorer-url https://example.org/app/]

Writes plain HTML pages (an index, one page per station and per country, about, changelog,
data), the data files at stable addresses (`data/latest/`, `data/<version>/`), an embed page
per view kind, `sitemap.xml`, `robots.txt` and the static files the maps need (content-hashed
names). Each part is one writer of `WRITERS`: `write(out_dir, bundle) -> written paths`. The
pages come from `dashboard.site` (pure); this module reads the data and writes files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import pandas as pd

from dashboard import assets, export, feeds, parallel, preview, schema, site
from dashboard.data import RESPONSES_PATH, STATIONS_PATH, DataError, load_responses, load_stations
from dashboard.versions import releases, version_beside

WEB_DIR = Path(__file__).resolve().parent / "web"
# A previous edition in OUT_DIR: files of it that this run does not write again are removed.
MARKER = ".dashboard-publish"
# Outlines of a country's page: every country within this many degrees of its stations.
NEIGHBOURHOOD_DEGREES = 4.0


@dataclass(frozen=True)
class Bundle:
    """Everything a writer needs: the data in use, its version, and where the site will live."""

    stations: pd.DataFrame
    responses: pd.DataFrame
    version: str | None
    base_url: str | None  # absolute, ending in "/"; None: every link relative
    explorer_url: str
    generated: dt.datetime
    stations_path: Path
    responses_path: Path

    @property
    def changelog(self) -> str:
        """The changelog beside the stations file (its versions' feed), or "" without one."""
        try:
            return (self.stations_path.parent / "CHANGELOG.md").read_text(encoding="utf-8")
        except OSError:
            return ""


Write = Callable[[Path, Bundle], list[Path]]
Writer = tuple[str, Write]


def reviewed(bundle_paths: tuple[Path, Path], version: str | None, data: pd.DataFrame) -> str:
    """The day the data was last reviewed: its version's changelog date, else the latest
    `last_checked` of its rows."""
    changelog = bundle_paths[0].parent / "CHANGELOG.md"
    if version and changelog.exists():
        for release in releases(changelog.read_text(encoding="utf-8")):
            if release.version == version:
                return release.date
    return str(data["last_checked"].astype(str).max())


def load_bundle(
    stations_path: Path = STATIONS_PATH,
    responses_path: Path = RESPONSES_PATH,
    base_url: str | None = None,
    explorer_url: str = "/",
    generated: dt.datetime | None = None,
) -> Bundle:
    """The data as the app loads it (validated: a `DataError` names every problem), with the
    version stated beside it when both files come from one folder."""
    stations = load_stations(stations_path)
    responses = load_responses(responses_path, stations=stations)
    same = Path(stations_path).resolve().parent == Path(responses_path).resolve().parent
    version = version_beside(Path(stations_path)) if same else None
    return Bundle(
        stations,
        responses,
        version,
        base_url,
        explorer_url,
        generated or dt.datetime.now(dt.UTC).replace(microsecond=0),
        Path(stations_path),
        Path(responses_path),
    )


def hashed(name: str, content: bytes) -> str:
    """`site.css` -> `site.3f2a1c9b.css`: a new name whenever the content changes."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:8]}{dot}{ext}"


def _joined(paths: Iterable[Path], separator: str) -> bytes:
    return separator.join(p.read_text(encoding="utf-8") for p in paths).encode()


@cache
def _countries() -> list[tuple[dict, tuple[float, float, float, float]]]:
    """Each country outline with its bounding box (west, south, east, north)."""
    geojson = json.loads(assets.OUTLINES_SOURCE.read_text(encoding="utf-8"))
    out = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        polygons = [polygons] if geometry["type"] == "Polygon" else polygons
        xs = [p[0] for polygon in polygons for ring in polygon for p in ring]
        ys = [p[1] for polygon in polygons for ring in polygon for p in ring]
        out.append((feature, (min(xs), min(ys), max(xs), max(ys))))
    return out


def outlines_near(box: tuple[float, float, float, float]) -> bytes:
    """The compact outlines (as map.js reads them) of the countries whose outline's box meets
    `box` (west, south, east, north) widened by NEIGHBOURHOOD_DEGREES."""
    pad = NEIGHBOURHOOD_DEGREES
    west, south, east, north = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    near = [
        feature
        for feature, (w, s, e, n) in _countries()
        if not (e < west or w > east or n < south or s > north)
    ]
    return json.dumps(assets.compact_outlines({"features": near}), separators=(",", ":")).encode()


# The index's world map: outlines to a fiftieth of a degree (about 2 km, under a pixel until
# zoom 6); a country's page has them at full precision around its stations.
WORLD_STEP = 0.02


def coarse(ring: list[list[float]], step: float = WORLD_STEP) -> list[list[float]]:
    """A ring's points snapped to `step` degrees, repeats dropped."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(round(x / step) * step, 3), round(round(y / step) * step, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def world_outlines() -> bytes:
    """Every country's outline, coarsened for a map of the world (rings that vanish go)."""
    features = []
    for feature, _ in _countries():
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        polygons = [polygons] if geometry["type"] == "Polygon" else polygons
        kept = [[coarse(r) for r in p] for p in polygons]
        kept = [[r for r in p if len(r) >= 4] for p in kept]
        kept = [p for p in kept if p]
        if kept:
            features.append({**feature, "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    return json.dumps(
        assets.compact_outlines({"features": features}), separators=(",", ":")
    ).encode()


def country_boxes(stations: pd.DataFrame) -> dict[str, tuple[float, float, float, float]]:
    """Each country code's stations' box (west, south, east, north)."""
    out = {}
    for code, group in stations.groupby("country_code"):
        lon, lat = group["longitude"].astype(float), group["latitude"].astype(float)
        out[str(code)] = (lon.min(), lat.min(), lon.max(), lat.max())
    return out


def static_files(stations: pd.DataFrame) -> dict[str, bytes]:
    """Every static file by its address under the site root (CSS and JS bundles, outlines)."""
    vendor = assets.vendor_files()
    css = _joined(
        [
            vendor["leaflet/leaflet.css"],
            vendor["markercluster/MarkerCluster.css"],
            vendor["markercluster/MarkerCluster.Default.css"],
            WEB_DIR / "map.css",
            WEB_DIR / "site.css",
        ],
        "\n",
    )
    js = _joined(
        [
            vendor["leaflet/leaflet.js"],
            vendor["markercluster/leaflet.markercluster.js"],
            WEB_DIR / "map.js",
            WEB_DIR / "site.js",
        ],
        "\n;\n",
    )
    files = {"static/" + hashed("site.css", css): css, "static/" + hashed("site.js", js): js}
    # leaflet.css names its images relative to itself: beside the bundle, in images/.
    for name, path in vendor.items():
        if name.startswith("leaflet/images/"):
            files["static/images/" + path.name] = path.read_bytes()
    files.update(outline_files(tuple(sorted(country_boxes(stations).items()))))
    return files


@cache
def outline_files(
    boxes: tuple[tuple[str, tuple[float, float, float, float]], ...],
) -> dict[str, bytes]:
    """The world's outlines, and each country's neighbourhood, by address."""
    outlines = {"world": world_outlines()}
    outlines.update({code.lower(): outlines_near(box) for code, box in boxes})
    return {"static/outlines/" + hashed(f"{key}.json", b): b for key, b in outlines.items()}


def site_of(bundle: Bundle, files: dict[str, bytes]) -> site.Site:
    """What every page needs to know about the site: version, addresses, static files."""
    names = list(files)
    outlines = {
        n.split("/")[-1].split(".")[0]: n for n in names if n.startswith("static/outlines/")
    }
    found = site.Assets(
        css=next(n for n in names if n.startswith("static/site.") and n.endswith(".css")),
        js=next(n for n in names if n.startswith("static/site.") and n.endswith(".js")),
        outlines=outlines,
    )
    data = (bundle.stations_path, bundle.responses_path)
    return site.Site(
        bundle.version,
        reviewed(data, bundle.version, bundle.stations),
        bundle.generated,
        found,
        bundle.base_url,
        bundle.explorer_url,
    )


def write_file(out_dir: Path, name: str, content: str | bytes) -> Path:
    """`content` at `name` (an address under the site root) in `out_dir`."""
    target = out_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    target.write_bytes(content)
    return target


def write_static(out_dir: Path, bundle: Bundle) -> list[Path]:
    return [write_file(out_dir, n, b) for n, b in static_files(bundle.stations).items()]


def records(stations: pd.DataFrame) -> list[schema.StationRecord]:
    return [schema.record_of(row.items()) for _, row in stations.iterrows()]


def country_codes(stations: pd.DataFrame) -> list[str]:
    return sorted(stations["country_code"].astype(str).unique())


def pages(bundle: Bundle) -> dict[str, Callable[[site.Site], str]]:
    """Every page of the site but the stations' and the embeds, by its folder."""
    stations, responses = bundle.stations, bundle.responses
    changelog = bundle.stations_path.parent / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else NO_CHANGELOG
    out: dict[str, Callable[[site.Site], str]] = {
        "": lambda s: site.index_page(stations, responses, s),
        "about/": lambda s: site.about_page(stations, s),
        "data/": lambda s: site.data_page(stations, s),
        "changelog/": lambda s: site.changelog_page(text, s),
    }
    for code in country_codes(stations):
        out[site.country_path(code)] = partial(site.country_page, code, stations, responses)
    return out


def page_paths(bundle: Bundle) -> list[str]:
    """Every page's folder (for the sitemap): the site's own and one per station."""
    return [*pages(bundle), *(site.station_path(r["station_id"]) for r in records(bundle.stations))]


NO_CHANGELOG = "# Changelog of the data\n\nNo changelog came with these files.\n"


def by_country(responses: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The responses of each country: a station's page reads only its country's (a few rows,
    instead of every response for each of thousands of pages)."""
    return {str(code): rows for code, rows in responses.groupby("country_code", sort=False)}


def _each_station(
    bundle: Bundle, ids: Sequence[tuple[Path, str]]
) -> Iterator[tuple[Path, schema.StationRecord, pd.DataFrame, site.Site]]:
    """For a chunk of stations (`parallel.map_chunks`): each one's output folder, record, its
    country's responses, and the site's settings (made once per chunk)."""
    about = site_of(bundle, static_files(bundle.stations))
    responses = by_country(bundle.responses)
    empty = bundle.responses.iloc[0:0]
    rows = bundle.stations.set_index("station_id", drop=False)
    for out_dir, station_id in ids:
        record = schema.record_of(rows.loc[station_id].items())
        yield out_dir, record, responses.get(str(record["country_code"]), empty), about


def _station_pages(bundle: Bundle, ids: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write the pages of these stations (a chunk: `parallel.map_chunks`)."""
    return [
        write_file(
            out_dir,
            f"{site.station_path(str(record['station_id']))}index.html",
            site.station_page(record, own, about),
        )
        for out_dir, record, own, about in _each_station(bundle, ids)
    ]


def write_pages(out_dir: Path, bundle: Bundle) -> list[Path]:
    about = site_of(bundle, static_files(bundle.stations))
    written = [
        write_file(out_dir, f"{path}index.html", make(about))
        for path, make in pages(bundle).items()
    ]
    ids = [(out_dir, str(r["station_id"])) for r in records(bundle.stations)]
    return written + parallel.map_chunks(_station_pages, bundle, ids)


def _station_embeds(bundle: Bundle, ids: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write the embed pages of these stations (a chunk: `parallel.map_chunks`)."""
    written = []
    for out_dir, record, own, about in _each_station(bundle, ids):
        embed = site.embed_station(record, own)
        page = site.embed_page(embed, about)
        written.append(write_file(out_dir, f"embed/{embed.target}index.html", page))
    return written


def write_embeds(out_dir: Path, bundle: Bundle) -> list[Path]:
    """An embed page for the whole map, each country and each station."""
    about = site_of(bundle, static_files(bundle.stations))
    stations, responses = bundle.stations, bundle.responses
    embeds = [site.embed_all(stations, responses)]
    embeds += [site.embed_country(code, stations, responses) for code in country_codes(stations)]
    written = [
        write_file(out_dir, f"embed/{e.target}index.html", site.embed_page(e, about))
        for e in embeds
    ]
    ids = [(out_dir, str(r["station_id"])) for r in records(stations)]
    return written + parallel.map_chunks(_station_embeds, bundle, ids)


def write_data(out_dir: Path, bundle: Bundle) -> list[Path]:
    """The data files at `data/latest/` and `data/<version>/`: the CSVs as validated, byte for
    byte; the stations as GeoJSON; the Data Package descriptor."""
    package = schema.datapackage(bundle.version or "")
    if not bundle.version:
        package.pop("version")
    files = {
        "stations.csv": bundle.stations_path.read_bytes(),
        "responses.csv": bundle.responses_path.read_bytes(),
        "stations.geojson": export.to_geojson_bytes(bundle.stations),
        "datapackage.json": (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode(),
    }
    folders = ["latest"] + ([bundle.version] if bundle.version else [])
    return [
        write_file(out_dir, f"data/{folder}/{name}", content)
        for folder in folders
        for name, content in files.items()
    ]


def write_sitemap(out_dir: Path, bundle: Bundle) -> list[Path]:
    about = site_of(bundle, static_files(bundle.stations))
    return [
        write_file(out_dir, "sitemap.xml", site.sitemap_xml(page_paths(bundle), about)),
        write_file(out_dir, "robots.txt", site.robots_txt(about)),
    ]


# The site's parts in the order they are written: the preview images (img/, dashboard/preview.py)
# and the Atom feeds (feeds/, dashboard/feeds.py) are writers of their own modules.
WRITERS: tuple[Writer, ...] = (
    ("static", write_static),
    ("data", write_data),
    ("pages", write_pages),
    ("embeds", write_embeds),
    ("images", preview.write_all),
    ("feeds", feeds.write_all),
    ("sitemap", write_sitemap),
)


def publish(out_dir: Path, bundle: Bundle, writers: Iterable[Writer] = WRITERS) -> list[Path]:
    """Run every writer into `out_dir`. A folder written before by this command loses the
    files this run did not write again (stations gone, old hashed names); any other folder
    must be empty."""
    out_dir = Path(out_dir)
    marker = out_dir / MARKER
    if out_dir.exists() and any(out_dir.iterdir()) and not marker.exists():
        raise FileExistsError(f"{out_dir}: not empty and not written by dashboard.publish")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for _name, write in writers:
        written += write(out_dir, bundle)
    marker.write_text(f"{bundle.generated.isoformat()}\n", encoding="utf-8")
    keep = {p.resolve() for p in [*written, marker]}
    for old in sorted(out_dir.rglob("*"), reverse=True):
        if old.is_file() and old.resolve() not in keep:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    return written


def absolute_url(value: str) -> str:
    """An http(s) base URL, ending in "/" (argparse type)."""
    if not value.startswith(("https://", "http://")) or any(c in value for c in " \"'<>"):
        raise argparse.ArgumentTypeError(f"{value!r} is not an absolute http(s) URL")
    return value if value.endswith("/") else value + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.publish",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the site into")
    parser.add_argument("--stations", type=Path, default=STATIONS_PATH, help="stations CSV")
    parser.add_argument("--responses", type=Path, default=RESPONSES_PATH, help="responses CSV")
    parser.add_argument(
        "--base-url",
        type=absolute_url,
        default=None,
        help="where the site will live: canonical, preview, sitemap and feed links absolute",
    )
    parser.add_argument("--explorer-url", default="/", help="the explorer's address (default /)")
    args = parser.parse_args(argv)
    try:
        bundle = load_bundle(args.stations, args.responses, args.base_url, args.explorer_url)
        written = publish(args.out_dir, bundle)
    except DataError as exc:
        print(f"not published: {exc}", file=sys.stderr)
        return 1
    except FileExistsError as exc:
        print(f"not published: {exc}", file=sys.stderr)
        return 2
    version = bundle.version or "not stated"
    print(f"{len(written)} files written to {args.out_dir} (data version {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
