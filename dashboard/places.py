"""Stations within a distance of a place: a city of the dataset, or a place looked up by name.

Places are looked up first among the loaded stations' cities, then in the offline GeoNames
gazetteer, then (when the network allows) through geopy's Nominatim. Distances are
great-circle distances from geopy.distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from geopy.distance import great_circle

from dashboard.geocode import GeocodeFailure, Location, Query, gazetteer
from dashboard.i18n import Msg, msg
from dashboard.lookups import LookupRefused

DEFAULT_KM = 50.0
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
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return msg("no_place")
    cities = stations["city"].fillna("").astype(str)
    hits = stations.loc[(cities.str.casefold() == wanted).to_numpy()]
    if len(hits):
        return Place(
            str(hits.iloc[0]["city"]),
            float(hits["latitude"].mean()),
            float(hits["longitude"].mean()),
            "dataset",
        )
    for code in stations["country_code"].dropna().unique():
        found = gazetteer(Query("", name.strip(), "", str(code)))
        if found is not None:
            return Place(name.strip(), found.latitude, found.longitude, "gazetteer")
    if online is None:
        return msg("place_offline", name=repr(name.strip()))
    try:
        found = online(Query("", name.strip(), "", ""))
    except GeocodeFailure:
        return msg("place_lookup_failed", name=repr(name.strip()))
    except LookupRefused as refused:
        return msg(refused.key, name=repr(name.strip()))
    if found is None:
        return msg("place_not_found", name=repr(name.strip()))
    return Place(name.strip(), found.latitude, found.longitude, "online")


def within(stations: pd.DataFrame, place: Place, km: float) -> pd.DataFrame:
    """The stations at most `km` from the place, nearest first, with a `distance_km` column."""
    # A cheap box first (1 degree of latitude is about 111 km), then exact distances.
    dlat = km / 111.0 + 0.1
    dlon = km / (111.0 * max(math.cos(math.radians(place.latitude)), 0.01)) + 0.1
    box = stations.loc[
        ((stations["latitude"] - place.latitude).abs() <= dlat).to_numpy()
        & (((stations["longitude"] - place.longitude + 180) % 360 - 180).abs() <= dlon).to_numpy()
    ]
    distances = [
        great_circle((place.latitude, place.longitude), (lat, lon)).km
        for lat, lon in zip(box["latitude"], box["longitude"], strict=True)
    ]
    near = box.assign(distance_km=[round(d, 1) for d in distances])
    return near.loc[(near["distance_km"] <= km).to_numpy()].sort_values("distance_km")
