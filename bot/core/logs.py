"""Log lines: one per event, as text for people or as JSON for log collectors.

`LOG_FORMAT=json` writes one JSON object per line (time, level, logger, message, the worker
process and, for errors, the traceback folded into the same line), which journald, Loki or
any log shipper can index without parsing prose. Personal data stays out of the messages
themselves: the code logs update and report ids, never reporters' names or texts.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WORKER_ENV = "DESABOT_WORKER_INDEX"


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
            event["traceback"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


def setup(level: str, fmt: str = "text") -> None:
    """Configure the root logger unless the host (a test runner) already did.

    Libraries that chatter at INFO are kept at WARNING.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter() if fmt == "json"
                             else logging.Formatter(TEXT_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "apscheduler", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
