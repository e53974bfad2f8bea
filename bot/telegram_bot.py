"""python-telegram-bot's ExtBot, without parsing the messages the bot itself sends.

Telegram answers every `sendMessage` with the whole message it stored (text, entities,
keyboard), and python-telegram-bot turns that into a `Message` object, which sets each of a
Message's ~100 attributes through a Python-level `__setattr__`. Measured under load
(benchmarks/README.md) that was about 0.7 ms per answer, 15% of the bot's CPU, and nothing in
the bot reads the result: so `send_message` (and `reply_text`) return True here. Other
methods (sendPoll, whose poll id the quiz needs, sendPhoto...) return their objects as usual.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot

UNPARSED = frozenset({"sendMessage"})


class DesaBot(ExtBot):
    """ExtBot whose `send_message` returns True instead of the sent Message."""

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        return True if endpoint in UNPARSED and isinstance(result, dict) else result
