"""Serve the map's JavaScript and CSS ourselves, never from a CDN.

Leaflet and Leaflet.markercluster come from the XStatic-Leaflet and XStatic-Leaflet-MarkerCluster
packages (installed from the registry, not committed). They are copied into `dashboard/static/`,
which Streamlit serves at `/app/static/` when `server.enableStaticServing` is on (see
`.streamlit/config.toml`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from functools import cache
from pathlib import Path

from dashboard.compat import (
    COMPONENT_CHUNK,
    FRAME_PREFIX,
    frame_root,
    frame_scripts,
    streamlit_chunks,
)
from dashboard.data import DATA_DIR

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"
VENDOR = "vendor"


def vendor_files() -> dict[str, Path]:
    """Leaflet's and Leaflet.markercluster's files, by their name under `vendor/`."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    leaflet_dir = Path(leaflet.BASE_DIR)
    cluster_dir = Path(markercluster.BASE_DIR)
    files = {
        "leaflet/leaflet.js": leaflet_dir / "leaflet.js",
        "leaflet/leaflet.css": leaflet_dir / "leaflet.css",
        "markercluster/leaflet.markercluster.js": cluster_dir / "leaflet.markercluster.js",
        "markercluster/MarkerCluster.css": cluster_dir / "MarkerCluster.css",
        "markercluster/MarkerCluster.Default.css": cluster_dir / "MarkerCluster.Default.css",
    }
    for image in sorted((leaflet_dir / "images").glob("*.png")):
        files[f"leaflet/images/{image.name}"] = image
    return files


WEB_DIR = Path(__file__).resolve().parent / "web"


def _own_files() -> dict[str, Path]:
    files = {}
    for source in sorted(WEB_DIR.glob("*.*")):
        files[f"web/{source.name}"] = source
    return files


# The map frame loads its scripts one after another: one file instead of three saves a reader
# on a slow connection two round trips. Same for the styles (which then load in one request).
BUNDLE_JS = "web/map-bundle.js"
BUNDLE_CSS = "web/map-bundle.css"
_BUNDLED_JS = (f"{VENDOR}/leaflet/leaflet.js", f"{VENDOR}/markercluster/leaflet.markercluster.js",
               "web/map.js")  # fmt: skip
_BUNDLED_CSS = (
    f"{VENDOR}/leaflet/leaflet.css",
    f"{VENDOR}/markercluster/MarkerCluster.css",
    f"{VENDOR}/markercluster/MarkerCluster.Default.css",
    "web/map.css",
)


def _bundle(files: dict[str, Path], names: tuple[str, ...], css: bool) -> bytes:
    parts = []
    for name in names:
        text = files[name].read_text(encoding="utf-8")
        if css:
            # Relative image URLs, from the bundle's folder to the file's own.
            folder = name.rsplit("/", 1)[0]
            text = re.sub(r"url\((['\"]?)(?!data:|/|#|https?:)", rf"url(\1../{folder}/", text)
            text = text.replace("../web/", "")
        parts.append(f"/* {name} */\n{text}\n")
    return ("\n;\n" if not css else "\n").join(parts).encode()


