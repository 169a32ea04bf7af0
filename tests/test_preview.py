"""Map images drawn from the bundled outlines (dashboard/preview.py): their size, what is drawn
where, their words, and that hostile text is drawn as text. Data: the tests' own fixtures."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard import maps, preview
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.panels import station_record
from dashboard.places import Place
from dashboard.urlstate import Display
from dashboard.view import Data, make_view

PNG = b"\x89PNG\r\n\x1a\n"
HOSTILE = [
    "<script>alert(1)</script>",
    "x" * 10_000,
    "word " * 2_000,
    "\u202eevil\u202c \u200fright-to-left\u200f",
    "emoji 🚓🇨🇳 and 中文",
    "line\nbreak\r\ttab\x00nul\x1b[31m",
    "a" + "\u0301" * 500,
    "{count} {0} %s",
    "\ud800 lone surrogate",
]


def picture(data: bytes) -> Image.Image:
    assert data.startswith(PNG)
    return Image.open(io.BytesIO(data)).convert("RGB")


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


def share(image: Image.Image, colour: str, tolerance: int = 8) -> float:
    """The share of the image's pixels within `tolerance` of `colour`."""
    pixels = np.asarray(image, dtype=int)
    return float((np.abs(pixels - rgb(colour)).max(axis=2) <= tolerance).mean())


def colour_near(image: Image.Image, xy: tuple[float, float], colour: str, within: int = 6) -> bool:
    """Whether a pixel within `within` pixels of `xy` is `colour` (give or take the palette)."""
    x, y = round(xy[0]), round(xy[1])
    box = np.asarray(image, dtype=int)[y - within : y + within + 1, x - within : x + within + 1]
    return bool((np.abs(box - rgb(colour)).max(axis=2) <= 12).any())


def marker_colour(record) -> str:
    """A marker's fill as drawn: its status's colour, a little faded on land for a station
    placed by country only (as the explorer fades it)."""
    colour = rgb(maps.STATUS_STYLES[record["status"]].colour)
    if record["location_precision"] == "country":
        colour = np.round(colour * 0.85 + rgb(preview.LAND) * 0.15).astype(int)
    return "#" + "".join(f"{int(c):02x}" for c in colour)


@pytest.fixture
def rotterdam(stations):
    return station_record(stations, "nl-rotterdam-1")


@pytest.fixture(
    params=["index", "station", "country", "render"],
)
def any_image(request, stations, responses, rotterdam) -> bytes:
    make = {
        "index": lambda: preview.index_image(stations, "1.0.0"),
        "station": lambda: preview.station_image(rotterdam, stations, "1.0.0"),
        "country": lambda: preview.country_image("US", stations, responses, "1.0.0"),
        "render": lambda: preview.render(stations, title="All", lines=["one"], version=None),
    }
    return make[request.param]()


def test_an_image_is_a_png_of_exactly_the_preview_size(any_image):
    assert any_image.startswith(PNG)
    assert picture(any_image).size == (1200, 630)


def test_an_image_shows_land_sea_and_many_colours(any_image):
    image = picture(any_image)
    assert share(image, preview.SEA) > 0.05
    assert share(image, preview.LAND) > 0.05
    assert len(image.getcolors(1 << 16) or []) > 50


def test_the_same_input_gives_the_same_bytes_even_with_no_tile_cached(stations):
    first = preview.index_image(stations, "1.0.0")
    preview._TILES.clear()
    assert preview.index_image(stations, "1.0.0") == first


def test_each_station_is_marked_in_its_status_colour_at_its_point(stations):
    spec = preview.Spec(stations, "All", [], "1.0.0")
    image = picture(preview.draw(spec))
    at = preview.layout(spec)
    # Stations alone in their place (others share a city, and one marker hides the other).
    for station_id in ("ca-toronto-1", "au-sydney-1", "jp-tokyo-1", "us-houston-1"):
        record = station_record(stations, station_id)
        point = at.pixel(record["latitude"], record["longitude"])
        assert colour_near(image, point, marker_colour(record)), station_id


