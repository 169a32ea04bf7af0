"""The bad-input matrix: every kind of broken or hostile stations file, and what must happen.

`expected` is the clear message a user must see (the file is rejected and the data in use before
stays in use), or None when the file must be accepted. Shared by the validator tests, the app
tests (upload and `--stations`) and the browser tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.schema import STATIONS
from dashboard.sources import MAX_UPLOAD_BYTES
from tests.helpers import GOOD_STATION, csv_text, station

FREE_TEXT = tuple(c.name for c in STATIONS.columns if c.kind == "text")
FORMULAS = ('=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
HTML = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "${alert(3)}",
    "`alert(4)`",
    "\"'><svg onload=alert(5)>",
    "javascript:alert(6)",
)


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    expected: str | None
    rows: int = 2


def _two(**changes: str) -> list[dict[str, str]]:
    return [station(station_id="nl-first-1"), station(station_id="nl-second-1", **changes)]


def _text(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    # CRLF line ends, as spreadsheets write them; it also makes the writer quote a lone CR.
    return csv_text(rows, columns, lineterminator="\r\n").encode("utf-8")


def _everywhere(values: tuple[str, ...]) -> bytes:
    rows = []
    for i, value in enumerate(values):
        row = station(station_id=f"nl-hostile-{i + 1}")
        row.update(dict.fromkeys(FREE_TEXT, value))
        rows.append(row)
    return _text(rows)


def _oversized() -> bytes:
    row = csv_text([station()]).splitlines()[1] + "\n"
    header = csv_text([station()]).splitlines()[0] + "\n"
    copies = MAX_UPLOAD_BYTES // len(row) + 10
    return (header + row * copies).encode()


GOOD = _text(_two())
HEADER = csv_text([GOOD_STATION]).splitlines()[0]

CASES = [
    Case("empty file", b"", "file is empty"),
    Case("header only", (HEADER + "\n").encode(), "header but no data rows"),
    Case("wrong delimiter", GOOD.replace(b",", b";"), "looks separated by semicolons"),
    Case("UTF-8 BOM", b"\xef\xbb\xbf" + GOOD, None),
    Case(
        "GBK-encoded Chinese",
        csv_text(_two(name="荷兰鹿特丹警察站")).encode("gbk"),
        "line 3: not UTF-8 text",
    ),
    Case(
        "missing column",
        _text(_two(), [c for c in STATIONS.names if c != "country_code"]),
        "line 1, column country_code: required column is missing",
    ),
    Case("unknown extra column", _text([{**r, "my_notes": "x"} for r in _two()]), None),
    Case("duplicate ids", _text([station(), station()]), "duplicate id (first on line 2)"),
    Case("latitude 91", _text(_two(latitude="91")), "line 3, column latitude: value '91'"),
    Case("longitude -181", _text(_two(longitude="-181")), "outside -180..180"),
    Case("empty coordinates", _text(_two(latitude="", longitude="")), "required value is empty"),
    Case("NaN coordinates", _text(_two(latitude="NaN", longitude="nan")), "not a number"),
    Case("decimal commas", _text(_two(latitude="52,37")), "decimal comma"),
    Case("invalid ISO code", _text(_two(country_code="XX")), "not an ISO 3166-1 alpha-2"),
    Case("unknown status", _text(_two(status="rumoured")), "column status: value 'rumoured'"),
    Case("future date", _text(_two(first_reported_date="2099-01-01")), "in the future"),
    Case("malformed date", _text(_two(status_date="12/11/2022")), "not a date as YYYY-MM-DD"),
    Case("http source", _text(_two(sources="http://example.org/a")), "not https"),
    Case(
        "javascript source",
        _text(_two(sources="javascript:alert(1)")),
        "value 'javascript:alert(1)': not an https:// URL",
    ),
    Case("10,000-character field", _text(_two(name="x" * 10_000)), "10,000 characters"),
    Case(
        "newlines and quotes inside fields",
        _text(_two(summary='He said "no",\nthen left.\r\nMore, "quoted" text.')),
        None,
    ),
    Case(
        "row with too many fields",
        GOOD.rstrip(b"\r\n") + b",extra\r\n",
        f"has {len(STATIONS.names) + 1} fields",
    ),
    Case("oversized file", _oversized(), "over the limit of"),
    Case("formulas in every text field", _everywhere(FORMULAS), None, rows=len(FORMULAS)),
    Case("HTML and JS in every text field", _everywhere(HTML), None, rows=len(HTML)),
]
