"""python-telegram-bot's ExtBot, without parsing the messages the bot itself sends.

Telegram answers every `sendMessage` with the whole message it stored (text, entities,
keyboard), and python-telegram-bot turns that into a `Message` object, which sets each of a
Message's ~100 attributes through a Python-level `__setattr__`. Measured under load
(benchmarks/README.md) that was about 0.7 ms per answer, 15% of the bot's CPU, and nothing in
the bot reads the result: so `send_message` (and `reply_text`) return True here. Other
methods (sendPoll, whose poll id the quiz needs, sendPhoto...) return their objects as usual.

Every message it sends outside a broadcast is charged to the token's sending budget before it
leaves (`bot.faces.telegram.send_budget`), so replies and broadcasts share Telegram's limit.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot

from bot.faces.telegram.pacer import BROADCASTING
from bot.faces.telegram.send_budget import LocalBudget, SendBudget
from bot.faces.telegram.webhook_answer import SLOT

UNPARSED = frozenset({"sendMessage"})
SENDS = frozenset({"sendMessage", "sendPoll", "sendPhoto", "sendDocument", "sendSticker",
                   "sendVoice", "sendLocation", "sendContact", "copyMessage", "forwardMessage"})


class DesaBot(ExtBot):
    """ExtBot whose `send_message` returns True instead of the sent Message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_budget(LocalBudget())  # this process alone, until start-up says otherwise

    def use_budget(self, budget: SendBudget) -> None:
        """Send within `budget` (the Redis-shared one when several processes share the token)."""
        with self._unfrozen():  # python-telegram-bot freezes its objects after __init__
            self.budget = budget

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        if endpoint not in SENDS or BROADCASTING.get():  # broadcasts took their share already
            result = await super()._post(endpoint, *args, **kwargs)
        else:
            ticket = await self.budget.reply_turn()  # charged before it leaves
            try:
                result = await super()._post(endpoint, *args, **kwargs)
            finally:
                self.budget.replied(ticket)
        return True if endpoint in UNPARSED and isinstance(result, dict) else result

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """A webhook update's first message may ride on the webhook answer (`webhook_answer`).

        Not with a budget shared by several processes: its place in the token's window must
        last until a second after Telegram carried it out, and nobody learns when that is.
        """
        slot = SLOT.get()
        if slot is not None and not BROADCASTING.get() and not self.budget.shared:
            if slot.may_hold(endpoint, data):
                self._extract_rl_kwargs(data)
                slot.hold(endpoint, data, kwargs)
                return {}  # as if sent; nothing reads a sent message (see UNPARSED)
            held = slot.release()  # a second call: the held message goes first, as written
            if held is not None:
                await super()._do_post(held[0], held[1], **held[2])
        return await super()._do_post(endpoint, data, **kwargs)
