"""Interface strings through gettext catalogs, with the locale held per update.

The locale lives in a ContextVar, not a global, because python-telegram-bot runs updates of
different users concurrently: one user's language must never leak into another's reply.
Catalogs are read from `content/<locale>/LC_MESSAGES/desabot.po` and compiled in memory, so a
fresh clone needs no build step to start; `desabot i18n compile` writes the `.mo` files too.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.core.paths import content_dir

DOMAIN = "desabot"
DEFAULT_LOCALE = "id"
_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for `locale` (untranslated English if there is none)."""
    po_path = content_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def set_locale(locale: str) -> None:
    """Use `locale` for the rest of the current update (task)."""
    _locale.set(locale)


def current_locale() -> str:
    """The locale of the update being handled."""
    return _locale.get()


def _(message: str) -> str:
    """Translate an interface string into the current locale."""
    return translations(_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form (Indonesian has one form, English two)."""
    return translations(_locale.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level constants)."""
    return message
