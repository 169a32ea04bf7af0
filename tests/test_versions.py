"""The data's versions: the changelog is read the way its readers (and the app) need."""

from __future__ import annotations

import json

import pytest

from dashboard.versions import latest, releases, version_beside

CHANGELOG = """# Changelog

Intro naming `xx-old-1`, which is in no entry.

## 1.2.0 (2026-12-24)

### Added

- `nl-r09` and `nl-amsterdam-2`.

### Changed

- `nl-r01` (`date`).

### Removed

- `nl-rotterdam-3`: a duplicate of `nl-rotterdam-1`.

## 1.1.0 (2026-11-30)

### Added

- `ie-r03`.
"""


def test_releases_newest_first_with_ids_by_section():
    found = releases(CHANGELOG)
    assert [(r.version, r.date) for r in found] == [
        ("1.2.0", "2026-12-24"),
        ("1.1.0", "2026-11-30"),
    ]
    assert found[0].ids("Added") == {"nl-r09", "nl-amsterdam-2"}
    assert found[0].ids("Changed") == {"nl-r01"}
    # A removal may name the row it duplicated: both ids are there, the reader sees why.
    assert found[0].ids("Removed") == {"nl-rotterdam-3", "nl-rotterdam-1"}
    assert found[1].ids("Removed") == set()


def test_a_changelog_without_versions_is_an_error_not_a_guess(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\nNothing yet.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no '## X\.Y\.Z"):
        latest(path)


@pytest.mark.parametrize(
    ("package", "expected"),
    [
        ({"name": "x", "version": "2.0.1"}, "2.0.1"),
        ({"name": "x"}, None),
        ({"version": 3}, None),
        (["not", "an", "object"], None),
        ({"version": "<script>" * 20}, None),
    ],
)
def test_the_version_comes_from_the_datapackage_beside_the_stations(tmp_path, package, expected):
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert version_beside(tmp_path / "stations.csv") == expected


def test_files_without_a_datapackage_have_no_version(tmp_path):
    assert version_beside(tmp_path / "stations.csv") is None
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    assert version_beside(tmp_path / "stations.csv") is None


HISTORY = """# Changelog

## 1.2.0 (2026-12-06)

### Changed

- `nl-rotterdam-1`: summary.

## 1.1.0 (2026-11-30)

### Added

- `nl-r06`, `ie-dublin-2`.

## 1.0.0 (2026-11-27)

First build.
"""


@pytest.mark.parametrize(
    ("row", "version"),
    [
        ("nl-rotterdam-1", "1.2.0"),  # changed in the newest version
        ("ie-dublin-2", "1.1.0"),  # added in 1.1.0, unchanged since
        ("fr-paris-1", "1.0.0"),  # never named: as built first
    ],
)
def test_a_rows_last_change_is_its_newest_changelog_entry(row, version):
    from dashboard.versions import last_changed, releases

    found = last_changed(row, releases(HISTORY))
    assert found is not None
    assert found.version == version


def test_a_row_of_data_without_a_changelog_has_no_last_change():
    from dashboard.versions import last_changed

    assert last_changed("nl-rotterdam-1", ()) is None
