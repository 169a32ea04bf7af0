"""Validate stations and responses CSVs: `python -m dashboard.validate`.

With no options the bundled files are checked. With only `--stations`, the checks that need the
responses are skipped. Prints `OK: ...` or every problem; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.data import RESPONSES_PATH, STATIONS_PATH, DataError, load_responses, load_stations


def validate(stations_path: Path, responses_path: Path | None) -> tuple[bool, str]:
    """Check the files; return (ok, the text to print)."""
    messages = []
    stations = responses = None
    try:
        stations = load_stations(stations_path)
    except DataError as exc:
        messages.append(str(exc))
    if responses_path is not None:
        try:
            responses = load_responses(responses_path, stations=stations)
        except DataError as exc:
            messages.append(str(exc))
    if messages:
        return False, "\n".join(messages)
    assert stations is not None
    countries = stations["country_code"].nunique()
    text = f"OK: {len(stations)} stations in {countries} countries"
    if responses is None:
        text += " (responses not checked)"
    else:
        text += f", {len(responses)} responses"
    return True, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.validate", description=__doc__)
    parser.add_argument("--stations", type=Path, help=f"stations CSV (default {STATIONS_PATH})")
    parser.add_argument("--responses", type=Path, help=f"responses CSV (default {RESPONSES_PATH})")
    args = parser.parse_args(argv)
    stations = args.stations or STATIONS_PATH
    if args.responses is not None:
        responses = args.responses
    else:
        responses = None if args.stations is not None else RESPONSES_PATH
    ok, text = validate(stations, responses)
    print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
