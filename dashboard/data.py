"""Load and validate the stations and responses CSVs against `dashboard.schema`.

Every problem in a file is collected and raised together as one `DataError`, each named as
`line N, column C: value V: why`, with line numbers as in the file (header = line 1).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
import pycountry

from dashboard.schema import (
    DATE_PATTERN,
    RESPONSES,
    SLUG_PATTERN,
    STATIONS,
    URL_PATTERN,
    Column,
    Table,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_REVIEWED = "2026-12-06"  # keep in step with "Last reviewed" in data/README.md (tested)
STATIONS_PATH = DATA_DIR / STATIONS.path
RESPONSES_PATH = DATA_DIR / RESPONSES.path

COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_SHOWN_LENGTH = 60

Source = str | Path | bytes
TEXT: Final = "string[pyarrow]"
FAST_PATH_BYTES = 256 * 1024  # smaller files are read line by line (fast enough, and exact)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as we can."""

    line: int | None
    column: str | None
    value: str | None
    why: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        parts = [", ".join(where) or "file"]
        if self.value is not None:
            parts.append(f"value {show_value(self.value)}")
        parts.append(self.why)
        return ": ".join(parts)


@dataclass(frozen=True)
class Rejection:
    """A file that failed validation: which file, and every problem found in it."""

    file: str  # as messages name it: the path, or the name an upload was given
    problems: tuple[Problem, ...]

    @property
    def headline(self) -> str:
        count = len(self.problems)
        return f"{self.file}: {count} problem{'s' if count != 1 else ''}"

    @property
    def details(self) -> list[str]:
        """One line per problem, as `line N, column C: value V: why`."""
        return [str(p) for p in self.problems]

    def __str__(self) -> str:
        return "\n".join([self.headline, *(f"  {d}" for d in self.details)])


class DataError(ValueError):
    """A file failed validation; `problems` lists every problem found."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label = label
        self.problems = problems
        self.rejection = Rejection(label, tuple(problems))
        super().__init__(str(self.rejection))


def show_value(value: str) -> str:
    """A value as it appears in a message: quoted, escaped, and cut if long."""
    if len(value) > _SHOWN_LENGTH:
        cut = value[:_SHOWN_LENGTH]
        return f"{cut!r}… ({len(value)} characters)"
    return repr(value)


def _read_bytes(source: Source, max_bytes: int | None, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        data, label = source, name or "uploaded file"
    else:
        path = Path(source)
        label = name or str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DataError(label, [Problem(None, None, None, f"cannot read: {exc}")]) from exc
        if max_bytes is not None and size > max_bytes:
            raise DataError(label, [_too_big(size, max_bytes)])
        data = path.read_bytes()
    if max_bytes is not None and len(data) > max_bytes:
        raise DataError(label, [_too_big(len(data), max_bytes)])
    return data, label


def _too_big(size: int, limit: int) -> Problem:
    return Problem(
        None, None, None, f"file is {size:,} bytes, over the limit of {limit:,} bytes; not read"
    )


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise DataError(
            label,
            [
                Problem(
                    line,
                    None,
                    None,
                    f"not UTF-8 text (byte 0x{bad}); save the file as UTF-8 "
                    "(e.g. a spreadsheet's 'CSV UTF-8' option)",
                )
            ],
        ) from exc


def read_records(text: str, label: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Parse CSV text into header, rows and each row's first line number in the file."""
    if not text.strip():
        raise DataError(label, [Problem(None, None, None, "file is empty")])
    fast = _read_one_line_records(text)
    records = fast if fast is not None else _read_tracking_lines(text, label)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, record in records:
        if not record or record == [""]:
            continue
        if header is None:
            header = [name.strip() for name in record]
            continue
        rows.append(record)
        lines.append(line)
    assert header is not None
    return header, rows, lines


