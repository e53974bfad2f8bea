"""The entries' question variants reach the NLU as training data, and no held-out example."""

from __future__ import annotations

from bot.core.paths import content_dir, nlu_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.training import FILE_NAME, country_lookup, entry_training_data, examples_in

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
HELD_OUT = [nlu_dir() / "tests" / "test_data.yml",
            nlu_dir().parent / "tests" / "fixtures" / "nlu_fresh.yml"]


def test_the_training_file_is_written_from_the_current_entries() -> None:
    """Run `desabot content nlu-entries` after changing entry variants."""
    data = nlu_dir() / "data"
    taken = examples_in([*(p for p in data.glob("*.yml") if p.name != FILE_NAME),
                         *(p for p in HELD_OUT if p.exists())])
    expected = entry_training_data(BOOK, taken, country_lookup(data))
    assert (data / FILE_NAME).read_text(encoding="utf-8") == expected


def test_no_held_out_message_becomes_training_data() -> None:
    held_out = examples_in(p for p in HELD_OUT if p.exists())
    assert held_out and not held_out & examples_in([nlu_dir() / "data" / FILE_NAME])
