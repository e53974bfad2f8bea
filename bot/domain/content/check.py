"""`desabot content check`: every content file valid, or a message naming file and line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.content.facts import FactRegistry
from bot.domain.content.language import require_plain
from bot.domain.content.numbers import require_no_hardcoded_contacts
from bot.domain.content.prose import LENIENT, require_backed
from bot.domain.content.yamlfile import ContentError
from bot.domain.programme.library import Library


def _facts() -> str:
    registry = FactRegistry.load(content_dir() / "id" / "facts")
    used = require_backed(content_dir() / "id", registry, datetime.now(UTC).date())
    require_no_hardcoded_contacts(content_dir() / "id" / "LC_MESSAGES" / "desabot.po", registry)
    require_plain(content_dir() / "id", registry)
    lenient = f"; not yet checked: {', '.join(sorted(LENIENT))}" if LENIENT else ""
    return f"facts: {len(registry.facts)} in the registry, {used} used{lenient}"


def _answers() -> str:
    book = AnswerBook.load(content_dir() / "id" / "answers")
    countries = len(book["country_info"].countries)
    return f"answers: {len(book.answers)} intents, {countries} countries"


def _library() -> str:
    library = Library.load(content_dir() / "id")
    if len(library.lessons) < 12 or len(library.questions) < 60:
        raise ContentError(f"{content_dir() / 'id'}: need at least 12 lessons and 60 quiz "
                           f"questions, found {len(library.lessons)} and "
                           f"{len(library.questions)}")
    return (f"lessons: {len(library.lessons)}; quiz questions: {len(library.questions)} in "
            f"{len(library.topics)} topics")


def _red_flags() -> str:
    from bot.domain.offers.rules import load_rules

    try:
        rules = load_rules(content_dir() / "id" / "offers" / "red_flags.yml")
    except ValueError as exc:
        raise ContentError(str(exc)) from None
    return f"red flags: {len(rules.flags)}"


CHECKS: list[Callable[[], str]] = [_facts, _answers, _library, _red_flags]


def check_all() -> list[str]:
    """Run every check; raises ContentError on the first broken file."""
    lines = [check() for check in CHECKS]
    if not lines:
        raise ContentError("no content checks ran")
    return [*lines, "content ok"]
