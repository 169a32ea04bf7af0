"""The gettext catalogs as files: Babel's extractor of the interface's source texts, and
reading and compiling a language's catalog (CONTRIBUTING.md, "Translations").

`pybabel extract -F babel.cfg` calls `extract` on dashboard/i18n.py: every key of
`i18n.MESSAGES` becomes an entry with the key as its context (msgctxt) and the English text as
its msgid, so that translators see the English in Poedit or Weblate and `pybabel update` marks a
translation fuzzy when its English changes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from dashboard import i18n

TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"


def extract(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extraction method: ("pgettext", (key, English)) per message. Messages made from
    the schema's tables (`status_meaning.closed`...) have no line of their own, and the catalogs
    are written without locations (`--no-location`), so the line is always 1."""
    for key, english in i18n.MESSAGES.items():
        yield 1, "pgettext", (key, english), []


def po_path(lang: str) -> Path:
    return i18n.LOCALE_DIR / i18n.CATALOGS[lang] / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def compiled(catalog: Catalog) -> bytes:
    """The `.mo` bytes of a catalog, as `pybabel compile` writes them (fuzzy entries left out)."""
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


# The Traditional draft (scripts/draft_hant.py): OpenCC's Taiwan conversion, then the glossary.
HANT_CONVERSION = "s2twp.json"
GLOSSARY = i18n.LOCALE_DIR / "glossary.tsv"
REVIEWED = "reviewed"  # a translator comment (`# reviewed`) keeps an entry from redrafting


def read_glossary(path: Path = GLOSSARY) -> dict[str, str]:
    """{Simplified term: its Taiwan form}, longest terms first (so that phrases win)."""
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    pairs = [(row[0], row[1]) for row in rows if len(row) >= 2 and row[0]]
    return dict(sorted(pairs, key=lambda pair: -len(pair[0])))


def draft(text: str, convert: Callable[[str], str], glossary: Mapping[str, str]) -> str:
    """`text` in Traditional: each glossary term is set aside (as a private-use character that
    OpenCC leaves alone), the rest converted, then the term's Taiwan form put in its place."""
    marks: dict[str, str] = {}
    for number, (simplified, traditional) in enumerate(glossary.items()):
        if simplified in text:
            mark = chr(0xE000 + number)
            marks[mark] = traditional
            text = text.replace(simplified, mark)
    converted = convert(text)
    for mark, traditional in marks.items():
        converted = converted.replace(mark, traditional)
    return converted


def draft_catalog(
    hans: Catalog,
    before: Catalog | None,
    convert: Callable[[str], str],
    glossary: Mapping[str, str],
) -> Catalog:
    """The zh_Hant catalog drafted from `hans`; entries of `before` marked reviewed are kept
    while their English is unchanged."""
    out = Catalog(
        locale=i18n.CATALOGS["zh-Hant"],
        project=hans.project,
        version=hans.version,
        copyright_holder=hans.copyright_holder,
        msgid_bugs_address=hans.msgid_bugs_address,
        creation_date=hans.creation_date,
        revision_date=hans.revision_date,
        last_translator="drafted by scripts/draft_hant.py; see dashboard/locale/glossary.tsv",
        language_team="繁體中文",
        fuzzy=False,
    )
    out.header_comment = hans.header_comment.replace("Simplified", "Traditional")
    for entry in hans:
        if not entry.id:
            continue
        kept = before.get(entry.id, context=entry.context) if before else None
        if kept and REVIEWED in kept.user_comments and not kept.fuzzy:
            out[entry.id] = kept
            continue
        string = draft(str(entry.string), convert, glossary)
        out.add(entry.id, string, context=entry.context, flags=entry.flags)
    return out


def write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
