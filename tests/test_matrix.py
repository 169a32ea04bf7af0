"""The bad-input matrix at the validator, in the app (upload and --stations), and on export."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.data import DataError, load_stations
from dashboard.export import to_csv_bytes
from dashboard.panels import md_text
from dashboard.sources import MAX_UPLOAD_BYTES
from tests.conftest import FIXTURE_STATIONS
from tests.matrix import CASES, FREE_TEXT, Case
from tests.test_app import showing, start

IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validator(case: Case):
    if case.expected is None:
        assert len(load_stations(case.data, max_bytes=MAX_UPLOAD_BYTES)) == case.rows
        return
    with pytest.raises(DataError) as info:
        load_stations(case.data, max_bytes=MAX_UPLOAD_BYTES, name="mine.csv")
    assert case.expected in str(info.value)
    assert str(info.value).startswith("mine.csv: ")


@pytest.fixture(scope="module")
def bundled_total() -> int:
    """What the app falls back to when a --stations file is refused: data/'s own file."""
    return len(load_stations())


@pytest.fixture(scope="module")
def fixture_total() -> int:
    """What the tests' app runs on (tests/fixtures/), and keeps when an upload is refused."""
    return len(load_stations(FIXTURE_STATIONS))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_upload_in_the_app(case: Case, fixture_total: int):
    at = start()
    at.file_uploader[0].set_value(("mine.csv", case.data, "text/csv")).run()
    assert not at.exception
    if case.expected is None:
        assert showing(at) == (case.rows, case.rows)
        assert md_text("mine.csv") in " ".join(i.value for i in at.info)
        return
    problems = " ".join(c.value for c in at.code)
    assert case.expected in problems
    assert "stays in use" in " ".join(e.value for e in at.error)
    assert showing(at) == (fixture_total, fixture_total)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name != "oversized file"], ids=lambda c: c.name
)
def test_command_line_file_behaves_like_an_upload(case: Case, tmp_path, bundled_total: int):
    path = tmp_path / "mine.csv"
    path.write_bytes(case.data)
    at = start(argv=["--stations", str(path)])
    if case.expected is None:
        assert showing(at) == (case.rows, case.rows)
    else:
        assert case.expected in " ".join(c.value for c in at.code)
        assert showing(at) == (bundled_total, bundled_total)


def test_back_to_the_bundled_data(fixture_total: int):
    good = next(c for c in CASES if c.name == "UTF-8 BOM")
    at = start()
    at.file_uploader[0].set_value(("mine.csv", good.data, "text/csv")).run()
    assert showing(at) == (2, 2)
    next(b for b in at.button if b.label == "Back to the bundled data").click().run()
    assert showing(at) == (fixture_total, fixture_total)


def test_uploaded_responses_about_unknown_stations_are_set_aside():
    from tests.helpers import csv_text, response

    data = csv_text([response(station_id="zz-nowhere-1", country_code="NL")]).encode()
    at = start()
    at.file_uploader[1].set_value(("responses.csv", data, "text/csv")).run()
    assert "set aside" in " ".join(i.value for i in at.info)


def test_export_of_formula_rows_holds_no_live_formula():
    case = next(c for c in CASES if c.name == "formulas in every text field")
    frame = load_stations(case.data).assign(longitude=-73.997, latitude=-33.5)
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
    for row in rows:
        for field in FREE_TEXT:
            assert row[field].startswith("'"), (field, row[field])
        assert (row["latitude"], row["longitude"]) == ("-33.5", "-73.997")