def _read_one_line_records(text: str) -> list[tuple[int, list[str]]] | None:
    """The common case, fast: every record on one line. None if that is not the case."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(records) != physical:
        return None
    return list(enumerate(records, start=1))


def _read_tracking_lines(text: str, label: str) -> list[tuple[int, list[str]]]:
    """Records with the line each starts on, for files with line breaks inside fields."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = []
    end_of_previous = 0
    try:
        for record in reader:
            out.append((end_of_previous + 1, record))
            end_of_previous = reader.line_num
    except csv.Error as exc:
        raise DataError(
            label, [Problem(reader.line_num, None, None, f"not readable as CSV: {exc}")]
        ) from exc
    return out


def _header_problems(header: list[str], table: Table) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(1, name, None, "column appears twice in the header"))
        seen.add(name)
    missing = [c.name for c in table.columns if c.required and c.name not in seen]
    for name in missing:
        problems.append(Problem(1, name, None, "required column is missing from the header"))
    if missing and len(header) == 1:
        for sep, sep_name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in header[0]:
                problems.append(
                    Problem(1, None, None, f"the file looks separated by {sep_name}; use commas")
                )
                break
    return problems


def _bad(
    mask: pd.Series[bool],
    values: pd.Series[str],
    lines: pd.Series[int],
    col: str,
    why: str | Callable[[str], str],
) -> list[Problem]:
    """Problems for the rows where `mask` is true; `why` is a string or value -> string."""
    rows = mask.index[mask.to_numpy()]
    return [
        Problem(int(line), col, value, why(value) if callable(why) else why)
        for line, value in zip(lines.loc[rows].tolist(), values.loc[rows].tolist(), strict=True)
    ]


def _number_reason(value: str) -> str:
    if _DECIMAL_COMMA.fullmatch(value.strip()):
        return "decimal comma; write the number with a point, e.g. " + value.replace(",", ".")
    return "not a number"


def _date_problem(value: str, today: dt.date) -> str | None:
    parts = [int(p) for p in value.split("-")]
    try:
        start = dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except ValueError:
        return "not a real calendar date"
    if start > today:
        return f"in the future (today is {today.isoformat()})"
    return None


def _url_reason(value: str) -> str:
    lowered = value.strip().lower()
    if lowered.startswith("http://"):
        return "not https: every source must be an https:// URL"
    return "not an https:// URL"


def _column_problems(
    column: Column, values: pd.Series[str], lines: pd.Series[int], today: dt.date
) -> list[Problem]:
    name = column.name
    empty = values == ""
    problems: list[Problem] = []
    if column.required:
        problems += _bad(empty, values, lines, name, "required value is empty")
    present = values[~empty]
    if present.empty:
        return problems
    plines = lines[~empty]
    check = _KIND_CHECKS.get(column.kind)
    if check is not None:
        problems += check(column, present, plines, today)
    if column.max_length is not None:
        too_long = present.str.len() > column.max_length
        problems += _bad(
            too_long,
            present,
            plines,
            name,
            lambda v: f"{len(v):,} characters, over the limit of {column.max_length}",
        )
    return problems


def _slug_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    bad = ~present.str.fullmatch(SLUG_PATTERN)
    why = "not an id of lowercase letters, digits, dashes"
    return _bad(bad, present, plines, column.name, why)


def _enum_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    bad = ~present.isin(column.allowed)
    return _bad(bad, present, plines, column.name, f"not one of: {', '.join(column.allowed)}")


def _country_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    bad = ~present.isin(COUNTRY_CODES)
    return _bad(bad, present, plines, column.name, "not an ISO 3166-1 alpha-2 country code")


def _date_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    name = column.name
    shape_ok = present.str.fullmatch(DATE_PATTERN)
    problems = _bad(~shape_ok, present, plines, name, "not a date as YYYY-MM-DD, YYYY-MM or YYYY")
    for value in present[shape_ok].unique():
        reason = _date_problem(value, today)
        if reason:
            problems += _bad(present == value, present, plines, name, reason)
    return problems


