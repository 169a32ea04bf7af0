"""Draft the Traditional Chinese catalog (繁體中文, zh_Hant) from the Simplified one.

OpenCC's `s2twp` (Taiwan's characters and vocabulary) converts each translation, after the
reviewed glossary (dashboard/locale/glossary.tsv) has set its terms aside; their Taiwan forms
are put back afterwards. An entry whose translator comment says `reviewed` is kept as it is
while its English is unchanged. Then compile: `pybabel compile -d dashboard/locale`.

    python scripts/draft_hant.py           # rewrite dashboard/locale/zh_Hant/.../messages.po
    python scripts/draft_hant.py --check   # exit 1 if the catalog is not what the draft makes
"""

from __future__ import annotations

import argparse
import io
import sys

import opencc
from babel.messages.pofile import write_po

from dashboard import catalogs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is in step")
    args = parser.parse_args(argv)
    hans_path, hant_path = catalogs.po_path("zh-Hans"), catalogs.po_path("zh-Hant")
    before = catalogs.read(hant_path) if hant_path.exists() else None
    converter = opencc.OpenCC(catalogs.HANT_CONVERSION)
    drafted = catalogs.draft_catalog(
        catalogs.read(hans_path), before, converter.convert, catalogs.read_glossary()
    )
    if args.check:
        out = io.BytesIO()
        write_po(out, drafted, width=0)
        same = hant_path.exists() and out.getvalue() == hant_path.read_bytes()
        print("in step" if same else f"{hant_path} differs from the draft", file=sys.stderr)
        return 0 if same else 1
    hant_path.parent.mkdir(parents=True, exist_ok=True)
    catalogs.write(drafted, hant_path)
    print(f"wrote {hant_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
