"""The bot's HTTP client for the Bot API: python-telegram-bot's `BaseRequest` on aiohttp.

python-telegram-bot ships `HTTPXRequest`. Under a campaign's load (hundreds of replies a
second) httpcore's connection pool rescans every pooled connection, with a `poll` and a
`getpeername` system call each, on every request: measured, the event loop spent most of its
time there and the bot topped out near 130 replies a second (benchmarks/README.md). aiohttp's
pool hands out a connection in constant time and parses responses in C. python-telegram-bot
documents `BaseRequest` as the way to bring another HTTP library; errors are mapped to its
own `TimedOut` and `NetworkError` so retries and the outbox behave exactly as with httpx.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.core.storable_text import may_need_cleaning, storable_json

log = logging.getLogger(__name__)
JSON_HEADERS = {"Content-Type": "application/json"}


class NotSent(NetworkError):
    """The request never left: no connection could be made (or none was free in time).

    Safe to retry. Every other failure (a read timeout, a connection closed before the answer)
    may come after Telegram carried the request out: see `AnswerLost`.
    """


class AnswerLost(NetworkError):
    """The request may have reached Telegram, but its answer was lost on the way back."""


@contextmanager
def _client_errors() -> Iterator[None]:
    """Aiohttp's failures as the bot's: not sent (safe to retry), timed out, or answer lost.

    The difference decides whether a broadcast message may be sent again: one that never left
    may, one whose answer was lost must not (the villager may already have it).
    """
    try:
        yield
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
        raise NotSent(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc
    except TimeoutError as exc:
        raise TimedOut from exc
    except aiohttp.ClientError as exc:
        raise AnswerLost(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded pool of keep-alive connections."""

    def __init__(self, pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float = 20.0) -> None:
        self._pool_size = pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Telegram's answer, with NUL and lone surrogates cleaned from every string.

        This is where updates enter the bot when polling, so what PostgreSQL cannot store
        never reaches a handler. Unlike python-telegram-bot's own parser, an unreadable
        answer is not logged in full: it may hold villagers' messages.
        """
        try:
            parsed = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as exc:
            log.error("Telegram's answer is not JSON (%d bytes)", len(payload))
            raise TelegramError("Invalid server response") from exc
        return storable_json(parsed) if may_need_cleaning(payload) else parsed

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, as python-telegram-bot expects to find it."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (inside the running event loop, as aiohttp requires)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0,
                                             ttl_dns_cache=300, enable_cleanup_closed=True)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """Send one request; returns the status code and the raw body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout,
                                bool(files))
        with _client_errors():
            async with self._session.request(method, url, data=_body(request_data, files),
                                             headers=None if files else JSON_HEADERS,
                                             timeout=timeout) as response:
                return response.status, await response.read()

    async def post_json(self, url: str, body: bytes, read_timeout: float) -> tuple[int, bytes]:
        """POST a body serialised already (a broadcast's messages): no request objects.

        Failures map to the same errors as `do_request`.
        """
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(total=None, connect=_add(self._connect, self._pool),
                                        sock_connect=self._connect, sock_read=read_timeout)
        with _client_errors():
            async with self._session.post(url, data=body, headers=JSON_HEADERS,
                                          timeout=timeout) as response:
                return response.status, await response.read()

    def _timeout(self, read: object, write: object, connect: object, pool: object,
                 has_files: bool) -> aiohttp.ClientTimeout:
        """Aiohttp has no write timeout; a stalled upload is caught by the read timeout."""
        read_s = self._read if _is_default(read) else read
        if has_files and _is_default(write) and read_s is not None:
            read_s = max(float(read_s), self._media_write)  # type: ignore[arg-type]
        connect_s = self._connect if _is_default(connect) else connect
        pool_s = self._pool if _is_default(pool) else pool
        return aiohttp.ClientTimeout(
            total=None,
            connect=_add(connect_s, pool_s),  # aiohttp's connect includes waiting for the pool
            sock_connect=connect_s,  # type: ignore[arg-type]
            sock_read=read_s,  # type: ignore[arg-type]
        )


def _is_default(value: object) -> bool:
    return value is BaseRequest.DEFAULT_NONE or type(value).__name__ == "DefaultValue"


def _add(first: object, second: object) -> float | None:
    """None (no limit) wins over any number."""
    if first is None or second is None:
        return None
    return float(first) + float(second)  # type: ignore[arg-type]


def _body(request_data: RequestData | None, files: dict | None) -> object:
    """JSON, which the Bot API accepts for every method; multipart when there are files.

    URL-encoding the fields of every reply, as a form, cost 6% of the bot's CPU under load
    (urllib's quoting is pure Python); `json_payload` is python-telegram-bot's own JSON body.
    """
    if request_data is None:
        return None
    if not files:
        return request_data.json_payload
    fields = request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
