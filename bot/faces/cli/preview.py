"""`desabot ask`: the answer a villager would get in a private chat, without Telegram."""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.config import Settings
from bot.core.paths import content_dir, nlu_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, respond
from bot.domain.answers.retrieval import QuestionIndex
from bot.domain.replies import Reply
from nlu.service import Understanding


def preview(settings: Settings, questions: list[str]) -> Iterator[Reply]:
    """Answer each question as the bot's text handler would."""
    book = AnswerBook.load(content_dir() / "id" / "answers")
    index = QuestionIndex.for_book(book)
    nlu = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", settings.nlu_backend,
                               settings.rasa_url, settings.rasa_timeout)
    try:
        for question in questions:
            yield respond(Understood.from_parse(nlu.parse(question)), question, book, index)
    finally:
        nlu.close()
