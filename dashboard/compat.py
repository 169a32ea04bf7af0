"""Every undocumented surface of Streamlit, streamlit-folium and Leaflet that the page relies on,
named in one place. Each entry has a canary in tests/test_compat.py that fails by the entry's
name when an upgrade changes it (the versions are pinned in requirements.txt for that reason).

The app uses no private Python API of Streamlit: its reruns rest on `st.rerun`'s documented
rules (dashboard/session.py), and no module imports Streamlit's runtime or another private
namespace (a canary checks that too).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Streamlit's test ids, the only handles its page gives for a few layout rules (PAGE_CSS).
MAIN_BLOCK = "stMainBlockContainer"  # the main column: its padding and width
COMPONENT_FRAME = "stCustomComponentV1"  # a component's iframe (the map's frame): its height
CAPTION = "stCaptionContainer"  # captions: Streamlit fades them under 4.5:1 contrast
HEADER = "stHeader"  # Streamlit's header: the embed hides it
ELEMENT = "stElementContainer"  # an element's box: the skip link's is out of the page's flow
LAYOUT_WRAPPER = "stLayoutWrapper"  # a container's wrapper: the map's stays in view (sticky)
# Streamlit's CSS class for a keyed container (`st.container(key=...)`).
KEYED_CLASS = "st-key-"

# Streamlit's build, read at deployment (dashboard/assets.py, dashboard/icon_font.py).
COMPONENT_CHUNK = "ComponentInstance"  # the chunk that mounts a component's frame
_IMPORT = re.compile(r"""(?:from|import)\s*["']\./([\w.-]+\.js)["']""")

# streamlit-folium: where its frame is served, and what its frame's script offers ours.
FRAME_PREFIX = "/component/streamlit_folium.st_folium"


def streamlit_static() -> Path:
    """The folder of Streamlit's own page files (its `index.html`, scripts, fonts)."""
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def streamlit_chunks(stem: str) -> list[str]:
    """`/static/js/` URLs of Streamlit's chunk named `stem` and the chunks it imports; none when
    this Streamlit has no such chunk (the page then loads it as usual)."""
    static = streamlit_static()
    found = sorted((static / "static" / "js").glob(f"{stem}.*.js"))
    if len(found) != 1:
        return []
    # The page's own HTML already fetches its entry script and the chunks that one imports.
    loaded = set(re.findall(r"\./static/js/([\w.-]+\.js)", (static / "index.html").read_text()))
    names = [found[0].name, *_IMPORT.findall(found[0].read_text(encoding="utf-8"))]
    return [f"/static/js/{name}" for name in dict.fromkeys(names) if name not in loaded]


def frame_root() -> Path:
    """The folder that streamlit-folium serves its frame from."""
    import streamlit_folium

    return Path(streamlit_folium.__file__).parent / "frontend" / "build"


def frame_scripts() -> list[Path]:
    """streamlit-folium's frame script(s)."""
    return sorted((frame_root() / "static" / "js").glob("main.*.js"))


# Leaflet's own members that map.js reaches (its keyboard focus, zoom buttons, open popup, tiles).
LEAFLET_MEMBERS: tuple[str, ...] = ("_onMouseDown", "_focused", "_map", "_container")
LEAFLET_MEMBERS += ("_zoomInButton", "_zoomOutButton", "_popup", "_url")


@dataclass(frozen=True)
class Surface:
    """One undocumented thing we rely on: whose it is, where we use it, and its canary: text
    that must be found in the named files of the installed package."""

    name: str
    owner: str  # "streamlit", "streamlit-folium" or "leaflet"
    used_in: str
    files: Callable[[], list[Path]]
    needles: tuple[str, ...]


def _streamlit_js() -> list[Path]:
    return sorted((streamlit_static() / "static" / "js").glob("*.js"))


def _streamlit_index() -> list[Path]:
    return [streamlit_static() / "index.html"]


def _streamlit_fonts() -> list[Path]:
    return sorted((streamlit_static() / "static" / "media").glob("MaterialSymbols*.woff2"))


def _leaflet() -> list[Path]:
    import xstatic.pkg.leaflet as leaflet

    return [Path(leaflet.BASE_DIR) / "leaflet.js"]  # the file the map loads (assets)


def _markercluster() -> list[Path]:
    import xstatic.pkg.leaflet_markercluster as markercluster

    return [Path(markercluster.BASE_DIR) / "leaflet.markercluster.js"]


SURFACES: tuple[Surface, ...] = (
    Surface("test id: main column", "streamlit", "app.PAGE_CSS", _streamlit_js, (MAIN_BLOCK,)),
    Surface(
        "test id: component frame", "streamlit", "app.PAGE_CSS", _streamlit_js, (COMPONENT_FRAME,)
    ),
    Surface("test id: caption", "streamlit", "app.PAGE_CSS", _streamlit_js, (CAPTION,)),
    Surface("test id: header", "streamlit", "app.EMBED_CSS", _streamlit_js, (HEADER,)),
    Surface("test id: element", "streamlit", "app.PAGE_CSS", _streamlit_js, (ELEMENT,)),
    Surface(
        "date field applies a typed date on Escape (page.js sends it on Enter)",
        "streamlit",
        "web/page.js",
        lambda: sorted((streamlit_static() / "static" / "js").glob("DateInput.*.js")),
        ("key===`Escape`", "spinbutton"),
    ),
    Surface(
        "test id: layout wrapper", "streamlit", "app.PAGE_CSS", _streamlit_js, (LAYOUT_WRAPPER,)
    ),
    Surface("keyed container class", "streamlit", "app.PAGE_CSS", _streamlit_js, (KEYED_CLASS,)),
    Surface("page's script tags", "streamlit", "assets", _streamlit_index, ("./static/js/",)),
    Surface(
        "component chunk",
        "streamlit",
        "assets.preload_links",
        lambda: sorted((streamlit_static() / "static" / "js").glob(f"{COMPONENT_CHUNK}.*.js")),
        ("import",),
    ),
    Surface("icon font", "streamlit", "icon_font", _streamlit_fonts, ("",)),
    Surface("frame build", "streamlit-folium", "assets, deploy/run.sh", frame_scripts, ("",)),
    Surface(
        "frame globals",
        "streamlit-folium",
        "web/map.js",
        frame_scripts,
        ("__GLOBAL_DATA__", "selected_layers", "map_div"),
    ),
    Surface(
        "layer script eval'd with centre and zoom",
        "streamlit-folium",
        "maps.StationLayer",
        frame_scripts,
        ("feature_group", "eval(", "center", "zoom"),
    ),
    Surface(
        "Leaflet private members",
        "leaflet",
        "web/map.js",
        _leaflet,
        LEAFLET_MEMBERS,
    ),
    Surface(
        "MarkerCluster private members",
        "leaflet",
        "web/map.js",
        _markercluster,
        ("_childClusters", "_childCount", "_maxZoom", "_zoom"),
    ),
)
