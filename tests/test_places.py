"""Near a place: places found in the data, offline, or online (faked); distances with geopy."""

from __future__ import annotations

from dashboard.geocode import GeocodeFailure, Location
from dashboard.i18n import Msg
from dashboard.places import Place, resolve_place, within


def test_a_city_of_the_data_is_found_offline(stations):
    place = resolve_place("amsterdam", stations)
    assert isinstance(place, Place)
    assert place.how == "dataset"
    assert 52.3 < place.latitude < 52.4


def test_stations_within_50_km_of_amsterdam(stations):
    near = within(stations, resolve_place("Amsterdam", stations), 50)
    assert list(near["station_id"]) == ["nl-amsterdam-1", "nl-rotterdam-1"][: len(near)]
    assert near.iloc[0]["distance_km"] == 0.0
    assert set(within(stations, resolve_place("Amsterdam", stations), 60)["country_code"]) == {"NL"}
    assert "nl-rotterdam-1" in set(
        within(stations, resolve_place("Amsterdam", stations), 60)["station_id"]
    )


def test_a_gazetteer_city_is_found_without_network(stations):
    place = resolve_place("Utrecht", stations)
    assert isinstance(place, Place)
    assert place.how == "gazetteer"


def test_unknown_place_offline_gives_a_clear_message(stations):
    def offline(query):
        raise GeocodeFailure("the geocoding service cannot be reached")

    message = resolve_place("Nowhereville-on-Sea", stations, online=offline)
    assert isinstance(message, Msg)
    assert "could not be looked up" in message.text("en")
    assert "choose a city of the data" in message.text("en")
    assert "cannot be reached" not in message.text("en")  # the detail goes to the log
    assert "选择数据中的城市" in message.text("zh")


def test_online_lookup_is_used_last(stations):
    place = resolve_place("Somewhere", stations, online=lambda q: Location(48.2, 16.37, "city"))
    assert place == Place("Somewhere", 48.2, 16.37, "online")


def test_distances_cross_the_date_line():
    import pandas as pd

    frame = pd.DataFrame(
        {"station_id": ["a", "b"], "latitude": [0.0, 0.0], "longitude": [179.9, -179.9]}
    )
    near = within(frame, Place("x", 0.0, 179.95, "dataset"), 20)
    assert list(near["station_id"]) == ["a", "b"]