def write_atomically(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a second app starting at the same time never serves half a file.
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    write(partial)
    os.replace(partial, target)


# The country outlines as the map receives them: each ring's points as whole thousandths of a
# degree (the precision of data/countries.geojson), each point as the step from the one
# before. Half the bytes of the GeoJSON, compressed or not; map.js turns it back (stOutlines).
OUTLINES = "countries.json"
OUTLINES_SOURCE = DATA_DIR / "countries.geojson"
OUTLINES_SCALE = 1000


def compact_outlines(geojson: dict) -> dict:
    """`{"scale", "features": [[properties, [[ring as dx, dy, dx, dy...], ...] per polygon]]}`."""

    def ring(points: list[list[float]]) -> list[int]:
        steps, x0, y0 = [], 0, 0
        for x, y in points:
            x1, y1 = round(x * OUTLINES_SCALE), round(y * OUTLINES_SCALE)
            steps += [x1 - x0, y1 - y0]
            x0, y0 = x1, y1
        return steps

    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        features.append([feature["properties"], [[ring(r) for r in p] for p in polygons]])
    return {"scale": OUTLINES_SCALE, "features": features}


@cache
def outline_codes() -> tuple[str, ...]:
    """The country codes (iso_a2) of the outlines, in their order."""
    geojson = json.loads(OUTLINES_SOURCE.read_text(encoding="utf-8"))
    return tuple(str(f["properties"]["iso_a2"]) for f in geojson["features"])


def outlines_bytes() -> bytes:
    """The compact outlines of every country, as the map fetches them."""
    geojson = json.loads(OUTLINES_SOURCE.read_text(encoding="utf-8"))
    return json.dumps(compact_outlines(geojson), separators=(",", ":")).encode()


def ensure_static_assets(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy the vendor and data files the page needs into the static folder, with the map's
    bundles made from them; return them."""
    wanted = {f"{VENDOR}/{name}": path for name, path in vendor_files().items()}
    wanted.update(_own_files())
    written = []
    for name, source in wanted.items():
        target = static_dir / name
        if (
            not target.exists()
            or target.stat().st_size != source.stat().st_size
            or target.stat().st_mtime < source.stat().st_mtime
        ):
            write_atomically(
                target, lambda partial, source=source: shutil.copyfile(source, partial)
            )
        written.append(target)
    made = {
        BUNDLE_JS: lambda: _bundle(wanted, _BUNDLED_JS, css=False),
        BUNDLE_CSS: lambda: _bundle(wanted, _BUNDLED_CSS, css=True),
        OUTLINES: outlines_bytes,
    }
    for name, make in made.items():
        target = static_dir / name
        content = make()
        if not target.exists() or target.read_bytes() != content:
            write_atomically(target, lambda partial, content=content: partial.write_bytes(content))
        written.append(target)
    return written


def url(name: str) -> str:
    """The URL of a static file, as the map's iframe (same origin) requests it."""
    return f"{STATIC_URL}/{name}"


LEAFLET_JS = [("leaflet", url(f"{VENDOR}/leaflet/leaflet.js"))]
LEAFLET_CSS = [("leaflet_css", url(f"{VENDOR}/leaflet/leaflet.css"))]
CLUSTER_JS = [("markercluster_js", url(f"{VENDOR}/markercluster/leaflet.markercluster.js"))]
CLUSTER_CSS = [
    ("markercluster_css", url(f"{VENDOR}/markercluster/MarkerCluster.css")),
    ("markercluster_default_css", url(f"{VENDOR}/markercluster/MarkerCluster.Default.css")),
]
COUNTRIES_URL = url(OUTLINES)
MAP_JS = [("st_map", url(BUNDLE_JS))]
MAP_CSS = [("st_map_css", url(BUNDLE_CSS))]


def _folium_frame_scripts() -> list[str]:
    """streamlit-folium's frame script, at the URL its frame asks for."""
    build = frame_root()
    return [f"{FRAME_PREFIX}/{path.relative_to(build).as_posix()}" for path in frame_scripts()]


def preload_links() -> str:
    """A `Link` header's value that asks the browser to fetch, with the page, what stands between
    the first elements and the map (deploy/run.sh gives it to the proxy): the chunk that mounts
    the map's frame, the frame's own script, and the map's script bundle and style. The frame,
    a few round trips later, finds them in the HTTP cache (the proxy marks them cacheable).
    Without a preload the browser asks for Streamlit's chunk that mounts a component's frame
    only once the script's first elements arrive, behind the sidebar widgets' chunks (on a
    slow HTTP/1.1 line that put the map's frame a second later)."""
    scripts = _folium_frame_scripts() + [url for _, url in MAP_JS]
    styles = [url for _, url in MAP_CSS]
    return ", ".join(
        [f"<{url}>; rel=modulepreload" for url in streamlit_chunks(COMPONENT_CHUNK)]
        + [f"<{url}>; rel=preload; as=script" for url in scripts]
        + [f"<{url}>; rel=preload; as=style" for url in styles]
    )
