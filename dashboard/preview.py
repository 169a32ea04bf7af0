"""Map images (PNG) drawn at build time from the bundled country outlines with Pillow: no tile
server, no browser, nothing fetched.

The look is the explorer's offline map (dashboard/web/map.css and map.js): pale blue sea, light
land, thin grey borders, and each station as its marker there, a disc in its status's colour with
its letter, or a dashed square where only the country is known. Web Mercator, as the explorer.

The land is drawn in tiles of 256 pixels at quarter zoom levels, kept in a small cache: images
of nearby places (every station of a city, say) share their tiles, and the outlines are drawn
once per tile, not once per image or per station. The same input gives the same bytes (no
timestamps; Pillow's built-in font with its basic layout, the same on every machine).

Text from the data is drawn as text: control and formatting characters (bidirectional overrides
included) become spaces or go, and a long text is wrapped and cut with an ellipsis. The built-in
font (Aileron) has Latin letters only: CJK, Arabic or emoji text would need another font, such
as Noto Sans CJK, and shows as empty boxes until then; the images are in English for now.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from dashboard import assets, maps, parallel
from dashboard.i18n import (
    MESSAGES,
    long_date,
    month_year,
    plural,
    response_label,
    status_label,
    t,
)
from dashboard.panels import place_words
from dashboard.rules import NO_RESPONSE, by_date, strongest_responses
from dashboard.schema import SLUG_PATTERN, StationRecord, record_of

SIZE = (1200, 630)
# The images' words are English: the built-in font has no Chinese (see the module's docstring).
LANG = "en"

SEA, LAND, BORDER = "#d7e6f2", "#f4f1ea", "#7b8794"  # map.css and map.js (stOutlines)
COUNTRY_EDGE = "#374151"  # the country an image is about
INK, SOFT_INK, RULE, FOOTER = "#111827", "#1f2937", "#9ca3af", "#f3f4f6"
PLACE = "#1d4ed8"  # a distance filter's place and circle (map.js, stPlace)
MARK_EDGE, RING = "#1f2937", "#111827"  # a marker's border; the ring around the chosen station

TITLE_PX, LINE_PX, SOURCE_PX, LEGEND_PX = 46, 28, 20, 18
PAD = 28
TITLE_ROWS, LINE_ROWS, MAX_LINES = 2, 4, 3
MARK_PX, NEIGHBOUR_PX, LEGEND_MARK_PX = 28, 20, 18
MARGIN = 48  # from the map's edge to the nearest fitted station (a marker and some room)
MAX_CHARS = 400  # of one text: more can never be shown (two rows at most)

TILE = 256
TILE_SCALE = 2  # tiles are drawn twice as large and reduced: smooth coasts and borders
ZOOM_STEPS = 4  # zoom levels are quarters, so that images of nearby views share tiles
MAX_TILES = 768  # about 150 MB of tiles at most
FIT_MAX_ZOOM = 7  # closer, the outlines (simplified to about 2 km) say nothing more
# How far around a station its image shows, by how precisely it is placed (km, each way).
STATION_KM = {"address": 400.0, "district": 400.0, "city": 600.0}
WORLD = (-180.0, -56.0, 180.0, 75.0)  # what an image of no station shows
MAX_LAT = 85.0511  # Web Mercator's edge
EARTH_M = 40_075_016.686  # the equator's length

_TILES: OrderedDict[tuple[int, int, int], Image.Image] = OrderedDict()


class BundleLike(Protocol):
    """What `write_all` needs of a published data bundle."""

    @property
    def stations(self) -> pd.DataFrame: ...
    @property
    def responses(self) -> pd.DataFrame: ...
    @property
    def version(self) -> str | None: ...


@dataclass(frozen=True)
class _Outlines:
    rings: list[np.ndarray]  # each ring's points as (x, y) in world units: 0..1, Web Mercator
    boxes: np.ndarray  # per ring: x0, y0, x1, y1
    outer: np.ndarray  # per ring: an outer ring (filled as land), else a hole (outlined only)
    countries: dict[str, list[int]]  # ISO code: its rings
    main: dict[str, tuple[float, float, float, float]]  # ISO code: its largest polygon's box


def world_xy(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (degrees) as Web Mercator world units (0..1 on both axes)."""
    phi = np.radians(np.clip(lat, -MAX_LAT, MAX_LAT))
    return (lon + 180.0) / 360.0, 0.5 - np.log(np.tan(np.pi / 4 + phi / 2)) / (2 * np.pi)