def _number_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    name = column.name
    shape_ok = present.str.fullmatch(_NUMBER.pattern)
    problems = _bad(~shape_ok, present, plines, name, _number_reason)
    numbers = pd.to_numeric(present[shape_ok], errors="coerce")
    out = (numbers < column.minimum) | (numbers > column.maximum) | numbers.isna()
    span = f"outside {column.minimum:g}..{column.maximum:g}"
    return problems + _bad(out, present[shape_ok], plines[shape_ok], name, span)


def _url_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    bad = ~present.str.fullmatch(URL_PATTERN)
    return _bad(bad, present, plines, column.name, _url_reason)


def _url_list_problems(
    column: Column, present: pd.Series[str], plines: pd.Series[int], today: dt.date
) -> list[Problem]:
    problems = []
    bad = ~present.str.fullmatch(f"{URL_PATTERN}(?: {URL_PATTERN})*")
    for line, value in zip(plines[bad].tolist(), present[bad].tolist(), strict=True):
        for url in value.split(" "):
            if not re.fullmatch(URL_PATTERN, url):
                why = _url_reason(url) if url else "URLs must be separated by one space"
                problems.append(Problem(int(line), column.name, url, why))
    return problems


# Each kind of column's own checks (a kind not listed is free text: only its length is checked).
_KIND_CHECKS = {
    "slug": _slug_problems,
    "enum": _enum_problems,
    "country_code": _country_problems,
    "date": _date_problems,
    "number": _number_problems,
    "url": _url_problems,
    "url_list": _url_list_problems,
}


def _validate_table(
    df: pd.DataFrame, lines: pd.Series[int], table: Table, today: dt.date
) -> list[Problem]:
    problems: list[Problem] = []
    for column in table.columns:
        if column.name in df.columns:
            problems += _column_problems(column, df[column.name], lines, today)
    key = df[table.primary_key]
    dupes = key.duplicated(keep="first") & (key != "")
    if dupes.any():
        repeated = set(key[dupes])
        first_line: dict[str, int] = {}
        again = key.isin(repeated)
        for line, value in zip(lines[again].tolist(), key[again].tolist(), strict=True):
            first_line.setdefault(value, int(line))
        problems += _bad(
            dupes,
            key,
            lines,
            table.primary_key,
            lambda v: f"duplicate id (first on line {first_line[v]})",
        )
    return problems


def _parse(
    source: Source, table: Table, max_bytes: int | None, name: str | None
) -> tuple[pd.DataFrame, pd.Series[int], str, list[Problem]]:
    data, label = _read_bytes(source, max_bytes, name)
    text = _decode(data, label)
    fast = _read_with_arrow(data)
    if fast is not None:
        header, df = fast
        line_numbers: list[int] | range = range(2, len(df) + 2)
    else:
        header, rows, line_numbers = read_records(text, label)
    problems = _header_problems(header, table)
    if problems:
        raise DataError(label, problems)
    if fast is None:
        df = _frame_from_rows(header, rows, line_numbers, label)
    if df.empty:
        raise DataError(
            label, [Problem(None, None, None, "the file has a header but no data rows")]
        )
    for column in table.columns:
        if column.name not in df.columns:
            df[column.name] = pd.array([""] * len(df), dtype=TEXT)
    lines = pd.Series(line_numbers, index=df.index)
    return df, lines, label, problems


def _frame_from_rows(
    header: list[str], rows: list[list[str]], line_numbers: Sequence[int], label: str
) -> pd.DataFrame:
    width = len(header)
    problems = [
        Problem(line, None, None, f"has {len(record)} fields, the header has {width}")
        for record, line in zip(rows, line_numbers, strict=True)
        if len(record) != width
    ]
    if problems:
        raise DataError(label, problems)
    # Column by column into Arrow-backed strings: fast to build, and the validators' regular
    # expressions and comparisons then run vectorised in Arrow.
    columns = list(zip(*rows, strict=True)) or [()] * width
    return pd.DataFrame(
        {name: pd.array(columns[i], dtype=TEXT) for i, name in enumerate(header)},
        columns=header,
    )