def test_a_station_image_centres_on_the_station(stations, rotterdam):
    spec = preview.station_spec(rotterdam, stations, "1.0.0")
    at = preview.layout(spec)
    x, y = at.pixel(rotterdam["latitude"], rotterdam["longitude"])
    assert abs(x - 600) <= 2
    assert abs(y - (at.header + at.frame.height / 2)) <= 2
    image = picture(preview.draw(spec))
    assert colour_near(image, (x, y), marker_colour(rotterdam), within=3)


def test_a_station_image_says_its_status_date_place_and_precision(rotterdam):
    title, lines = preview.station_words(rotterdam)
    assert title == rotterdam["name"]
    assert lines == [
        "Status: Said to be closed (1 November 2022)",
        "Rotterdam, Netherlands",
        "Placed at the city's centre: the exact site is not public",
    ]


def test_a_station_known_by_country_only_shows_its_country(stations):
    record = station_record(stations, "us-country-1")
    west, south, east, north = preview.station_focus(record)
    assert west < -120
    assert east > -70
    assert south < 30
    assert north > 45


def test_a_country_image_marks_each_of_its_stations(stations, responses):
    spec = preview.country_spec("US", stations, responses, "1.0.0")
    assert set(spec.stations["station_id"]) == {"us-new-york-1", "us-country-1", "us-houston-1"}
    image = picture(preview.draw(spec))
    at = preview.layout(spec)
    for record in spec.stations.to_dict(orient="records"):
        point = at.pixel(record["latitude"], record["longitude"])
        assert colour_near(image, point, marker_colour(record)), record["station_id"]


def test_a_country_image_says_its_counts_and_strongest_response(stations, responses):
    title, lines = preview.country_words("US", stations, responses)
    assert title == "United States"
    assert lines[0] == "3 stations: 2 Reported (alleged), 1 Prosecuted"
    assert lines[1] == "Strongest government response: Charges or conviction"
    assert lines[2].startswith("5 responses recorded; latest ")


def test_a_country_without_responses_says_so_once(stations):
    no_responses = pd.DataFrame({"country_code": [], "response_type": [], "date": [],
                                 "response_id": []})  # fmt: skip
    _, lines = preview.country_words("RU", stations, no_responses)
    assert lines[1:] == [t("no_response", "en")]


def test_an_empty_view_shows_the_world_and_says_there_are_no_stations(stations):
    spec = preview.Spec(stations.iloc[0:0], "Nothing", ["Showing 0 of 21 stations"], None)
    said = preview.words(spec)
    assert said.lines[-1] == [t("img_no_stations", "en")]
    assert said.source.endswith("version not stated")
    at = preview.layout(spec)
    assert at.frame.world >= 1200  # the whole world across, once
    for lon in (-150, 0, 150):
        x, _ = at.pixel(0, lon)
        assert 0 < x < 1200
    assert picture(preview.draw(spec)).size == (1200, 630)


def test_a_place_and_its_circle_are_drawn_and_fitted(stations):
    spec = preview.Spec(stations.iloc[0:0], "Near", [], "1", place=(51.92, 4.48, 100.0))
    at = preview.layout(spec)
    x, y = at.pixel(51.92, 4.48)
    assert abs(x - 600) <= 2
    assert colour_near(picture(preview.draw(spec)), (x, y), preview.PLACE, within=8)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_drawn_as_text_within_the_image(stations, text):
    spec = preview.Spec(stations, text, [text, text, text, text], text)
    said = preview.words(spec)
    rows = [*said.title, *(row for line in said.lines for row in line), said.source]
    assert len(said.title) <= preview.TITLE_ROWS
    assert sum(len(line) for line in said.lines) <= preview.LINE_ROWS
    width = 1200 - 2 * preview.PAD
    assert all(preview.font(preview.TITLE_PX).getlength(row) <= width for row in said.title)
    assert not any(c in row for row in rows for c in "\n\r\t\x00\x1b\u202e\u200f\ud800")
    assert picture(preview.draw(spec)).size == (1200, 630)


