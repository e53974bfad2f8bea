"""Telegram's paid broadcasts: what a message costs and how much of the month's cap is left.

With `allow_paid_broadcast` a bot may send up to 1,000 messages a second instead of about 30;
each message past the free 30 a second costs 0.1 Telegram Star, withdrawn from the bot's
balance (Bot API, `sendMessage.allow_paid_broadcast`, `TransactionPartnerTelegramApi`). A
national quiz to 2 million subscribers takes 18.5 hours at 30 a second and about 40 minutes
at 900, for about 200,000 Stars: real money from an office's budget, so it is off unless
the operator turns it on and names a cap (`PAID_BROADCAST_MONTHLY_STARS`).

Why the cap is per calendar month and per bot: an office budgets by the month (the spending
report and the Stars bought are monthly figures), and each bot has its own Stars balance,
which Telegram draws on for that bot's messages alone, so one regional bot's campaign must
not use up another region's Stars; a cap per broadcast would let ten broadcasts spend ten
caps. The month is the deployment's own (DESABOT_TIMEZONE), the office's calendar.

Counts are whole messages (tenths of a Star), never floats, so a cap is never passed by a
rounding. No telegram import: the sending code in `bot/faces/telegram` asks these rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

MESSAGES_PER_STAR = 10  # 0.1 Star a paid message


@dataclass(frozen=True)
class PaidPolicy:
    """The operator's setting: paid broadcasts on or off, and the monthly cap in Stars."""

    enabled: bool = False
    monthly_stars: float = 0.0

    @property
    def cap_messages(self) -> int:
        """How many paid messages the month's cap pays for (rounded down: never past it)."""
        if not self.enabled or self.monthly_stars <= 0:
            return 0
        return math.floor(self.monthly_stars * MESSAGES_PER_STAR + 1e-9)

    def room(self, spent_messages: int) -> int:
        """Paid messages still allowed this month after `spent_messages`."""
        return max(0, self.cap_messages - spent_messages)


def stars(messages: int) -> float:
    """The Stars `messages` paid messages cost (0.1 each)."""
    return messages / MESSAGES_PER_STAR


def month_of(moment: datetime, tz: ZoneInfo) -> str:
    """The calendar month `moment` falls in for the office ("2026-12"): the cap's period."""
    return moment.astimezone(tz).strftime("%Y-%m")


def is_balance_short(code: int, description: str) -> bool:
    """Telegram refused a paid message because the bot's Stars balance cannot pay for it.

    The specification does not name the error; the emulator answers 400 BALANCE_TOO_LOW
    (bot/emulator/README.md). Any 400 about the balance or Stars on a paid message is taken
    as that: the message did not go, and it goes again at the free pace (never lost).
    """
    text = description.lower()
    return code == 400 and ("balance" in text or "star" in text)
