"""The geocoder CLI: fills only empty coordinates, falls back offline, never damages the input."""

from __future__ import annotations

import pytest

from dashboard import geocode
from dashboard.data import load_stations
from dashboard.geocode import GeocodeFailure, Location, Offline, Query
from tests.helpers import station, write


class FakeGeocoder:
    """Answers from a table; records the queries it was asked."""

    def __init__(self, answers=None, error: Exception | None = None, fail_after: int = 0):
        self.answers = answers or {}
        self.error = error
        self.fail_after = fail_after
        self.queries: list[Query] = []

    def __call__(self, query: Query):
        self.queries.append(query)
        if self.error is not None and len(self.queries) > self.fail_after:
            raise self.error
        return self.answers.get(query.city)


def two_rows(tmp_path):
    rows = [
        station(),  # has coordinates
        station(
            station_id="de-frankfurt-1",
            city="Frankfurt",
            country="Germany",
            country_code="DE",
            latitude="",
            longitude="",
            location_precision="country",
        ),
    ]
    return write(tmp_path / "stations.csv", rows)


def run(argv, geocoder, capsys):
    code = geocode.main([str(a) for a in argv], geocoder=geocoder)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_fills_only_rows_without_coordinates(tmp_path, capsys):
    path = two_rows(tmp_path)
    before = path.read_bytes()
    fake = FakeGeocoder({"Frankfurt": Location(50.1109, 8.6821, "city")})
    code, out, _ = run([path], fake, capsys)
    assert code == 0
    assert [q.city for q in fake.queries] == ["Frankfurt"]
    assert path.read_bytes() == before
    result = load_stations(tmp_path / "stations.geocoded.csv")
    assert result.at[0, "latitude"] == 51.9225  # untouched
    assert (result.at[1, "latitude"], result.at[1, "location_precision"]) == (50.1109, "city")
    assert "filled 1 row" in out


def test_in_place_overwrites_the_input(tmp_path, capsys):
    path = two_rows(tmp_path)
    fake = FakeGeocoder({"Frankfurt": Location(50.11, 8.68, "city")})
    assert run([path, "--in-place"], fake, capsys)[0] == 0
    assert load_stations(path).at[1, "longitude"] == 8.68
    assert not (tmp_path / "stations.geocoded.csv").exists()


def test_offline_falls_back_to_gazetteer_at_city_precision(tmp_path, capsys):
    path = two_rows(tmp_path)
    code, _, err = run([path], FakeGeocoder(error=Offline("no network")), capsys)
    assert code == 0
    assert "offline gazetteer" in err
    row = load_stations(tmp_path / "stations.geocoded.csv").iloc[1]
    assert row["location_precision"] == "city"
    assert 49.9 < row["latitude"] < 50.3
    assert 8.4 < row["longitude"] < 8.9


def test_gazetteer_places_country_only_rows_inside_the_country():
    found = geocode.gazetteer(Query("", "", "Lesotho", "LS"))
    assert found.precision == "country"
    assert -30.7 < found.latitude < -28.5
    assert 27 < found.longitude < 29.5


def test_gazetteer_matches_names_without_accents():
    found = geocode.gazetteer(Query("", "Vina del Mar", "Chile", "CL"))
    assert found is not None
    assert -33.1 < found.latitude < -32.9


@pytest.mark.parametrize(
    "error",
    [
        GeocodeFailure("the geocoding service timed out"),
        GeocodeFailure("the geocoding service refused more requests (HTTP 429)"),
        GeocodeFailure("the geocoding service returned an error (500)"),
    ],
)
def test_service_failure_leaves_input_untouched_and_writes_nothing(tmp_path, capsys, error):
    path = two_rows(tmp_path)
    before = path.read_bytes()
    code, _out, err = run([path], FakeGeocoder(error=error), capsys)
    assert code == 1
    assert str(error) in err
    assert "input file is unchanged" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stations.csv"]


def test_row_not_found_writes_nothing_unless_partial(tmp_path, capsys):
    path = two_rows(tmp_path)
    code, _, err = run([path], FakeGeocoder({}), capsys)
    assert code == 1
    assert "line(s) 3" in err
    assert not (tmp_path / "stations.geocoded.csv").exists()
    code, out, _ = run([path, "--partial"], FakeGeocoder({}), capsys)
    assert code == 0
    assert "not found: line(s) [3]" in out
    assert (tmp_path / "stations.geocoded.csv").exists()


