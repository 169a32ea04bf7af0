"""Which data the dashboard shows: the bundled files, files named on the command line, or files a
user uploaded. A file that fails validation is never used: its problems are reported and the
data in use before it stays in use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.data import (
    RESPONSES_PATH,
    STATIONS_PATH,
    DataError,
    load_responses,
    load_stations,
    split_orphans,
)
from dashboard.schema import RESPONSES
from dashboard.versions import version_beside

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # keep in step with server.maxUploadSize (MB)


@dataclass(frozen=True)
class Upload:
    """A file a user gave: its name (as they named it) and its bytes. Never written to disk."""

    name: str
    data: bytes


@dataclass
class DataSet:
    """The data in use, where it came from, and every problem with the files not used."""

    stations: pd.DataFrame | None
    responses: pd.DataFrame
    orphans: pd.DataFrame
    stations_origin: str
    responses_origin: str
    problems: list[str] = field(default_factory=list)
    # The data's version (versions.version_beside), when both files come from one folder that
    # states it; None for uploads and mixed folders, whose version nobody stated.
    version: str | None = None


def empty_responses() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in RESPONSES.names})


def _try(loader, source, **kwargs) -> tuple[pd.DataFrame | None, str | None]:
    try:
        return loader(source, **kwargs), None
    except DataError as exc:
        return None, str(exc)


def _first_valid(loader, path: Path, bundled: Path, problems: list[str]):
    """The file at `path`, else the bundled file, else None; with where it came from."""
    for candidate in dict.fromkeys([Path(path), bundled]):
        frame, problem = _try(loader, candidate)
        if problem is None:
            origin = f"the bundled {bundled.name}" if candidate == bundled else str(candidate)
            return frame, origin
        problems.append(problem)
    return None, "none"


def _uploaded(loader, upload: Upload | None, current, origin: str, problems: list[str]):
    """The uploaded file if it is valid; otherwise what was in use, unchanged."""
    if upload is None:
        return current, origin
    mine, problem = _try(loader, upload.data, max_bytes=MAX_UPLOAD_BYTES, name=upload.name)
    if problem is not None:
        problems.append(problem)
        return current, origin
    return mine, upload.name


def resolve(
    stations_path: Path = STATIONS_PATH,
    responses_path: Path = RESPONSES_PATH,
    stations_upload: Upload | None = None,
    responses_upload: Upload | None = None,
) -> DataSet:
    """Load what was asked for, falling back file by file to what was in use before."""
    problems: list[str] = []
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
    version = None
    folder = _folder(stations_origin, stations_path)
    if folder is not None and folder == _folder(responses_origin, responses_path):
        version = version_beside(folder / STATIONS_PATH.name)
    if responses is None:
        responses, responses_origin = empty_responses(), "no responses"
    orphans = empty_responses()
    if stations is not None:
        responses, orphans = split_orphans(responses, stations)
    return DataSet(
        stations, responses, orphans, stations_origin, responses_origin, problems, version
    )


def _folder(origin: str, path: Path) -> Path | None:
    """The folder a file in use was read from; None for an upload or no file."""
    if origin.startswith("the bundled "):
        return STATIONS_PATH.parent
    return Path(path).resolve().parent if origin == str(path) else None
