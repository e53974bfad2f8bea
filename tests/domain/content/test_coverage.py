"""A fact-sheet bullet counts as answerable only when a fact states it, not its page."""

from __future__ import annotations

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.content.coverage import bullets, coverage, uncarried
from bot.domain.content.facts import FactRegistry

FACTS = FactRegistry.load(content_dir() / "id" / "facts")
BOOK = AnswerBook.load(content_dir() / "id" / "answers", FACTS)


def test_a_bullet_citing_a_page_another_fact_states_is_still_a_gap() -> None:
    """Two bullets cite one page; the registry states only the overstay fine."""
    fact = FACTS["pulang.overstay_setahun"]
    sheet = (f"### 3f. Pulang\n- {fact.statement} — *gloss* — [{fact.source.url}, t.t.]\n"
             f"- Petugas KBRI mendampingi korban ke bandara. — *gloss* — "
             f"[{fact.source.url}, t.t.]\n"
             f"- Lama (diganti) — [{fact.source.url}, t.t.]\n")
    rows = coverage(bullets(sheet), FACTS, BOOK)
    assert all("pulang.overstay_setahun" in r.facts for r in rows)
    gaps = uncarried(rows, FACTS)
    assert [r.bullet.line for r, _ in gaps] == [3]
    assert gaps[0][1] < 0.45
