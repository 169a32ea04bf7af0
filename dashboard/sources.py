"""Which data the dashboard shows: the bundled files, files named on the command line, or files a
user uploaded. A file that fails validation is never used: its problems are reported and the
data in use before it stays in use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboard.data import (
    RESPONSES_PATH,
    STATIONS_PATH,
    DataError,
    Rejection,
    load_responses,
    load_stations,
    split_orphans,
)
from dashboard.schema import RESPONSES
from dashboard.versions import Release, releases_beside, version_beside

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # keep in step with server.maxUploadSize (MB)


@dataclass(frozen=True)
class Upload:
    """A file a user gave: its name (as they named it) and its bytes. Never written to disk."""

    name: str
    data: bytes


OriginKind = Literal["bundled", "file", "upload", "none"]


@dataclass(frozen=True)
class Origin:
    """Where a table in use came from: the bundled file, a file named on the command line, a
    user's upload, or nowhere (no responses). `name` is the file's name or path, as messages
    show it; empty for "none". `texts.origin_text` says it in words."""

    kind: OriginKind
    name: str = ""


NO_ORIGIN = Origin("none")


@dataclass(frozen=True)
class DataSet:
    """The data in use, where it came from, and every file not used with why.

    One DataSet is shared by every session (`app.load` caches it): nothing may change it. The
    dataclass is frozen; the frames cannot be, so every reader takes them as read-only (the
    filters, panels, map and downloads select and copy; tests/test_sources.py checks that a run
    of them leaves the frames as they were)."""

    stations: pd.DataFrame | None
    responses: pd.DataFrame
    orphans: pd.DataFrame
    stations_origin: Origin
    responses_origin: Origin
    problems: tuple[Rejection, ...] = ()
    # The data's version (versions.version_beside), when both files come from one folder that
    # states it; None for uploads and mixed folders, whose version nobody stated.
    version: str | None = None
    # Its changelog's entries (newest first), from the same folder, when the version is stated.
    releases: tuple[Release, ...] = ()


def empty_responses() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in RESPONSES.names})


Loader = Callable[..., pd.DataFrame]


def _try(loader: Loader, source: Path | bytes, **kwargs: object) -> pd.DataFrame | Rejection:
    try:
        return loader(source, **kwargs)
    except DataError as exc:
        return exc.rejection


def _first_valid(
    loader: Loader, path: Path, bundled: Path, problems: list[Rejection]
) -> tuple[pd.DataFrame | None, Origin]:
    """The file at `path`, else the bundled file, else None; with where it came from."""
    for candidate in dict.fromkeys([Path(path), bundled]):
        found = _try(loader, candidate)
        if isinstance(found, pd.DataFrame):
            if candidate == bundled:
                return found, Origin("bundled", bundled.name)
            return found, Origin("file", str(candidate))
        problems.append(found)
    return None, NO_ORIGIN


def _uploaded(
    loader: Loader,
    upload: Upload | None,
    current: pd.DataFrame | None,
    origin: Origin,
    problems: list[Rejection],
) -> tuple[pd.DataFrame | None, Origin]:
    """The uploaded file if it is valid; otherwise what was in use, unchanged."""
    if upload is None:
        return current, origin
    mine = _try(loader, upload.data, max_bytes=MAX_UPLOAD_BYTES, name=upload.name)
    if isinstance(mine, Rejection):
        problems.append(mine)
        return current, origin
    return mine, Origin("upload", upload.name)


def resolve(
    stations_path: Path = STATIONS_PATH,
    responses_path: Path = RESPONSES_PATH,
    stations_upload: Upload | None = None,
    responses_upload: Upload | None = None,
) -> DataSet:
    """Load what was asked for, falling back file by file to what was in use before."""
    problems: list[Rejection] = []
    stations, stations_origin = _first_valid(load_stations, stations_path, STATIONS_PATH, problems)
    stations, stations_origin = _uploaded(
        load_stations, stations_upload, stations, stations_origin, problems
    )
    responses, responses_origin = _first_valid(
        load_responses, responses_path, RESPONSES_PATH, problems
    )
    responses, responses_origin = _uploaded(
        load_responses, responses_upload, responses, responses_origin, problems
    )
    version: str | None = None
    entries: tuple[Release, ...] = ()
    folder = _folder(stations_origin)
    if folder is not None and folder == _folder(responses_origin):
        version = version_beside(folder / STATIONS_PATH.name)
        entries = releases_beside(folder / STATIONS_PATH.name) if version else ()
    if responses is None:
        responses, responses_origin = empty_responses(), NO_ORIGIN
    orphans = empty_responses()
    if stations is not None:
        responses, orphans = split_orphans(responses, stations)
    return DataSet(
        stations,
        responses,
        orphans,
        stations_origin,
        responses_origin,
        tuple(problems),
        version,
        entries,
    )


def _folder(origin: Origin) -> Path | None:
    """The folder a file in use was read from; None for an upload or no file."""
    if origin.kind == "bundled":
        return STATIONS_PATH.parent
    return Path(origin.name).resolve().parent if origin.kind == "file" else None
