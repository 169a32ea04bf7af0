"""What changed between two copies of the data, by id and field.

    python -m dashboard.diff OLD_DIR NEW_DIR

Compares `stations.csv` and `responses.csv` (the tables of `dashboard/schema.py`) in the two
folders, row by row on each table's key, and prints what was added, removed and changed, field
by field, old value then new: what a reviewer checks in a data change, and what the changelog
lists. Values are compared as the files hold them (text), so a reformatted number shows too.
Exit status: 0 when nothing changed, 1 when something did, 2 when a file cannot be read.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.schema import RESPONSES, STATIONS, Table

TABLES = (STATIONS, RESPONSES)


@dataclass
class TableDiff:
    """One table's changes: ids added and removed, and {id: [(field, old, new)]} changed."""

    table: Table
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class Unreadable(Exception):
    """A file that is missing, or has no key column."""


def read_rows(path: Path, table: Table) -> dict[str, dict[str, str]]:
    """The file's rows by key (utf-8, a byte-order mark allowed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(f"{path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or table.primary_key not in reader.fieldnames:
        raise Unreadable(f"{path}: no {table.primary_key} column")
    return {row[table.primary_key]: row for row in reader}


def compare(
    old: dict[str, dict[str, str]], new: dict[str, dict[str, str]], table: Table
) -> TableDiff:
    found = TableDiff(table)
    found.added = sorted(set(new) - set(old))
    found.removed = sorted(set(old) - set(new))
    for key in sorted(set(old) & set(new)):
        names = [*table.names, *sorted((set(old[key]) | set(new[key])) - set(table.names))]
        fields = [
            (name, old[key].get(name) or "", new[key].get(name) or "")
            for name in names
            if (old[key].get(name) or "") != (new[key].get(name) or "")
        ]
        if fields:
            found.changed[key] = fields
    return found


def diff_dirs(old_dir: Path, new_dir: Path) -> list[TableDiff]:
    return [
        compare(read_rows(old_dir / t.path, t), read_rows(new_dir / t.path, t), t) for t in TABLES
    ]


def report(diffs: list[TableDiff]) -> str:
    lines = []
    for found in diffs:
        table = found.table
        head = (
            f"{table.path}: {len(found.added)} added, {len(found.removed)} removed, "
            f"{len(found.changed)} changed"
        )
        lines.append(head)
        lines += [f"  + {key}" for key in found.added]
        lines += [f"  - {key}" for key in found.removed]
        for key, fields in found.changed.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {name}: {old!r} -> {new!r}" for name, old, new in fields]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m dashboard.diff OLD_DIR NEW_DIR", file=sys.stderr)
        return 2
    try:
        diffs = diff_dirs(Path(args[0]), Path(args[1]))
    except Unreadable as exc:
        print(f"cannot compare: {exc}", file=sys.stderr)
        return 2
    print(report(diffs))
    return 0 if all(d.empty for d in diffs) else 1


if __name__ == "__main__":
    sys.exit(main())
