"""What one bot of the deployment does: its key, its deliveries, whether it leads."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.bot_tokens import DEFAULT_KEY
from bot.domain.messaging.bots import BotShare


@dataclass(frozen=True)
class BotRole:
    """One Application's part in a deployment of one or several bots.

    `primary`: the default bot, which takes part in leading (outbox, scheduler, periodic
    jobs) and serves the companions (the dashboard). `share`: the deliveries it sends
    (None: all of them, the single-bot case). `speaking`: its key as the domain stores it
    (None for the default bot, whose rows carry no key).
    """

    key: str = DEFAULT_KEY
    primary: bool = True
    share: BotShare | None = None
    speaking: str | None = None


SOLE = BotRole()  # the one bot of a single-token deployment
