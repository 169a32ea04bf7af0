"""Stations within a distance of a place: a city of the dataset, or a place looked up by name.

Places are looked up first among the loaded stations' cities, then in the offline GeoNames
gazetteer (`dashboard.gazetteer`: alternate and Chinese names, "City, Country" forms), then
(when the network allows) through geopy's Nominatim. A name found nowhere gets a close
spelling to try. Distances are great-circle distances from geopy.distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from geopy.distance import EARTH_RADIUS

from dashboard import gazetteer
from dashboard.geocode import GeocodeFailure, Location, Query
from dashboard.i18n import Msg, msg
from dashboard.lookups import LookupRefused
from dashboard.schema import StationRecord, record_of

DEFAULT_KM = 50.0
MAX_CHOICES = 4  # places offered when a name is ambiguous
MAX_KM = 20_000.0


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    how: str  # "dataset", "gazetteer" or "online"


def resolve_place(
    name: str,
    stations: pd.DataFrame,
    online: Callable[[Query], Location | None] | None = None,
) -> Place | Msg:
    """The place called `name`, or a message saying why it could not be found. `online` may
    raise GeocodeFailure or `lookups.LookupRefused`: the message then says so in plain words
    (the technical detail is logged where the failure happened)."""
    typed = " ".join(name.split())
    if not typed:
        return msg("no_place")
    hits = _in_data(typed, stations)
    if len(hits):
        return Place(
            f"{hits.iloc[0]['city']}, {hits.iloc[0]['country']}",
            float(hits["latitude"].mean()),
            float(hits["longitude"].mean()),
            "dataset",
        )
    many = gazetteer.ambiguous(typed)
    if many:
        options = [gazetteer.label(city) for city in many[:MAX_CHOICES]]
        return msg("place_ambiguous", name=repr(typed), choices=options)
    city = gazetteer.find(typed, prefer=stations["country_code"].dropna().unique())
    if city is not None:
        return Place(gazetteer.label(city), city.latitude, city.longitude, "gazetteer")
    return _online(typed, stations, online)


def _in_data(typed: str, stations: pd.DataFrame) -> pd.DataFrame:
    """The data's stations in a city of that name, in the country its qualifier names. A
    qualifier that names a division ("Paris, TX") leaves the data aside: its rows say the
    country, not the division, so the gazetteer decides."""
    head, qualifier = gazetteer.split_qualifier(typed)
    regions = gazetteer.regions_of(qualifier) if qualifier else ()
    if regions and regions[0].admin1 is not None:
        return stations.iloc[0:0]
    # Fold each distinct city once: large tables repeat few names.
    cities = stations["city"].fillna("").astype(str)
    wanted = gazetteer.fold(head)
    same = cities.isin([c for c in cities.unique() if gazetteer.fold(c) == wanted])
    if regions:
        same &= stations["country_code"] == regions[0].country_code
    return stations.loc[same.to_numpy()]


def _online(
    typed: str, stations: pd.DataFrame, online: Callable[[Query], Location | None] | None
) -> Place | Msg:
    """The online look-up, last; whenever it is off, fails or finds nothing, a close spelling
    among the larger cities and the data's own is offered ("Did you mean Toronto?")."""
    shown = repr(typed)
    if online is None:
        return _missing("place_offline", shown, typed, stations)
    try:
        found = online(Query("", typed, "", ""))
    except GeocodeFailure:
        return _missing("place_lookup_failed", shown, typed, stations)
    except LookupRefused as refused:
        return _missing(refused.key, shown, typed, stations)
    if found is None:
        return _missing("place_not_found", shown, typed, stations)
    return Place(typed, found.latitude, found.longitude, "online")


def _missing(key: str, shown: str, typed: str, stations: pd.DataFrame) -> Msg:
    """Not found: say so, with a close spelling among the larger cities and the data's own."""
    close = gazetteer.suggest(typed, stations["city"].dropna().astype(str).unique())
    if close is None:
        return msg(key, name=shown)
    return msg("place_suggest", why=msg(key, name=shown), suggestion=close)


def nearest(stations: pd.DataFrame, place: Place) -> tuple[StationRecord, float] | None:
    """The station closest to the place and its great-circle distance in km (None if there
    are no stations). Vectorised: it runs over the whole filtered table."""
    if stations.empty:
        return None
    km = distances_km(stations, place)
    i = int(np.argmin(km))
    return record_of(stations.iloc[i].items()), round(float(km[i]), 1)


def distances_km(stations: pd.DataFrame, place: Place) -> np.ndarray:
    """Each station's great-circle distance from the place: geopy's `great_circle` (its
    formula and its Earth radius), over whole columns at once, so that `within` and `nearest`
    agree to the metre and a distance widened to the nearest station reaches it."""
    lat1, lng1 = math.radians(place.latitude), math.radians(place.longitude)
    lat2 = np.radians(stations["latitude"].astype(float).to_numpy())
    lng2 = np.radians(stations["longitude"].astype(float).to_numpy())
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin_lat2, cos_lat2 = np.sin(lat2), np.cos(lat2)
    cos_delta, sin_delta = np.cos(lng2 - lng1), np.sin(lng2 - lng1)
    d = np.arctan2(
        np.sqrt(
            (cos_lat2 * sin_delta) ** 2
            + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta) ** 2
        ),
        sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta,
    )
    return EARTH_RADIUS * d


def widened(km: float) -> float:
    """A round distance that reaches `km`: the next 50 km up to 500, then the next 100 km."""
    step = 50 if km < 500 else 100
    return float(min(MAX_KM, step * math.ceil((km + 0.1) / step)))


def within(stations: pd.DataFrame, place: Place, km: float) -> pd.DataFrame:
    """The stations at most `km` from the place, nearest first, with a `distance_km` column."""
    # A cheap box first (1 degree of latitude is about 111 km), then exact distances.
    dlat = km / 111.0 + 0.1
    dlon = km / (111.0 * max(math.cos(math.radians(place.latitude)), 0.01)) + 0.1
    box = stations.loc[
        ((stations["latitude"] - place.latitude).abs() <= dlat).to_numpy()
        & (((stations["longitude"] - place.longitude + 180) % 360 - 180).abs() <= dlon).to_numpy()
    ]
    near = box.assign(distance_km=np.round(distances_km(box, place), 1))
    return near.loc[(near["distance_km"] <= km).to_numpy()].sort_values("distance_km")
