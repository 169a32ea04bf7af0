"""`python -m dashboard.validate`: exit codes and messages, on bundled data and broken copies."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import validate
from dashboard.data import RESPONSES_PATH, STATIONS_PATH
from tests.helpers import response, station, write

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_data_passes_as_a_real_command():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.validate"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert " stations in " in result.stdout
    assert " responses" in result.stdout


def test_only_stations_skips_the_response_checks(tmp_path, capsys):
    path = write(tmp_path / "s.csv", [station()])
    assert validate.main(["--stations", str(path)]) == 0
    assert capsys.readouterr().out == "OK: 1 stations in 1 countries (responses not checked)\n"


def test_responses_are_checked_against_the_given_stations(tmp_path, capsys):
    stations = write(tmp_path / "s.csv", [station()])
    responses = write(tmp_path / "r.csv", [response(station_id="nl-nowhere-9")])
    assert validate.main(["--stations", str(stations), "--responses", str(responses)]) == 1
    assert "line 2, column station_id: value 'nl-nowhere-9'" in capsys.readouterr().err


def _broken_copy(tmp_path: Path, line: int, column: str, value: str) -> Path:
    with STATIONS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[line - 2][column] = value
    return write(tmp_path / "stations.csv", rows)


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("latitude", "123.4", "outside -90..90"),
        ("longitude", "abc", "not a number"),
        ("country_code", "XX", "not an ISO 3166-1 alpha-2"),
        ("status", "rumoured", "not one of"),
        ("first_reported_date", "2022-31-12", "not a real calendar date"),
        ("status_date", "2030-01-01", "in the future"),
        ("sources", "http://example.org/story", "not https"),
    ],
)
def test_broken_copy_of_bundled_file_is_rejected_naming_line_and_column(
    tmp_path, capsys, column, value, why
):
    path = _broken_copy(tmp_path, 7, column, value)
    assert validate.main(["--stations", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"line 7, column {column}: value {value!r}: {why}" in err


def test_duplicate_id_in_bundled_copy(tmp_path, capsys):
    with STATIONS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[5]["station_id"] = rows[0]["station_id"]
    path = write(tmp_path / "stations.csv", rows)
    assert validate.main(["--stations", str(path)]) == 1
    assert "line 7, column station_id" in capsys.readouterr().err


def test_missing_column_in_bundled_copy(tmp_path, capsys):
    with STATIONS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in rows[0] if c != "country_code"]
    path = write(tmp_path / "stations.csv", rows, columns)
    assert validate.main(["--stations", str(path)]) == 1
    assert "line 1, column country_code: required column is missing" in capsys.readouterr().err


def test_default_paths_are_the_bundled_files():
    assert STATIONS_PATH == ROOT / "data" / "stations.csv"
    assert RESPONSES_PATH == ROOT / "data" / "responses.csv"
