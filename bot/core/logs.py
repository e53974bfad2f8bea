"""Log lines: one per event, as text for people or as JSON for log collectors.

`LOG_FORMAT=json` writes one JSON object per line (time, level, logger, message, the worker
process and, for errors, the traceback folded into the same line), which journald, Loki or
any log shipper can index without parsing prose. Personal data stays out of the messages
themselves: the code logs update and report ids, never reporters' names or texts.

`LOG_LEVEL=DEBUG` stays safe in production: every line (tracebacks too) passes `Redactor`,
which masks the bot token and the webhook secret, SQL statement parameters and PostgreSQL's
DETAIL lines (which quote the row: a reporter's id or name); and python-telegram-bot's and
the HTTP libraries' debug output, which dumps every update in full (names, usernames, phone
numbers, report texts), stays at INFO unless `LOG_UPDATES=1` asks for it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WORKER_ENV = "DESABOT_WORKER_INDEX"
# Libraries whose DEBUG output dumps updates and requests in full.
UPDATE_DUMPERS = ("telegram", "httpx", "httpcore", "aiohttp.client", "hpack")
TOKEN_SHAPE = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{30,}")  # BotFather: bot id, colon, 35 chars
PARAMETERS = re.compile(r"\[parameters: [^\n]*")
DETAIL = re.compile(r"^DETAIL: .*$", re.MULTILINE)
MASK = "[hidden]"


class Redactor(logging.Filter):
    """Masks secrets and database row values in a record before any handler formats it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with tokens, secrets, SQL parameters and DETAIL lines masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = TOKEN_SHAPE.sub(MASK, text)
        text = PARAMETERS.sub(f"[parameters: {MASK}]", text)
        return DETAIL.sub(f"DETAIL: {MASK}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the message (arguments merged) and the traceback text by masked ones."""
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info or record.exc_text:  # another handler may have formatted it first
            record.exc_text = self.redact(
                record.exc_text or logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        """Time in UTC (ISO 8601), level, logger, message, worker, traceback if any."""
        event: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        worker = os.environ.get(WORKER_ENV)
        if worker is not None:
            event["worker"] = int(worker)
        if record.exc_info:
            event["traceback"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


def setup(level: str, fmt: str = "text", log_updates: bool = False,
          secrets: Iterable[str] = ()) -> None:
    """Configure the root logger unless the host (a test runner) already did.

    Every root handler gets the `Redactor`. Libraries that chatter at INFO are kept at
    WARNING; those that dump updates at DEBUG stay at INFO unless `log_updates`.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter() if fmt == "json"
                             else logging.Formatter(TEXT_FORMAT))
        root.addHandler(handler)
    redactor = Redactor(secrets)
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, Redactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    set_levels(level, log_updates)


def set_levels(level: str | int, log_updates: bool = False) -> None:
    """The root level; chatty libraries at WARNING; update dumps only with `log_updates`."""
    logging.getLogger().setLevel(level)
    for noisy in ("httpx", "apscheduler", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for dumper in UPDATE_DUMPERS:
        logger = logging.getLogger(dumper)
        if log_updates:
            logger.setLevel(level)
        else:
            logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
