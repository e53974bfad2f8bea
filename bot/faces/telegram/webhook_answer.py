"""A reply carried in the webhook's own HTTP answer, as the Bot API allows, saving a request.

Telegram lets the answer to a webhook request carry one Bot API method ("Making requests when
getting updates"): the bot's first message of an update then goes back on the connection the
update came in on, not as a second HTTPS request. Under a campaign's load that request was a
sizeable share of each update's CPU (benchmarks/load.py). The price, in Telegram's words, is
that the bot cannot know whether such a call succeeded or see its result. So only a plain
`sendMessage` that nothing reads the result of is carried (the bot's `send_message` returns
True anyway, `ext_bot.py`); anything else goes the normal way. Order stays as written: when an
update makes a second call, the held message is sent first, the normal way.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any

from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

CARRIED = frozenset({"sendMessage"})


class AnswerSlot:
    """The one call an update's webhook answer may carry; owned by the task handling it."""

    def __init__(self) -> None:
        self.owner = asyncio.current_task()
        self.held: tuple[str, dict[str, Any], dict[str, Any]] | None = None
        self.closed = False

    def may_hold(self, endpoint: str, data: dict[str, Any]) -> bool:
        """True for the update's first call when it is a plain message of this task."""
        return (not self.closed and self.held is None and endpoint in CARRIED
                and asyncio.current_task() is self.owner
                and not any(isinstance(v, bytes) or hasattr(v, "input_file_content")
                            for v in data.values()))

    def hold(self, endpoint: str, data: dict[str, Any], kwargs: dict[str, Any]) -> None:
        """Keep the call for the webhook answer."""
        self.held = (endpoint, data, kwargs)

    def release(self) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
        """The held call, to be sent now the normal way; the slot takes nothing more."""
        held, self.held, self.closed = self.held, None, True
        return held

    def body(self) -> dict[str, Any] | None:
        """The webhook answer's JSON (`method` and the parameters), closing the slot."""
        held, self.held, self.closed = self.held, None, True
        if held is None:
            return None
        endpoint, data, _ = held
        params = RequestData([RequestParameter.from_input(k, v) for k, v in data.items()])
        return {"method": endpoint, **params.json_parameters}


SLOT: ContextVar[AnswerSlot | None] = ContextVar("desabot_webhook_answer", default=None)
