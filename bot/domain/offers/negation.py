"""Negation: "tanpa biaya" is the opposite of a fee, "bukan visa turis" of a tourist visa.

Every extractor and every red-flag pattern reads matches through `positives`, so one list of
negating words decides for all of them what a denied sign looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NEGATION = re.compile(r"(?:^|[^\w])(?:bukan|tidak|tanpa|jangan|tak|belum|bebas|gratis|free|zero|"
                      r"nol|no|non|anti)\s+(?:\w+\s+)?$")


# A negation does not reach over a line or a sentence: "sehat, gak tato\nBELI JOB 45JT" asks
# for the job to be bought.
_BREAK = re.compile(r"[\n.!?;·]")


def negated(text: str, start: int) -> bool:
    """Whether the words right before ``start`` negate what follows ("tanpa biaya")."""
    before = text[max(0, start - 24): start]
    breaks = [m.end() for m in _BREAK.finditer(before)]
    return bool(NEGATION.search(before[breaks[-1]:] if breaks else before))


def positives(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that are not negated."""
    return (m for m in pattern.finditer(text) if not negated(text, m.start()))

