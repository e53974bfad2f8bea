"""The path a villager's private message takes to its answer (the embedded NLU, then
`respond`), set up once for the fact benchmarks so that fact_answers.py, fact_guard.py and
fact_overrides.py measure the same pipeline the bot runs, not three copies of it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.core.config import load_settings  # noqa: E402
from bot.core.paths import content_dir, nlu_dir  # noqa: E402
from bot.domain.answers.book import AnswerBook  # noqa: E402
from bot.domain.answers.conversation import Understood, respond  # noqa: E402
from bot.domain.answers.retrieval import QuestionIndex  # noqa: E402
from bot.domain.replies import Reply  # noqa: E402
from nlu.service import Understanding  # noqa: E402


@dataclass
class AnswerPipeline:
    """The answer book, its question index and the embedded NLU."""

    book: AnswerBook
    index: QuestionIndex
    nlu: Understanding

    def understand(self, text: str) -> Understood:
        """What the NLU makes of a message."""
        return Understood.from_parse(self.nlu.parse(text))

    def answer(self, text: str) -> Reply:
        """The reply a villager would get to `text` in a private chat."""
        return respond(self.understand(text), text, self.book, self.index)


@contextmanager
def answer_pipeline() -> Iterator[AnswerPipeline]:
    """The pipeline with the content under content/id and the embedded NLU (trained or loaded
    from the data directory's cache), closed afterwards."""
    settings = load_settings()
    book = AnswerBook.load(content_dir() / "id" / "answers")
    nlu = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", "embedded",
                               settings.rasa_url, settings.rasa_timeout)
    try:
        yield AnswerPipeline(book, QuestionIndex.for_book(book), nlu)
    finally:
        nlu.close()
