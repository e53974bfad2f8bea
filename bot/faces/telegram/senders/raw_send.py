"""Broadcast messages sent without python-telegram-bot's objects, to save CPU per message.

A broadcast sends the same message to thousands of chats. Through python-telegram-bot each
one builds request objects, serialises the same question again and parses the answer into
`Message` and `Poll` objects nobody reads: most of the bot's CPU per broadcast message
(benchmarks/README.md, "CPU per broadcast message"). Here the body is serialised once per
broadcast with a slot for the chat id, posted through the bot's own aiohttp session, and
only `ok`, `error_code`, `retry_after` and the poll's id are read from the answer. Every
interactive message still goes through python-telegram-bot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain.programme.broadcasts import Job
from bot.domain.programme.library import Library
from bot.domain.programme.texts import lesson_reply
from bot.faces.telegram.http_client import AiohttpRequest

QUIZ_OPEN_SECONDS = 3 * 3600  # a village quiz evening: the poll closes three hours after it is sent


@dataclass(frozen=True)
class Answer:
    """Telegram's answer to one broadcast message, the parts the worker needs."""

    ok: bool
    code: int = 200
    description: str = ""
    retry_after: float = 0.0
    poll_id: str | None = None


def payload(job: Job, library: Library) -> tuple[str, dict]:
    """The method and parameters of a broadcast message, without its chat."""
    if job.kind == "quiz":
        q = library.questions[job.content["question"]]
        params: dict = {"question": q.question, "options": [{"text": o} for o in q.options],
                        "type": "quiz", "is_anonymous": False, "correct_option_ids": [q.correct],
                        "open_period": QUIZ_OPEN_SECONDS}
        if q.explanation:
            params["explanation"] = q.explanation
        return "sendPoll", params
    if job.kind == "lesson":
        return "sendMessage", {"text": lesson_reply(library.lessons[job.content["lesson"]]).text}
    return "sendMessage", {"text": job.content["text"][:4096]}


class RawSender:
    """Posts broadcast messages through the bot's session; one body template per broadcast."""

    def __init__(self, request: AiohttpRequest, base_url: str, library: Library) -> None:
        self._request = request
        self._base = base_url
        self._library = library
        self._templates: dict[int, tuple[str, bytes]] = {}

    def body(self, job: Job, paid: bool = False) -> tuple[str, bytes]:
        """The URL and JSON body for `job`: the chat id spliced into the broadcast's template.

        `paid`: with `allow_paid_broadcast` (only broadcast messages ever carry it).
        """
        cached = self._templates.get(job.broadcast_id)
        if cached is None:
            if len(self._templates) > 1000:
                self._templates.clear()
            method, params = payload(job, self._library)
            rest = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()
            cached = self._templates[job.broadcast_id] = (f"{self._base}/{method}", rest[1:])
        url, rest = cached
        if paid:
            return url, b'{"chat_id":%d,"allow_paid_broadcast":true,%s' % (job.chat_id, rest)
        return url, b'{"chat_id":%d,%s' % (job.chat_id, rest)

    async def send(self, job: Job, read_timeout: float, paid: bool = False) -> Answer:
        """One message; raises NotSent, TimedOut or AnswerLost as the bot's client does."""
        url, body = self.body(job, paid)
        status, raw = await self._request.post_json(url, body, read_timeout)
        return parse(status, raw)


def parse(status: int, raw: bytes) -> Answer:
    """Read only what decides the delivery's status from Telegram's answer."""
    try:
        data = json.loads(raw)
    except ValueError:
        return Answer(False, status if status >= 500 else 502, "unreadable answer")
    if not isinstance(data, dict):
        return Answer(False, 502, "unreadable answer")
    if data.get("ok"):
        result = data.get("result")
        poll = result.get("poll") if isinstance(result, dict) else None
        return Answer(True, poll_id=poll.get("id") if isinstance(poll, dict) else None)
    parameters = data.get("parameters") or {}
    return Answer(False, int(data.get("error_code") or status),
                  str(data.get("description") or ""),
                  float(parameters.get("retry_after") or 0))