def test_a_station_with_hostile_fields_draws_and_its_data_is_unchanged(stations, responses):
    hostile = stations.copy()
    for column in ("name", "city", "country", "status_date", "location_precision", "status"):
        hostile[column] = HOSTILE[0] + HOSTILE[3] + HOSTILE[1]
    before = hostile.copy()
    record = station_record(hostile, "nl-rotterdam-1")
    assert picture(preview.station_image(record, hostile, HOSTILE[1])).size == (1200, 630)
    assert picture(preview.country_image("NL", hostile, responses, "1")).size == (1200, 630)
    assert picture(preview.index_image(hostile, None)).size == (1200, 630)
    pd.testing.assert_frame_equal(hostile, before)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("  two\n\nlines\t", "two lines"),
        ("\u202eevil\u202c", "evil"),
        ("zero\u200bwidth", "zerowidth"),
        ("e\u0301\u0301\u0301\u0301", "e\u0301\u0301"),
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        (12.5, "12.5"),
        ("x" * 5000, "x" * preview.MAX_CHARS),
    ],
)
def test_clean_keeps_only_drawable_text(value, expected):
    assert preview.clean(value) == expected


@pytest.mark.parametrize(
    ("text", "rows", "expected"),
    [
        ("short", 2, ["short"]),
        ("one two three four", 2, ["one two", "three four"]),
        ("abcdefghijklmnop", 2, ["abcdefghij", "klmnop"]),
    ],
)
def test_wrap_breaks_at_spaces(text, rows, expected):
    face = preview.font(20)
    width = face.getlength("abcdefghij")
    assert preview.wrap(text, face, width, rows) == expected


@pytest.mark.parametrize("text", ["one two three four five six", "abcdefghij" * 50, "x " * 300])
def test_wrap_cuts_what_does_not_fit_with_an_ellipsis(text):
    face = preview.font(20)
    width = face.getlength("abcdefghij")
    rows = preview.wrap(text, face, width, 2)
    assert len(rows) == 2
    assert rows[-1].endswith("…")
    assert all(face.getlength(row) <= width for row in rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-01", "1 November 2022"),
        ("2022-11", "November 2022"),
        ("2022", "2022"),
        ("", ""),
        ("2022-13-40", "2022-13-40"),
        ("soon", "soon"),
    ],
)
def test_date_words(value, expected):
    assert preview.date_words(value) == expected


@dataclass(frozen=True)
class Bundle:
    stations: pd.DataFrame
    responses: pd.DataFrame
    version: str | None


def test_write_all_writes_the_index_and_one_image_per_station_and_country(
    tmp_path, stations, responses
):
    few = stations.loc[stations["country_code"].isin(["NL", "JP"])]
    paths = preview.write_all(tmp_path, Bundle(few, responses, "1.0.0"))
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert names == [
        "img/country/jp.png",
        "img/country/nl.png",
        "img/index.png",
        "img/station/jp-tokyo-1.png",
        "img/station/nl-amsterdam-1.png",
        "img/station/nl-rotterdam-1.png",
    ]
    assert all(picture(p.read_bytes()).size == (1200, 630) for p in paths)


def test_write_all_refuses_an_id_that_is_no_file_name(tmp_path, stations, responses):
    bad = stations.head(1).assign(station_id="../../etc/passwd")
    with pytest.raises(ValueError, match="not a slug"):
        preview.write_all(tmp_path, Bundle(bad, responses, None))
    assert not Path(tmp_path / "etc").exists()


def test_the_explorer_image_shows_the_view_with_its_place_and_filters(stations, responses):
    from dashboard.app import map_image

    rotterdam = Place("Rotterdam", 51.9225, 4.4792, "data")
    filters = Filters(statuses=("closed",), near="Rotterdam", km=80.0)
    view = make_view(Data(stations, responses, "1.0.0"), filters, Display(lang="zh"),
                     dt.date(2026, 12, 6), rotterdam)  # fmt: skip
    image = picture(map_image(view, "Cite: <script>"))
    assert image.size == (1200, 630)
    assert share(image, preview.PLACE, tolerance=12) > 0
