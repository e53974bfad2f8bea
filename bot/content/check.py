"""`desabot content check`: every content file valid, or a message naming file and line."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.yamlfile import ContentError
from bot.domain.answers import AnswerBook
from bot.paths import content_dir


def _answers() -> str:
    book = AnswerBook.load(content_dir() / "id" / "answers")
    countries = len(book["country_info"].countries)
    return f"answers: {len(book.answers)} intents, {countries} countries"


CHECKS: list[Callable[[], str]] = [_answers]


def check_all() -> list[str]:
    """Run every check; raises ContentError on the first broken file."""
    lines = [check() for check in CHECKS]
    if not lines:
        raise ContentError("no content checks ran")
    return [*lines, "content ok"]
