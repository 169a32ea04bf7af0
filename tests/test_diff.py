"""`python -m dashboard.diff OLD NEW`: a data change at a glance, by id and field."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

from dashboard import diff
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS


def copy_of_fixtures(folder):
    folder.mkdir()
    shutil.copy(FIXTURE_STATIONS, folder / "stations.csv")
    shutil.copy(FIXTURE_RESPONSES, folder / "responses.csv")
    return folder


def test_a_normal_correction_reads_as_ids_and_fields(tmp_path):
    # Remove one station, close another, add one response: what a researcher's fix looks like.
    old = copy_of_fixtures(tmp_path / "old")
    new = copy_of_fixtures(tmp_path / "new")
    rows = (new / "stations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (new / "stations.csv").write_text(
        "".join(r for r in rows if not r.startswith("za-country-1,")), encoding="utf-8"
    )
    stations = diff.read_rows(new / "stations.csv", diff.STATIONS)
    stations["jp-tokyo-1"]["status"] = "closed"
    header = list(next(iter(stations.values())))
    with open(new / "stations.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(stations.values())
    with open(new / "responses.csv", "a", encoding="utf-8") as handle:
        handle.write("jp-r99,JP,jp-tokyo-1,2026-01-02,Tokyo police,closure,Said closed.,"
                     "https://example.org/a\n")  # fmt: skip

    result = subprocess.run(
        [sys.executable, "-m", "dashboard.diff", str(old), str(new)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    out = result.stdout
    assert "stations.csv: 0 added, 1 removed, 1 changed" in out
    assert "  - za-country-1" in out
    assert "  ~ jp-tokyo-1" in out
    assert "status: 'investigating' -> 'closed'" in out
    assert "responses.csv: 1 added, 0 removed, 0 changed" in out
    assert "  + jp-r99" in out


def test_the_same_data_twice_is_no_change(tmp_path):
    old = copy_of_fixtures(tmp_path / "old")
    new = copy_of_fixtures(tmp_path / "new")
    assert diff.main([str(old), str(new)]) == 0


def test_a_missing_file_is_a_clear_error_not_a_crash(tmp_path, capsys):
    old = copy_of_fixtures(tmp_path / "old")
    (tmp_path / "empty").mkdir()
    assert diff.main([str(old), str(tmp_path / "empty")]) == 2
    assert "cannot compare:" in capsys.readouterr().err
    assert diff.main([str(old)]) == 2