def _read_with_arrow(data: bytes) -> tuple[list[str], pd.DataFrame] | None:
    """The fast path for large, regular files: Arrow's multi-threaded CSV reader.

    Used only when every record is on its own line and no line is blank, so that row i is
    line i + 2 of the file. Anything irregular (line breaks inside fields, blank lines, rows of
    the wrong length, bad quoting, repeated column names) returns None and goes through the
    line-by-line reader, which names every problem.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    body = data.removeprefix(b"\xef\xbb\xbf")
    if len(body) < FAST_PATH_BYTES:
        return None
    unix = body.replace(b"\r\n", b"\n")  # once: the file may be large
    if b"\r" in unix or b"\n\n" in unix:
        return None
    header = next(csv.reader([unix.split(b"\n", 1)[0].decode("utf-8")]), [])
    if not header or len(set(header)) != len(header):
        return None
    try:
        arrow = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    # One piece per column, not one per block read: selecting rows (every filter, every
    # search) from an 8-piece column of 10,000 rows took 6 times as long. A column over
    # 2 GiB stays in pieces.
    with contextlib.suppress(pa.ArrowInvalid):
        arrow = arrow.combine_chunks()
    frame = arrow.to_pandas(types_mapper=lambda _: pd.ArrowDtype(pa.string()))
    frame = frame.astype(TEXT)
    frame.columns = [name.strip() for name in header]
    return list(frame.columns), frame


def _finish(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    extra = [c for c in df.columns if c not in table.names]
    out = df[table.names + extra].copy()
    for column in table.columns:
        if column.kind == "number":
            text = out[column.name].astype(object).replace("", None)
            out[column.name] = pd.to_numeric(text).astype("float64")
    return out.reset_index(drop=True)


def load_stations(
    source: Source = STATIONS_PATH,
    *,
    require_coordinates: bool = True,
    max_bytes: int | None = None,
    today: dt.date | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate a stations CSV; raise `DataError` listing every problem.

    `source` is a path or the file's bytes; `name` labels the file in messages.
    """
    today = today or dt.date.today()
    df, lines, label, _ = _parse(source, STATIONS, max_bytes, name)
    problems = _validate_table(df, lines, STATIONS, today)
    if not require_coordinates:
        unlocated = set(lines[(df["latitude"] == "") & (df["longitude"] == "")])
        problems = [
            p
            for p in problems
            if not (p.line in unlocated and p.column in ("latitude", "longitude"))
        ]
    if problems:
        raise DataError(label, sorted(problems, key=_order))
    return _finish(df, STATIONS)


def load_responses(
    source: Source = RESPONSES_PATH,
    *,
    stations: pd.DataFrame | None = None,
    max_bytes: int | None = None,
    today: dt.date | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate a responses CSV; with `stations`, also check the station ids exist."""
    today = today or dt.date.today()
    df, lines, label, _ = _parse(source, RESPONSES, max_bytes, name)
    problems = _validate_table(df, lines, RESPONSES, today)
    if stations is not None:
        countries = dict(zip(stations["station_id"], stations["country_code"], strict=True))
        ids = df["station_id"]
        missing = (ids != "") & ~ids.isin(countries)
        problems += _bad(
            missing, ids, lines, "station_id", "no station with this id in the stations file"
        )
        known = (ids != "") & ids.isin(countries)
        wrong = known & (ids.map(countries) != df["country_code"])
        problems += _bad(
            wrong,
            ids,
            lines,
            "station_id",
            lambda v: f"this station is in {countries[v]}, not in the row's country_code",
        )
    if problems:
        raise DataError(label, sorted(problems, key=_order))
    return _finish(df, RESPONSES)


def split_orphans(
    responses: pd.DataFrame, stations: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split responses into those whose station (if any) is loaded, and those whose is not."""
    ids = responses["station_id"].fillna("")
    orphan = (ids != "") & ~ids.isin(set(stations["station_id"]))
    return responses[~orphan].reset_index(drop=True), responses[orphan].reset_index(drop=True)


def _order(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, problem.column or "")
