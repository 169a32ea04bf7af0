"""The page state's pure parts: the map's frame as the map reports it, and when two frames are
the same place on screen (a move of a few pixels is Leaflet's rounding, not the reader)."""

from __future__ import annotations

import pytest

from dashboard.filters import Filters
from dashboard.state import frame_of, same_frame, sidebar_part
from dashboard.urlstate import MapFrame


@pytest.mark.parametrize(
    ("value", "frame"),
    [
        ({"center": {"lat": 51.92251, "lng": 4.47921}, "zoom": 10}, MapFrame(51.9225, 4.4792, 10)),
        # The map wraps round the world: a longitude past 180 is the same place.
        ({"center": {"lat": 0, "lng": 370.0}, "zoom": 3}, MapFrame(0.0, 10.0, 3)),
        ({"center": None, "zoom": 3}, None),
        ({"zoom": 2}, None),
        ({"center": {"lat": "x", "lng": 1}, "zoom": 2}, None),
        ({}, None),
    ],
)
def test_frame_of_what_the_map_reports(value, frame):
    assert frame_of(value) == frame


def test_a_pixel_of_rounding_is_the_same_frame_but_a_pan_is_not():
    here = MapFrame(20.0, 10.0, 2)
    assert same_frame(here, MapFrame(20.3, 10.4, 2))  # under a pixel at zoom 2
    assert not same_frame(here, MapFrame(20.0, 20.0, 2))  # about 28 pixels
    assert not same_frame(here, MapFrame(20.0, 10.0, 3))  # another zoom
    assert not same_frame(MapFrame(51.92, 4.48, 10), MapFrame(51.92, 4.50, 10))


def test_only_the_sidebars_own_filters_decide_a_whole_page_run():
    # A sidebar widget reporting its value again (the month slider, when first drawn) in a
    # search's run changes no sidebar filter, even though the search changed the query.
    shown = Filters(countries=("NL",), query="Rotterdam", station="nl-rotterdam-1")
    assert sidebar_part(Filters(countries=("NL",), query="Amsterdam")) == sidebar_part(shown)
    assert sidebar_part(Filters(countries=("NL", "IE"))) != sidebar_part(shown)
    assert sidebar_part(Filters(countries=("NL",), date_from="2023-01")) != sidebar_part(shown)