def _ring_area(ring: list[list[float]]) -> float:
    points = np.asarray(ring, dtype=float)
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)


@lru_cache(maxsize=1)
def _outlines() -> _Outlines:
    """data/countries.geojson (the explorer's base map), projected once."""
    geojson = json.loads(assets.OUTLINES_SOURCE.read_text(encoding="utf-8"))
    rings: list[np.ndarray] = []
    outer: list[bool] = []
    countries: dict[str, list[int]] = {}
    main: dict[str, tuple[float, float, float, float]] = {}
    for feature in geojson["features"]:
        iso = str(feature["properties"].get("iso_a2") or "")
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        largest = np.asarray(max(polygons, key=lambda p: _ring_area(p[0]))[0], dtype=float)
        (west, south), (east, north) = largest.min(axis=0), largest.max(axis=0)
        main[iso] = (float(west), float(south), float(east), float(north))
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                points = np.asarray(ring, dtype=float)
                countries.setdefault(iso, []).append(len(rings))
                rings.append(np.column_stack(world_xy(points[:, 0], points[:, 1])))
                outer.append(i == 0)
    boxes = np.array([[*r.min(axis=0), *r.max(axis=0)] for r in rings])
    return _Outlines(rings, boxes, np.array(outer), countries, main)


@dataclass(frozen=True)
class _Frame:
    """Where a map area lies in the world at its zoom: world pixel of its top left corner."""

    zoom_q: int  # zoom in quarter levels
    left: int
    top: int
    width: int
    height: int

    @property
    def world(self) -> float:
        """The world's width in pixels at this zoom."""
        return TILE * 2 ** (self.zoom_q / ZOOM_STEPS)

    def pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x * self.world - self.left, y * self.world - self.top


