"""Near a place: places found in the data, offline, or online (faked); distances with geopy."""

from __future__ import annotations

import pytest

from dashboard.geocode import GeocodeFailure, Location
from dashboard.i18n import Msg
from dashboard.places import Place, nearest, resolve_place, widened, within


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


def test_chinese_and_qualified_names_find_the_city_and_say_which(stations):
    for typed in ("多伦多", "Toronto, ON", "Toronto, Canada"):
        place = resolve_place(typed, stations)
        assert isinstance(place, Place), typed
        assert place.name in ("Toronto, Canada", "Toronto, Ontario, Canada"), typed
    milan = resolve_place("米兰", stations)
    assert isinstance(milan, Place)
    assert milan.name == "Milan, Italy"
    assert 45.4 < milan.latitude < 45.5


def test_a_country_qualifier_keeps_a_city_of_the_data_in_that_country(stations):
    assert resolve_place("Toronto, CA", stations).how == "dataset"
    # No Toronto of the data is in Italy, and the gazetteer has none either.
    assert isinstance(resolve_place("Toronto, Italy", stations), Msg)


def test_a_near_miss_offline_is_told_what_to_try(stations):
    found = resolve_place("Torontp", stations)
    assert isinstance(found, Msg)
    assert found.values["suggestion"] == "Toronto"
    assert found.text("en").endswith("Did you mean Toronto?")
    assert "not a city of the data" in found.text("en")
    assert "您是不是要找 Toronto" in found.text("zh")
    assert "离线地名库" in found.text("zh")  # the reason is in Chinese too


def test_the_nearest_station_and_a_round_distance_that_reaches_it(stations):
    lyon = resolve_place("Lyon", stations)
    assert within(stations, lyon, 50).empty
    record, km = nearest(stations, lyon)
    # Paris is about 390 km from Lyon; Barcelona about 530, Milan about 340.
    assert record["station_id"] == "it-milan-2"
    assert 330 < km < 350
    assert widened(km) == 350.0
    assert len(within(stations, lyon, widened(km))) >= 1
    assert widened(20) == 50.0
    assert widened(520) == 600.0
    assert widened(19_999) == 20_000.0
    assert nearest(stations.iloc[0:0], lyon) is None


@pytest.mark.parametrize(
    ("typed", "label", "country"),
    [
        ("Paris, TX", "Paris, Texas, United States", "US"),
        ("Paris, Texas", "Paris, Texas, United States", "US"),
        ("London, ON", "London, Ontario, Canada", "CA"),
        ("London, Ontario", "London, Ontario, Canada", "CA"),
        ("Springfield, IL", "Springfield, Illinois, United States", "US"),  # IL: not Israel
        ("Perth, WA", "Perth, Western Australia, Australia", "AU"),  # WA: not Washington
    ],
)
def test_a_typed_state_or_province_wins_over_the_datas_city(stations, typed, label, country):
    # The fixtures hold Paris (France) and London-less rows; a division typed after the city
    # picks the city in that division, not the data's city of the same name.
    place = resolve_place(typed, stations)
    assert isinstance(place, Place), typed
    assert place.name == label
    assert place.how == "gazetteer"


def test_an_ambiguous_name_is_asked_not_guessed(stations):
    asked = resolve_place("Springfield", stations)
    assert isinstance(asked, Msg)
    assert asked.key == "place_ambiguous"
    choices = asked.values["choices"]
    assert isinstance(choices, list)
    assert "Springfield, Illinois, United States" in choices
    assert len(choices) >= 2
    # Each choice, as offered, is found again as that one place (the button applies it).
    for choice in choices:
        place = resolve_place(choice, stations)
        assert isinstance(place, Place), choice
        assert place.name == choice


def test_the_offline_suggestion_comes_when_the_online_look_up_fails_or_finds_nothing(stations):
    def failing(query):
        raise GeocodeFailure("down")

    for online in (failing, lambda query: None):
        found = resolve_place("Torronto", stations, online=online)
        assert isinstance(found, Msg)
        assert found.values.get("suggestion") == "Toronto"
