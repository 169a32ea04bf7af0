"""Versions of the data: `data/CHANGELOG.md` lists them, newest first; `datapackage.json` carries
the newest (generated from the changelog by `python -m dashboard.schema`); the app reads the
version from the `datapackage.json` beside the stations file it loaded.

A version is `MAJOR.MINOR.PATCH`: MAJOR for a change of columns that breaks readers, MINOR for
rows added or statuses changed, PATCH for corrections that change no status (data/README.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CHANGELOG_PATH = Path(__file__).resolve().parent.parent / "data" / "CHANGELOG.md"
HEADING = re.compile(r"^## (\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)
ROW_ID = re.compile(r"`([a-z]{2}-[a-z0-9-]+)`")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    text: str  # the entry under its heading

    def ids(self, section: str) -> set[str]:
        """The row ids named under one `### section` (Added, Changed, Removed) of this entry."""
        match = re.search(rf"^### {section}\s*$(.*?)(?=^### |\Z)", self.text, re.M | re.S)
        return set(ROW_ID.findall(match.group(1))) if match else set()


def releases(text: str) -> list[Release]:
    """The changelog's entries, newest first as written."""
    heads = list(HEADING.finditer(text))
    out = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.append(Release(head.group(1), head.group(2), text[head.end() : end]))
    return out


def last_changed(row_id: str, entries: Sequence[Release]) -> Release | None:
    """The newest version whose entry names the row (added or changed); else the oldest
    version (the first build), or None without any version."""
    for entry in entries:
        if row_id in set(ROW_ID.findall(entry.text)):
            return entry
    return entries[-1] if entries else None


def latest(path: Path = CHANGELOG_PATH) -> Release:
    """The newest entry of the changelog at `path`."""
    found = releases(path.read_text(encoding="utf-8"))
    if not found:
        raise ValueError(f"{path}: no '## X.Y.Z (YYYY-MM-DD)' heading")
    return found[0]


def version_beside(stations_path: Path) -> str | None:
    """The `version` of the datapackage.json in the stations file's folder, if it states one.

    Files a reader brings (uploads, other folders) usually have none: the app then says the
    version is not stated rather than lending them the bundled data's version.
    """
    try:
        package = json.loads((Path(stations_path).parent / "datapackage.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    version = package.get("version") if isinstance(package, dict) else None
    return version if isinstance(version, str) and len(version) <= 40 else None


def releases_beside(stations_path: Path) -> tuple[Release, ...]:
    """The entries of the CHANGELOG.md in the stations file's folder (none when it has none)."""
    try:
        text = (Path(stations_path).parent / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(releases(text))