def _box_world(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = box
    if east < west:  # across the antimeridian: the tiles repeat the world eastwards
        east += 360.0
    (x0, x1), (y1, y0) = world_xy(np.array([west, east]), np.array([south, north]))
    return float(x0), float(y0), float(x1), float(y1)


def fit(
    box: tuple[float, float, float, float],
    size: tuple[int, int],
    max_zoom: float = FIT_MAX_ZOOM,
) -> _Frame:
    """The frame that shows `box` (west, south, east, north) whole and centred in a map area of
    `size`, at the closest quarter zoom up to `max_zoom`, never narrower than one world."""
    width, height = size
    x0, y0, x1, y1 = _box_world(box)
    world = min(
        (width - 2 * MARGIN) / max(x1 - x0, 1e-9),
        (height - 2 * MARGIN) / max(y1 - y0, 1e-9),
        TILE * 2**max_zoom,
    )
    zoom_q = math.floor(math.log2(max(world, 1) / TILE) * ZOOM_STEPS)
    while TILE * 2 ** (zoom_q / ZOOM_STEPS) < width:  # no world copies side by side
        zoom_q += 1
    scale = TILE * 2 ** (zoom_q / ZOOM_STEPS)
    cx, cy = (x0 + x1) / 2 * scale, (y0 + y1) / 2 * scale
    # Keep within the top and bottom of the world (Web Mercator's 85 degrees).
    cy = min(max(cy, height / 2), scale - height / 2) if scale > height else scale / 2
    return _Frame(zoom_q, round(cx - width / 2), round(cy - height / 2), width, height)


def _tile(zoom_q: int, tx: int, ty: int) -> Image.Image:
    """One tile of land and borders, from the cache or drawn (then cached, oldest out)."""
    key = (zoom_q, tx, ty)
    tile = _TILES.get(key)
    if tile is None:
        tile = _draw_tile(zoom_q, tx, ty)
        _TILES[key] = tile
        if len(_TILES) > MAX_TILES:
            _TILES.popitem(last=False)
    else:
        _TILES.move_to_end(key)
    return tile


def _draw_tile(zoom_q: int, tx: int, ty: int) -> Image.Image:
    world = TILE * 2 ** (zoom_q / ZOOM_STEPS)
    image = Image.new("RGB", (TILE * TILE_SCALE, TILE * TILE_SCALE), SEA)
    draw = ImageDraw.Draw(image)
    outlines = _outlines()
    x0, x1 = tx * TILE / world, (tx + 1) * TILE / world
    y0, y1 = ty * TILE / world, (ty + 1) * TILE / world
    boxes, shapes = outlines.boxes, []
    # A tile beyond the date line shows the world's next copy: each copy it overlaps, shifted.
    for copy in range(math.floor(x0), math.floor(x1) + 1):
        hit = (boxes[:, 0] <= x1 - copy) & (boxes[:, 2] >= x0 - copy)
        hit &= (boxes[:, 1] <= y1) & (boxes[:, 3] >= y0)
        for i in np.flatnonzero(hit):
            points = (outlines.rings[i] + (copy, 0.0)) * world - (tx * TILE, ty * TILE)
            shapes.append((bool(outlines.outer[i]), (points * TILE_SCALE).ravel().tolist()))
    for is_outer, xy in shapes:
        if is_outer:
            draw.polygon(xy, fill=LAND)
    for _, xy in shapes:
        draw.line(xy, fill=BORDER, width=TILE_SCALE)
    return image.reduce(TILE_SCALE)


def _base(frame: _Frame) -> Image.Image:
    """The map area's land and sea, put together from tiles."""
    image = Image.new("RGB", (frame.width, frame.height), SEA)
    for ty in range(frame.top // TILE, (frame.top + frame.height - 1) // TILE + 1):
        for tx in range(frame.left // TILE, (frame.left + frame.width - 1) // TILE + 1):
            image.paste(
                _tile(frame.zoom_q, tx, ty), (tx * TILE - frame.left, ty * TILE - frame.top)
            )
    return image


def _country_edge(image: Image.Image, frame: _Frame, code: str) -> None:
    """The border of the country the image is about, darker: drawn twice as large and reduced,
    over the part of the map it crosses."""
    outlines = _outlines()
    first = math.floor(frame.left / frame.world)
    last = math.floor((frame.left + frame.width) / frame.world)
    rings = []
    for i in outlines.countries.get(code, []):
        for copy in range(first, last + 1):
            x, y = frame.pixels(outlines.rings[i][:, 0] + copy, outlines.rings[i][:, 1])
            if x.max() >= 0 and x.min() < frame.width and y.max() >= 0 and y.min() < frame.height:
                rings.append(np.column_stack((x, y)))
    if not rings:
        return
    points = np.concatenate(rings)
    x0, y0 = np.clip(np.floor(points.min(axis=0)) - 2, 0, None).astype(int)
    x1 = int(min(np.ceil(points[:, 0].max()) + 2, frame.width))
    y1 = int(min(np.ceil(points[:, 1].max()) + 2, frame.height))
    mask = Image.new("L", ((x1 - x0) * TILE_SCALE, (y1 - y0) * TILE_SCALE), 0)
    draw = ImageDraw.Draw(mask)
    for ring in rings:
        xy = ((ring - (x0, y0)) * TILE_SCALE).ravel().tolist()
        draw.line(xy, fill=255, width=2 * TILE_SCALE, joint="curve")
    image.paste(COUNTRY_EDGE, (int(x0), int(y0), x1, y1), mask.reduce(TILE_SCALE))


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in scalable font (Aileron, Latin letters only) at `size` pixels."""
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=64)
def _sprite(status: str, approx: bool, px: int, dim: bool, ring: bool) -> Image.Image:
    """A station's marker, as in the explorer: drawn four times as large and reduced."""
    style = maps.STATUS_STYLES.get(status, maps.UNKNOWN_STYLE)
    k = 4
    side = (px + (24 if ring else 4)) * k
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    half, r, edge = side / 2, px * k / 2, max(2, round(px * 0.11)) * k
    box = (half - r, half - r, half + r, half + r)
    if ring:
        outer = r + 9 * k
        draw.ellipse((half - outer, half - outer, half + outer, half + outer), outline="#ffffff",
                     width=6 * k)  # fmt: skip
        draw.ellipse((half - outer, half - outer, half + outer, half + outer), outline=RING,
                     width=3 * k)  # fmt: skip
    if approx:
        draw.rounded_rectangle(box, radius=3 * k, fill=style.colour)
        _dashed_square(draw, box, edge)
    else:
        draw.ellipse(box, fill=style.colour, outline=MARK_EDGE, width=edge)
    letter = font(round(px * 0.55) * k)
    draw.text((half, half), style.letter, font=letter, fill=style.ink, anchor="mm",
              stroke_width=k // 2, stroke_fill=style.ink)  # fmt: skip
    image = image.resize((side // k, side // k), Image.Resampling.LANCZOS)
    if approx or dim:  # the explorer's approximate markers are a little faded (opacity 0.8)
        alpha = (0.45 if dim else 1.0) * (0.85 if approx else 1.0)
        image.putalpha(image.getchannel("A").point(lambda a: round(a * alpha)))
    return image


def _dashed_square(draw: ImageDraw.ImageDraw, box: tuple[float, ...], width: int) -> None:
    """A square's border in five dashes a side (three drawn), corners included."""
    left, top, right, bottom = (box[0] + width / 2, box[1] + width / 2,
                                box[2] - width / 2, box[3] - width / 2)  # fmt: skip
    dash = (right - left) / 5
    for i in (0, 2, 4):
        a, b = left + i * dash, left + (i + 1) * dash
        c, d = top + i * dash, top + (i + 1) * dash
        for line in ((a, top, b, top), (a, bottom, b, bottom), (left, c, left, d),
                     (right, c, right, d)):  # fmt: skip
            draw.line(line, fill=MARK_EDGE, width=width)


def _markers(
    image: Image.Image, frame: _Frame, stations: pd.DataFrame, px: int, dim: bool
) -> tuple[list[tuple[float, float]], pd.DataFrame]:
    """Each station's marker at its point, and at the world's copies in view (squares, placed
    by country only, beneath the discs); the points drawn, and the stations in view."""
    if stations.empty:
        return [], stations
    x, y = frame.pixels(*world_xy(stations["longitude"].to_numpy(dtype=float),
                                  stations["latitude"].to_numpy(dtype=float)))  # fmt: skip
    approx = (stations["location_precision"].astype(str) == "country").to_numpy()
    status = stations["status"].astype(str).to_numpy()
    shifts = [s * frame.world for s in (-1, 0, 1)]
    seen = [
        (x + s > -px) & (x + s < frame.width + px) & (y > -px) & (y < frame.height + px)
        for s in shifts
    ]
    drawn = []
    for i in np.argsort(~approx, kind="stable"):
        sprite = _sprite(str(status[i]), bool(approx[i]), px, dim, False)
        for shift, visible in zip(shifts, seen, strict=True):
            if visible[i]:
                at = (x[i] + shift, y[i])
                image.paste(sprite, (round(at[0] - sprite.width / 2),
                                     round(at[1] - sprite.height / 2)), sprite)  # fmt: skip
                drawn.append(at)
    return drawn, stations[np.logical_or.reduce(seen)]


def _place(image: Image.Image, frame: _Frame, place: tuple[float, float, float]) -> Image.Image:
    """A distance filter's place: its circle (dashed, barely filled) and its point (stPlace)."""
    lat, lon, km = place
    x, y = frame.pixels(*world_xy(np.array([lon]), np.array([lat])))
    cx, cy = float(x[0]), float(y[0])
    r = km * 1000 / (EARTH_M * max(math.cos(math.radians(lat)), 0.01)) * frame.world
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    if 2 < r < 10 * max(image.size):  # larger, the circle is beyond the image on every side
        box = (cx - r, cy - r, cx + r, cy + r)
        draw.ellipse(box, fill=(29, 78, 216, 20))
        steps = min(360, max(24, round(2 * math.pi * r / 12) // 2 * 2))
        for i in range(0, steps, 2):
            draw.arc(box, 360 * i / steps, 360 * (i + 1) / steps, fill=PLACE, width=3)
    draw.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill="#ffffff", outline=PLACE, width=4)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _legend_rows(stations: pd.DataFrame, counted: bool) -> list[tuple[Image.Image, str]]:
    """A key to the markers drawn: each status shown (with its count when `counted`), and the
    square when one is drawn."""
    counts = stations["status"].astype(str).value_counts()
    codes = [code for code in maps.STATUS_STYLES if code in counts]
    labels = {code: status_label(code, LANG) for code in codes}
    other = int(counts.drop(codes).sum())
    if other:
        codes.append("")
        labels[""], counts[""] = maps.UNKNOWN_STYLE.label, other
    rows = [
        (_sprite(code, False, LEGEND_MARK_PX, False, False),
         f"{labels[code]} ({int(counts[code]):,})" if counted else labels[code])
        for code in codes
    ]  # fmt: skip
    if (stations["location_precision"].astype(str) == "country").any():
        rows.append((_sprite(codes[0], True, LEGEND_MARK_PX, False, False),
                     t("img_legend_approx", LANG)))  # fmt: skip
    return rows


def _legend(
    image: Image.Image,
    stations: pd.DataFrame,
    points: list[tuple[float, float]],
    counted: bool,
) -> None:
    """The key in a white box, at the bottom or the top of the map where it hides the fewest
    markers (the bottom left when that is no worse)."""
    rows = _legend_rows(stations, counted)
    if not rows:
        return
    face, step = font(LEGEND_PX), LEGEND_MARK_PX + 8
    width = 12 + step + max(int(face.getlength(label)) for _, label in rows) + 12
    height = 10 + step * len(rows) + 4
    xs = np.linspace(10, max(image.width - width - 10, 10), 25).round().astype(int)
    ys = (max(image.height - height - 10, 10), 10)
    at = np.array(points).reshape(-1, 2)

    def covered(corner: tuple[int, int]) -> int:
        x0, y0 = corner
        inside = (at[:, 0] > x0 - 16) & (at[:, 0] < x0 + width + 16)
        return int((inside & (at[:, 1] > y0 - 16) & (at[:, 1] < y0 + height + 16)).sum())

    x0, y0 = min(((int(x), y) for y in ys for x in xs), key=covered)
    draw = ImageDraw.Draw(image)
    draw.rectangle((x0, y0, x0 + width, y0 + height), fill="#ffffff", outline=RULE)
    for i, (sprite, label) in enumerate(rows):
        top = y0 + 10 + i * step
        image.paste(sprite, (x0 + 12 + (step - sprite.width) // 2 - 4,
                             top + (LEGEND_MARK_PX - sprite.height) // 2), sprite)  # fmt: skip
        draw.text((x0 + 12 + step, top + LEGEND_MARK_PX / 2), label, font=face, fill=INK,
                  anchor="lm")  # fmt: skip


def clean(value: object) -> str:
    """A data value as one line of text that can be drawn: control characters become spaces;
    formatting characters (bidirectional overrides, zero-width joiners), unassigned code points
    and a third combining mark in a row go; spaces are collapsed; at most MAX_CHARS."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    out, marks = [], 0
    for char in str(value)[: MAX_CHARS * 4]:
        kind = unicodedata.category(char)
        marks = marks + 1 if kind in ("Mn", "Me") else 0
        if kind in ("Cc", "Zl", "Zp", "Zs"):
            out.append(" ")
        elif kind not in ("Cf", "Cs", "Co", "Cn") and marks <= 2:
            out.append(char)
    return " ".join("".join(out).split())[:MAX_CHARS]


Face = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _fitting(text: str, face: Face, width: float, tail: str = "") -> int:
    """How many of the first characters of `text` fit in `width`, followed by `tail`."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if face.getlength(text[:mid].rstrip() + tail) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def wrap(text: str, face: Face, width: float, rows: int) -> list[str]:
    """`text` in at most `rows` rows of `width` pixels, broken at spaces where it can be (else
    anywhere), the last row cut with an ellipsis when the text goes on."""
    out: list[str] = []
    rest = text
    while rest and len(out) < rows - 1 and face.getlength(rest) > width:
        fits = max(_fitting(rest, face, width), 1)
        space = rest.rfind(" ", 0, fits + 1)
        cut = space if space > 0 else fits
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        fits = face.getlength(rest) <= width
        out.append(rest if fits else rest[: _fitting(rest, face, width, "…")].rstrip() + "…")
    return out


@dataclass(frozen=True)
class Spec:
    """Everything one image shows."""

    stations: pd.DataFrame  # drawn as markers (dimmed when there is a chosen station)
    title: str
    lines: Sequence[str]
    version: str | None
    focus: tuple[float, float, float, float] | None = None  # west, south, east, north
    place: tuple[float, float, float] | None = None  # latitude, longitude, km
    size: tuple[int, int] = SIZE
    chosen: pd.DataFrame | None = None  # the one station an image is about, drawn on top
    country: str | None = None  # the country an image is about: its border drawn darker


@dataclass(frozen=True)
class Words:
    """An image's words as drawn: the title's rows, each line's rows, the source line."""

    title: list[str]
    lines: list[list[str]]
    source: str


def words(spec: Spec) -> Words:
    """The title (two rows at most), up to three lines (four rows in all, each line at least
    one) and the source line, cleaned, wrapped and cut to the image's width."""
    width = spec.size[0] - 2 * PAD
    lines = [text for text in (clean(line) for line in spec.lines) if text][:MAX_LINES]
    if spec.stations.empty and (spec.chosen is None or spec.chosen.empty):
        lines = [*lines[: MAX_LINES - 1], t("img_no_stations", LANG)]
    rows, left = [], LINE_ROWS
    for i, line in enumerate(lines):
        wrapped = wrap(line, font(LINE_PX), width, min(2, left - (len(lines) - i - 1)))
        rows.append(wrapped)
        left -= len(wrapped)
    version = clean(spec.version)
    source = (t("img_source", LANG, version=version) if version
              else t("img_source_unstated", LANG))  # fmt: skip
    return Words(
        wrap(clean(spec.title), font(TITLE_PX), width, TITLE_ROWS),
        rows,
        wrap(source, font(SOURCE_PX), width, 1)[0],
    )


@dataclass(frozen=True)
class Layout:
    """Where everything goes: the words, the header's and the footer's heights, the map's frame."""

    words: Words
    header: int
    footer: int
    frame: _Frame

    def pixel(self, latitude: float, longitude: float) -> tuple[float, float]:
        """A point's place in the image (its first copy in view)."""
        x, y = self.frame.pixels(*world_xy(np.array([longitude]), np.array([latitude])))
        px = float(x[0]) % self.frame.world
        return px, float(y[0]) + self.header


def _points_box(
    stations: pd.DataFrame, place: tuple[float, float, float] | None
) -> tuple[float, float, float, float]:
    """The box around the stations and the place's circle; the world with neither."""
    lons = stations["longitude"].astype(float).tolist()
    lats = stations["latitude"].astype(float).tolist()
    if place is not None:
        lat, lon, km = place
        half_lat = km / 111.0
        half_lon = min(180.0, half_lat / max(math.cos(math.radians(lat)), 0.01))
        lats += [lat - half_lat, lat + half_lat]
        lons += [lon - half_lon, lon + half_lon]
    if not lons:
        return WORLD
    return min(lons), max(min(lats), -MAX_LAT), max(lons), min(max(lats), MAX_LAT)


def layout(spec: Spec) -> Layout:
    """The image's words and, in the room they leave, the map's frame."""
    said = words(spec)
    header = 22 + len(said.title) * 54 + 6 + sum(len(r) for r in said.lines) * 36 + 12
    footer = SOURCE_PX + 16
    area = (spec.size[0], spec.size[1] - header - footer)
    if spec.focus is not None:
        return Layout(said, header, footer, fit(spec.focus, area, max_zoom=10))
    shown = spec.stations if spec.chosen is None else spec.chosen
    cap = maps.zoom_cap(shown["location_precision"]) if not shown.empty else FIT_MAX_ZOOM
    box = _points_box(shown, spec.place)
    return Layout(said, header, footer, fit(box, area, max_zoom=min(cap, FIT_MAX_ZOOM)))


def _text(image: Image.Image, spec: Spec, at: Layout) -> None:
    """The header (title and lines, on white) and the footer (the source line)."""
    draw = ImageDraw.Draw(image)
    width, height = spec.size
    draw.rectangle((0, 0, width, at.header), fill="#ffffff")
    y = 22
    for row in at.words.title:  # the font has no bold: a stroke in the same colour stands in
        draw.text((PAD, y), row, font=font(TITLE_PX), fill=INK, stroke_width=1, stroke_fill=INK)
        y += 54
    y += 6
    for line in at.words.lines:
        for row in line:
            draw.text((PAD, y), row, font=font(LINE_PX), fill=SOFT_INK)
            y += 36
    draw.line((0, at.header - 1, width, at.header - 1), fill=RULE, width=1)
    draw.rectangle((0, height - at.footer, width, height), fill=FOOTER)
    draw.line((0, height - at.footer, width, height - at.footer), fill=RULE, width=1)
    draw.text((PAD, height - at.footer / 2), at.words.source, font=font(SOURCE_PX),
              fill=COUNTRY_EDGE, anchor="lm")  # fmt: skip


def draw(spec: Spec) -> bytes:
    """The image as PNG bytes: the same spec gives the same bytes."""
    at = layout(spec)
    frame = at.frame
    area = _base(frame)
    if spec.country:
        _country_edge(area, frame, spec.country)
    if spec.place is not None:
        area = _place(area, frame, spec.place)
    chosen = spec.chosen is not None and not spec.chosen.empty
    px = NEIGHBOUR_PX if chosen else MARK_PX
    points, seen = _markers(area, frame, spec.stations, px, dim=chosen)
    if spec.chosen is not None and chosen:
        row = spec.chosen.iloc[0]
        x, y = frame.pixels(*world_xy(np.array([float(row["longitude"])]),
                                      np.array([float(row["latitude"])])))  # fmt: skip
        ring = _sprite(str(row["status"]), row["location_precision"] == "country", MARK_PX,
                       False, True)  # fmt: skip
        area.paste(ring, (round(x[0] - ring.width / 2), round(y[0] - ring.height / 2)), ring)
        points.append((float(x[0]), float(y[0])))
    _legend(area, pd.concat([spec.chosen, seen]) if chosen else seen, points, not chosen)
    image = Image.new("RGB", spec.size, "#ffffff")
    image.paste(area, (0, at.header))
    _text(image, spec, at)
    # 256 colours are plenty for flat land, sea and markers: a third of the bytes, and quicker
    # to compress than the full-colour image.
    palette = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def render(
    stations: pd.DataFrame,
    *,
    title: str,
    lines: Sequence[str],
    version: str | None,
    focus: tuple[float, float, float, float] | None = None,
    place: tuple[float, float, float] | None = None,
    size: tuple[int, int] = SIZE,
) -> bytes:
    """A map of `stations` as PNG bytes, with `title`, up to three `lines` and the source line
    with the data's `version`. `focus` (west, south, east, north) is the region shown, else the
    stations' (the world when there are none); `place` (latitude, longitude, km) is drawn as a
    distance filter's place and circle."""
    return draw(Spec(stations, title, list(lines), version, focus, place, size))


def date_words(value: object, lang: str = LANG) -> str:
    """A full or partial date (YYYY, YYYY-MM, YYYY-MM-DD) in words; anything else as it is."""
    text = clean(value)
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            return long_date(dt.date(*parts), lang)
        if len(parts) == 2:
            month = dt.date(parts[0], parts[1], 1)
            return month_year(month, lang)
    except ValueError:
        pass
    return text


def _circle_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A box `km` each way from a point, its point in the middle on the map (Web Mercator
    stretches the north side more)."""
    half_lat = km / 111.0
    half_lon = min(180.0, half_lat / max(math.cos(math.radians(lat)), 0.01))
    north = min(lat + half_lat, MAX_LAT)
    _, (y_north, y_mid) = world_xy(np.zeros(2), np.array([north, lat]))
    south = math.degrees(math.atan(math.sinh((2 * y_mid - y_north - 0.5) * -2 * math.pi)))
    return lon - half_lon, max(south, -MAX_LAT), lon + half_lon, north


def _union(
    box: tuple[float, float, float, float], other: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]),
            max(box[3], other[3]))  # fmt: skip


def station_focus(record: StationRecord) -> tuple[float, float, float, float]:
    """The region a station's image shows: around it, wider the less precisely it is placed;
    for a station known by country only, its country (the largest part)."""
    lat, lon = float(record["latitude"]), float(record["longitude"])
    precision = str(record["location_precision"])
    if precision in STATION_KM:
        return _circle_box(lat, lon, STATION_KM[precision])
    country = _outlines().main.get(str(record["country_code"]))
    point = (lon, lat, lon, lat)
    return _union(country, point) if country else _circle_box(lat, lon, 800.0)


def station_words(record: StationRecord) -> tuple[str, list[str]]:
    """A station image's title (its name) and lines: status and date, place, precision."""
    status = status_label(str(record["status"]), LANG)
    when = date_words(record["status_date"])
    precision = f"img_precision_{record['location_precision']}"
    return str(record["name"]), [
        t("img_status", LANG, status=status, date=when)
        if when
        else t("img_status_undated", LANG, status=status),
        place_words(record),
        t(precision, LANG) if precision in MESSAGES else "",
    ]


def station_spec(record: StationRecord, stations: pd.DataFrame, version: str | None) -> Spec:
    chosen = pd.DataFrame([dict(record)])
    others = stations.loc[stations["station_id"] != record["station_id"]]
    title, lines = station_words(record)
    return Spec(others, title, lines, version, focus=station_focus(record), chosen=chosen,
                country=str(record["country_code"]))  # fmt: skip


def station_image(record: StationRecord, stations: pd.DataFrame, version: str | None) -> bytes:
    """A locator map of one station: it, ringed, with its neighbours dimmed, in a region as wide
    as its location precision calls for; its name, status and date, place and precision."""
    return draw(station_spec(record, stations, version))


def _status_list(stations: pd.DataFrame) -> str:
    counts = stations["status"].astype(str).value_counts()
    known = [code for code in maps.STATUS_STYLES if code in counts]
    other = [code for code in sorted(counts.index) if code not in maps.STATUS_STYLES]
    return ", ".join(f"{int(counts[code]):,} {status_label(code, LANG)}" for code in known + other)


def country_words(
    code: str, stations: pd.DataFrame, responses: pd.DataFrame
) -> tuple[str, list[str]]:
    """A country image's title (the country's name) and lines: its stations by status, its
    strongest government response, how many responses and the latest."""
    rows = stations.loc[stations["country_code"].astype(str) == code]
    acts = by_date(responses.loc[responses["country_code"].astype(str) == code])
    title = str(rows["country"].iloc[0]) if len(rows) else code
    tier = strongest_responses(acts).get(code, NO_RESPONSE)
    lines = [t("img_strongest", LANG, tier=t(f"tier_{tier}", LANG))] if len(acts) else []
    if len(rows):
        stations_words = plural("n_stations", len(rows), LANG)
        lines.insert(0, t("img_by_status", LANG, stations=stations_words, list=_status_list(rows)))
    if len(acts):
        latest = acts.iloc[-1]
        lines.append(t("img_responses", LANG, responses=plural("n_responses", len(acts), LANG),
                       date=date_words(latest["date"]),
                       kind=response_label(str(latest["response_type"]), LANG)))  # fmt: skip
    else:
        lines.append(t("no_response", LANG))
    return title, lines


def country_spec(
    code: str, stations: pd.DataFrame, responses: pd.DataFrame, version: str | None
) -> Spec:
    rows = stations.loc[stations["country_code"].astype(str) == code]
    title, lines = country_words(code, stations, responses)
    outline = _outlines().main.get(code)
    focus = None
    if outline is not None:
        focus = _union(outline, _points_box(rows, None)) if len(rows) else outline
    return Spec(rows, title, lines, version, focus=focus, country=code)


def country_image(
    code: str, stations: pd.DataFrame, responses: pd.DataFrame, version: str | None
) -> bytes:
    """A map of one country's stations (`code`: ISO 3166-1 alpha-2), with its counts by status,
    strongest government response and latest response."""
    return draw(country_spec(code, stations, responses, version))


def index_words(stations: pd.DataFrame) -> tuple[str, list[str]]:
    """The front page image's title and line: how many stations in how many countries (the
    key says how many of each status)."""
    countries = plural("n_countries", int(stations["country_code"].nunique()), LANG)
    counts = t("img_counts", LANG, stations=plural("n_stations", len(stations), LANG),
               countries=countries)  # fmt: skip
    return t("title", LANG), [counts] if len(stations) else []


def index_image(stations: pd.DataFrame, version: str | None) -> bytes:
    """A map of every station, with their numbers."""
    title, lines = index_words(stations)
    return draw(Spec(stations, title, lines, version))


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def write_all(out_dir: Path, bundle: BundleLike) -> list[Path]:
    """Every image of a published edition under `out_dir`: img/index.png, one per station
    (img/station/<station_id>.png) and one per country (img/country/<code in lower case>.png);
    their paths. Many stations are drawn on every core (`parallel.map_chunks`)."""
    stations, responses, version = bundle.stations, bundle.responses, bundle.version
    img = out_dir / "img"
    written = [_write(img / "index.png", index_image(stations, version))]
    # Nearby stations one after the other: their tiles are still in the cache.
    ordered = stations.sort_values(["country_code", "latitude", "longitude"], kind="stable")
    for name in ordered["station_id"].astype(str):
        if not re.fullmatch(SLUG_PATTERN, name):
            raise ValueError(f"station_id {name!r} is not a slug ({SLUG_PATTERN}): no file name")
    ids = [(img, name) for name in ordered["station_id"].astype(str)]
    written += parallel.map_chunks(_station_images, (stations, version), ids)
    for code in sorted(set(stations["country_code"].astype(str))):
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"country_code {code!r} is not two capital letters: no file name")
        image = country_image(code, stations, responses, version)
        written.append(_write(img / "country" / f"{code.lower()}.png", image))
    return written


def _station_images(
    shared: tuple[pd.DataFrame, str | None], ids: Sequence[tuple[Path, str]]
) -> list[Path]:
    """Draw and write these stations' images (a chunk: `parallel.map_chunks`)."""
    stations, version = shared
    rows = stations.set_index("station_id", drop=False)
    return [
        _write(img / "station" / f"{name}.png",
               station_image(record_of(rows.loc[name].items()), stations, version))
        for img, name in ids
    ]  # fmt: skip
