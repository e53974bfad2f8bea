"""Extract, update, compile and check the gettext catalogs (the `desabot i18n` commands).

`check` is what the test suite runs: it fails when the code has a string the catalog lacks
(untranslated), the catalog keeps a string the code no longer has (stale), or a translation
is empty or fuzzy.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.core.i18n import DOMAIN
from bot.core.paths import ROOT, content_dir

PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LOCALES = ("id",)
# The web dashboard's Jinja2 templates call _() like the code does (bot/faces/web/templates).
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]


def extract() -> Catalog:
    """Every marked string in the bot's code, with where it is used."""
    catalog = Catalog(project="desabot", domain=DOMAIN)
    for package in ("bot", "scheduler"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / package, method_map=METHODS, keywords=KEYWORDS
        ):
            catalog.add(message, None, [(f"{package}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    """The catalog file of one locale."""
    return content_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(locale: str) -> Catalog:
    """Read a locale's catalog."""
    with po_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def update() -> list[str]:
    """Write the template and merge it into each locale; returns new or emptied msgids."""
    template = extract()
    with (content_dir() / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=100, omit_header=False)
    todo = []
    for locale in LOCALES:
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read(locale) if path.exists() else Catalog(locale=locale, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        todo += [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and
                 not m.string]
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100)
    return todo


def compile_all() -> None:
    """Write the `.mo` file of each locale beside its `.po`."""
    for locale in LOCALES:
        with po_path(locale).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, read(locale))


def problems() -> list[str]:
    """What is wrong with the catalogs compared with the code; empty when all is well."""
    wanted = {m.id for m in extract() if m.id}
    found: list[str] = []
    for locale in LOCALES:
        catalog = read(locale)
        have = {m.id for m in catalog if m.id}
        found += [f"{locale}: untranslated (missing from the catalog): {_show(m)}"
                  for m in sorted(wanted - have, key=str)]
        found += [f"{locale}: stale (no longer in the code): {_show(m)}"
                  for m in sorted(have - wanted, key=str)]
        for message in catalog:
            if message.id and (not _translated(message.string) or message.fuzzy):
                found.append(f"{locale}: empty or fuzzy translation: {_show(message.id)}")
            elif message.id and _fields(message.id) != _fields(message.string):
                found.append(f"{locale}: placeholders differ from the source: {_show(message.id)}")
    return found


def _fields(text: str | tuple) -> set[str]:
    """The {placeholders} of a message; a translation must keep exactly the same ones."""
    parts = text if isinstance(text, tuple) else (text,)
    return {name for part in parts for name in PLACEHOLDER_RE.findall(part or "")}


def _translated(string: str | tuple) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def _show(msgid: str | tuple) -> str:
    return repr(msgid if isinstance(msgid, str) else msgid[0])
