"""The Stars each bot spent on paid broadcasts this month, beside the office's broadcasts.

Shown on the Programme page only when PAID_BROADCAST is on, so an office that never pays
never sees Stars; the figures come from the counter the senders share
(bot/domain/messaging/star_spend.py), the cap from the setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.config import Settings
from bot.core.storage.models import utcnow
from bot.core.storage.session import Database
from bot.domain.messaging import star_spend
from bot.domain.messaging.paid_broadcast import PaidPolicy, month_of, stars


@dataclass(frozen=True)
class PaidSpend:
    """One bot's paid broadcasts this month."""

    bot_key: str
    spent_stars: float
    cap_stars: float

    @property
    def reached(self) -> bool:
        """The cap is used up: this bot's broadcasts go at the free pace until next month."""
        return self.spent_stars >= self.cap_stars


def paid_spend(db: Database, settings: Settings) -> list[PaidSpend]:
    """Every bot's spend and cap this month; empty when paid broadcasts are off."""
    policy = PaidPolicy(settings.paid_broadcast, settings.paid_broadcast_monthly_stars)
    if not policy.cap_messages:
        return []
    spent = star_spend.spent_by_bot(db, month_of(utcnow(), settings.tz))
    return [PaidSpend(bot.key, stars(spent.get(_bot_id(bot.token), 0)),
                      stars(policy.cap_messages)) for bot in settings.bots]


def _bot_id(token: str) -> int:
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0