def test_invalid_input_is_reported_and_not_geocoded(tmp_path, capsys):
    path = write(tmp_path / "stations.csv", [station(latitude="", longitude="", status="bogus")])
    fake = FakeGeocoder({"Rotterdam": Location(51.9, 4.5, "city")})
    code, _, err = run([path], fake, capsys)
    assert code == 1
    assert "column status" in err
    assert fake.queries == []


def test_nominatim_errors_are_translated(monkeypatch):
    from geopy import exc

    cases = [
        (exc.GeocoderTimedOut("slow"), GeocodeFailure, "timed out"),
        (exc.GeocoderRateLimited("too many"), GeocodeFailure, "HTTP 429"),
        (exc.GeocoderUnavailable("down"), Offline, "cannot be reached"),
        (exc.GeocoderServiceError("boom"), GeocodeFailure, "returned an error"),
    ]
    for raised, expected, words in cases:
        nominatim = geocode.NominatimGeocoder()

        def boom(*_args, _raised=raised, **_kwargs):
            raise _raised

        monkeypatch.setattr(nominatim, "_geocode", boom)
        with pytest.raises(expected, match=words):
            nominatim(Query("", "Rotterdam", "Netherlands", "NL"))


def test_nominatim_is_rate_limited_to_one_request_per_second():
    nominatim = geocode.NominatimGeocoder(user_agent="test-agent")
    assert nominatim._geocode.min_delay_seconds == 1.0
    assert nominatim._geocode.func.__self__.headers["User-Agent"] == "test-agent"


def test_output_keeps_carriage_returns_inside_fields(tmp_path, capsys):
    rows = [
        station(summary="one\rtwo"),
        station(
            station_id="de-frankfurt-1",
            city="Frankfurt",
            country="Germany",
            country_code="DE",
            latitude="",
            longitude="",
            summary="three\r\nfour",
        ),
    ]
    path = write(tmp_path / "stations.csv", rows, lineterminator="\r\n")
    fake = FakeGeocoder({"Frankfurt": Location(50.11, 8.68, "city")})
    assert run([path], fake, capsys)[0] == 0
    result = load_stations(tmp_path / "stations.geocoded.csv")
    assert list(result["summary"]) == ["one\rtwo", "three\r\nfour"]


def closed_port_geocoder():
    """The real geopy Nominatim client, pointed at a loopback port where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return geocode.NominatimGeocoder(domain=f"127.0.0.1:{port}", scheme="http", timeout=2)


def test_no_network_falls_back_to_the_gazetteer_through_real_geopy(tmp_path, capsys):
    path = two_rows(tmp_path)
    code, _, err = run([path], closed_port_geocoder(), capsys)
    assert code == 0
    assert "cannot be reached" in err
    assert "offline gazetteer" in err
    assert load_stations(tmp_path / "stations.geocoded.csv").at[1, "location_precision"] == "city"


def test_no_network_without_fallback_is_a_clear_error_and_writes_nothing(tmp_path, capsys):
    path = two_rows(tmp_path)
    before = path.read_bytes()
    code, _, err = run([path, "--no-fallback"], closed_port_geocoder(), capsys)
    assert code == 1
    assert "cannot be reached" in err
    assert "input file is unchanged" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stations.csv"]


@pytest.mark.parametrize("partial", [False, True])
def test_failure_after_some_rows_writes_only_what_was_asked_for(tmp_path, capsys, partial):
    rows = [
        station(
            station_id=f"de-frankfurt-{i}",
            city="Frankfurt",
            country="Germany",
            country_code="DE",
            latitude="",
            longitude="",
        )
        for i in range(1, 4)
    ]
    path = write(tmp_path / "stations.csv", rows)
    fake = FakeGeocoder(
        {"Frankfurt": Location(50.11, 8.68, "city")},
        error=GeocodeFailure("the geocoding service refused more requests (HTTP 429)"),
        fail_after=2,
    )
    before = path.read_bytes()
    code, out, err = run([path, *(["--partial"] if partial else [])], fake, capsys)
    assert "HTTP 429" in err
    assert path.read_bytes() == before
    if not partial:
        assert code == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == ["stations.csv"]
        return
    assert code == 0
    assert "not found: line(s) [4]" in out
    result = load_stations(tmp_path / "stations.geocoded.csv", require_coordinates=False)
    assert list(result["latitude"].notna()) == [True, True, False]
