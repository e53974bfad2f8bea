"""python-telegram-bot's ExtBot, without parsing the messages the bot itself sends.

Telegram answers every `sendMessage` with the whole message it stored (text, entities,
keyboard), and python-telegram-bot turns that into a `Message` object, which sets each of a
Message's ~100 attributes through a Python-level `__setattr__`. Measured under load
(benchmarks/README.md) that was about 0.7 ms per answer, 15% of the bot's CPU, and nothing in
the bot reads the result: so `send_message` (and `reply_text`) return True here. Other
methods (sendPoll, whose poll id the quiz needs, sendPhoto...) return their objects as usual.

Every message it sends is also told to the broadcast pacer (`bot.faces.telegram.pacer`), so replies
and broadcasts share Telegram's overall budget.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot

from bot.faces.telegram.pacer import Pacer

UNPARSED = frozenset({"sendMessage"})
SENDS = frozenset({"sendMessage", "sendPoll", "sendPhoto", "sendDocument", "sendSticker",
                   "sendVoice", "sendLocation", "sendContact", "copyMessage", "forwardMessage"})


class DesaBot(ExtBot):
    """ExtBot whose `send_message` returns True instead of the sent Message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # python-telegram-bot freezes its objects after __init__
            self.pacer = Pacer()  # one per process: the budget of this bot's sends

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        if endpoint in SENDS:
            self.pacer.note_send()
        result = await super()._post(endpoint, *args, **kwargs)
        return True if endpoint in UNPARSED and isinstance(result, dict) else result
