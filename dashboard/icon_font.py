"""A smaller copy of Streamlit's icon font, for the deployment's proxy to serve.

Streamlit draws its interface icons (the sidebar's arrows, an expander's chevron, a download's
arrow) from Material Symbols, a 376 KB font of about 4,300 icons that every first visit fetches
while the page is still loading its map. The font finds an icon by its name written out
("expand_more" becomes one glyph through a ligature), so a copy that keeps only the names that
Streamlit's own scripts contain draws every icon the interface can show, at about a seventh of
the size.

Which names are kept: every word of Streamlit's JavaScript that names an icon of the font, read
from the installed Streamlit at deployment time (so an upgrade of Streamlit is followed without
a list to maintain), plus `APP_ICONS`, the icons this app asks for itself (none today: a
`:material/name:` icon added to the app goes there). Words are matched loosely (any run of
`[a-z0-9_]`), so a name that only appears as part of a longer string is kept too: a few hundred
unused icons are the price of never losing a used one.

    python -m dashboard.icon_font   # writes the copy and prints its path and size

Needs `fonttools` and `brotli` (in requirements.txt). deploy/run.sh makes the copy before it
starts the proxy; `streamlit run` alone serves Streamlit's full font.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from dashboard.assets import STATIC_DIR, write_atomically
from dashboard.compat import streamlit_static

FONT_GLOB = "MaterialSymbols-*.woff2"
# Icons the app names itself (`icon=":material/...:"`): none at present.
APP_ICONS: frozenset[str] = frozenset()
# Where the copy goes: under this folder at the path the browser asks for (/static/media/...),
# so the proxy serves it with a plain file lookup.
FONT_ROOT = STATIC_DIR / "icon-font"
_WORD = re.compile(r"[a-z0-9_]+")


def source_font(static: Path | None = None) -> Path | None:
    """Streamlit's icon font file, or None if this Streamlit has none (or several)."""
    found = sorted(((static or streamlit_static()) / "static" / "media").glob(FONT_GLOB))
    return found[0] if len(found) == 1 else None


def _ligature_tables(font) -> list:
    """The font's ligature substitution tables (`table.ligatures`: first glyph -> ligatures)."""
    tables = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)  # extension lookups wrap the real one
            if hasattr(table, "ligatures"):
                tables.append(table)
    return tables


def _names(font) -> list[tuple[object, str, object, str]]:
    """(table, first glyph, ligature, the text it stands for) for every ligature."""
    letters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    return [
        (
            table,
            first,
            ligature,
            "".join(letters.get(g, "\0") for g in [first, *ligature.Component]),
        )
        for table in _ligature_tables(font)
        for first, ligatures in table.ligatures.items()
        for ligature in ligatures
    ]


def icon_names(font_path: Path) -> set[str]:
    """Every icon name the font knows."""
    from fontTools.ttLib import TTFont

    return {name for *_, name in _names(TTFont(font_path))}


def names_used(js_dir: Path, known: set[str]) -> set[str]:
    """The icon names that appear as words in the scripts of `js_dir`, with `APP_ICONS`."""
    words: set[str] = set()
    for script in sorted(js_dir.glob("*.js")):
        words.update(_WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
    return (words | APP_ICONS) & known


def subset(font_path: Path, keep: set[str]) -> bytes:
    """The font as WOFF2 with only the icons named in `keep` (and the letters that spell them)."""
    from fontTools import subset as fontsubset
    from fontTools.ttLib import TTFont

    font = TTFont(font_path)
    kept: dict[int, dict[str, list]] = {id(table): {} for table in _ligature_tables(font)}
    for table, first, ligature, name in _names(font):
        if name in keep:
            kept[id(table)].setdefault(first, []).append(ligature)
    for table in _ligature_tables(font):
        table.ligatures = kept[id(table)]
    options = fontsubset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x7F))  # the letters, digits and "_" of the names
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def ensure_icon_font(root: Path = FONT_ROOT, static: Path | None = None) -> Path | None:
    """Write the smaller copy under `root` at the font's URL path (once per Streamlit font: its
    file name carries a hash of its content) and return it; None when this Streamlit has no
    such font or fontTools is missing, and the proxy then serves Streamlit's own."""
    static = static or streamlit_static()
    source = source_font(static)
    if source is None:
        return None
    try:
        import brotli  # noqa: F401  (WOFF2 is Brotli-compressed)
        import fontTools  # noqa: F401
    except ImportError:
        return None
    target = root / "static" / "media" / source.name
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    keep = names_used(static / "static" / "js", icon_names(source))
    content = subset(source, keep)
    # Written then renamed: a second deployment starting at once never serves half a file.
    write_atomically(target, lambda partial: partial.write_bytes(content))
    return target


if __name__ == "__main__":
    made = ensure_icon_font()
    if made is None:
        sys.exit("no icon font copy made (no such font in this Streamlit, or fontTools missing)")
    print(f"{made} ({made.stat().st_size:,} bytes)")
