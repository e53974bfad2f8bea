"""What a villager tells in a report: one list of fields for the draft and for the stored tip.

The draft (`flow.Draft`, saved after every step) and the tip to submit (`submission.TipInput`)
carry the same answers; declared once here, a new question cannot be added to one and
forgotten in the other.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(kw_only=True)
class TipAnswers:
    """The report's answers, all optional: a villager may skip every step but the story."""

    story: str = ""
    offer_text: str = ""
    recruiter: str = ""
    destination: str = ""
    at_risk: str = ""
    timing: str = ""
    village_id: int | None = None
    consent: bool = False

    def answers(self) -> dict[str, Any]:
        """Just the answers (not the draft's step or the tip's risk), by field name."""
        return {f.name: getattr(self, f.name) for f in fields(TipAnswers)}
