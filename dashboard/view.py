"""The view: what one run of the page shows, as a pure function of the data, the filters and a
looked-up place. The same rows are shown, mapped and downloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard import history, maps, panels, places
from dashboard.changes import Change
from dashboard.filters import Filters, apply_filters
from dashboard.schema import StationRecord
from dashboard.urlstate import Display, MapFrame
from dashboard.versions import Release


@dataclass(frozen=True)
class View:
    """Everything the sections of one run show: the data, the filters and their result."""

    lang: str
    today: dt.date
    all_stations: pd.DataFrame
    filters: Filters
    display: Display
    day: dt.date | None
    place: places.Place | None
    stations: pd.DataFrame  # the view's stations (as of the day, filtered, near the place)
    responses: pd.DataFrame  # the responses made by the day (all countries)
    unframed: pd.DataFrame  # the view's stations without the as-of day (the map's frame)
    version: str | None  # the data's version, if its files state one (versions.py)
    # With a place and nothing in range: the nearest station of the filtered rows, and its km.
    nearest: tuple[StationRecord, float] | None = None
    releases: tuple[Release, ...] = ()  # the data's changelog entries, newest first
    # With a `since` day: what changed since then among the view's stations and countries.
    changes: tuple[Change, ...] = ()

    @cached_property
    def view_responses(self) -> pd.DataFrame:
        return panels.view_responses(self.responses, self.stations)

    @property
    def km(self) -> float:
        return float(self.filters.km or places.DEFAULT_KM)


@dataclass(frozen=True)
class Data:
    """The tables a view is made from (a loaded `sources.DataSet`'s, checked to be there)."""

    stations: pd.DataFrame
    responses: pd.DataFrame
    version: str | None
    releases: tuple[Release, ...] = ()


def make_view(
    data: Data,
    filters: Filters,
    display: Display,
    today: dt.date,
    place: places.Place | None = None,
    marked: Sequence[Change] = (),
) -> View:
    """Apply the filters (the place of `near`, if it was found, is `place`; `marked`: what
    changed since the `since` day, in the whole data, of which the view keeps its own)."""
    stations, responses = data.stations, data.responses
    day = dt.date.fromisoformat(filters.as_of) if filters.as_of else None
    km = float(filters.km or places.DEFAULT_KM)

    def near(rows: pd.DataFrame) -> pd.DataFrame:
        return places.within(rows, place, km) if place else rows

    by_day = history.responses_by(responses, day) if day else responses
    table = history.as_of(stations, by_day, day) if day else stations
    filtered = apply_filters(table, filters, by_day)
    shown = near(filtered)
    unframed = near(apply_filters(stations, filters, responses)) if day else shown
    closest = places.nearest(filtered, place) if place and shown.empty else None
    return View(
        display.lang,
        today,
        stations,
        filters,
        display,
        day,
        place,
        shown,
        by_day,
        unframed,
        data.version,
        closest,
        data.releases,
        in_view(marked, shown),
    )


def in_view(marked: Sequence[Change], stations: pd.DataFrame) -> tuple[Change, ...]:
    """The changes of the view's stations, and the responses about the view's countries."""
    if not marked:
        return ()
    ids, countries = set(stations["station_id"]), set(stations["country_code"])
    return tuple(
        c
        for c in marked
        if (c.station_id in ids) or (c.station_id is None and c.country_code in countries)
    )


def selected_record(view: View, station: str | None) -> StationRecord | None:
    """The selected station's record: as it stood on the as-of day when the view shows it then,
    else as recorded (a selection the filters leave out still shows its details)."""
    if not station:
        return None
    if view.day and station in set(view.stations["station_id"]):
        return panels.station_record(view.stations, station)
    return panels.station_record(view.all_stations, station)


def fitted_frame(view: View) -> tuple[MapFrame, maps.PlaceMark | None]:
    """The frame that fits the view (the whole circle of the distance filter, whatever is in
    it; else the stations without the as-of day, so that days compare), with the box it fits,
    and the place's mark."""
    place = view.place
    if place is None:
        return maps.fitted_frame(view.unframed), None
    mark = maps.PlaceMark(place.latitude, place.longitude, view.km, place.name)
    return maps.fitted_frame(view.unframed, mark), mark


def station_frame(record: StationRecord | None) -> MapFrame | None:
    """The frame centred on a station, at the zoom its location precision allows."""
    if record is None:
        return None
    (lat, lon), zoom = maps.station_view(record)
    return MapFrame(lat, lon, zoom)
