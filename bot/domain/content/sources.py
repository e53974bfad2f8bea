"""Where a fact comes from: every answer, lesson, quiz question and red flag carries one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date

from bot.domain.content.yamlfile import ContentError, where

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNDATED = "t.t."


@dataclass(frozen=True)
class Source:
    """A publisher, a title, a URL and a date ("t.t." when the source gives none)."""

    publisher: str
    title: str
    url: str
    date: str

    def line(self, locale: str = "id") -> str:
        """One readable line: publisher, title, date (Babel, for the `id` locale)."""
        when = self.date
        if DATE_RE.match(self.date):
            when = format_date(date.fromisoformat(self.date), "d MMM y", locale=locale)
        return f"{self.publisher}, \u201c{self.title}\u201d, {when}"

    def brief(self, locale: str = "id") -> str:
        """Publisher and date only: several of these fit under a short answer on a phone."""
        if not DATE_RE.match(self.date):
            return self.publisher
        when = format_date(date.fromisoformat(self.date), "d MMM y", locale=locale)
        return f"{self.publisher} ({when})"


def parse_source(raw: Any, path: Path, context: str) -> Source:
    """Validate one source entry and build it; a broken one names file, line and field."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where(path, raw)}: {context}: a source must be a mapping")
    missing = [k for k in ("publisher", "title", "url", "date") if not str(raw.get(k) or "")]
    if missing:
        raise ContentError(f"{where(path, raw)}: {context}: source lacks {', '.join(missing)}")
    value = str(raw["date"])
    if value != UNDATED and not DATE_RE.match(value):
        raise ContentError(f"{where(path, raw)}: {context}: source date {value!r} is not "
                           "YYYY-MM-DD or t.t.")
    if not str(raw["url"]).startswith(("http://", "https://")):
        raise ContentError(f"{where(path, raw)}: {context}: source url must be http(s)")
    return Source(str(raw["publisher"]), str(raw["title"]), str(raw["url"]), value)
