"""LOG_FORMAT=json: one parseable line per event, the traceback inside it."""

from __future__ import annotations

import json
import logging

import pytest

from bot.core.config import ConfigError, load_settings
from bot.core.logs import JsonFormatter


def test_a_json_log_line_holds_the_whole_event_even_with_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESABOT_WORKER_INDEX", "1")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("bot.faces.telegram.handlers.errors", logging.ERROR, __file__, 1,
                                   "update %s failed", (42,), exc_info=True)
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line  # one line per event, whatever the traceback
    event = json.loads(line)
    assert event["level"] == "ERROR" and event["logger"] == "bot.faces.telegram.handlers.errors"
    assert event["message"] == "update 42 failed" and event["worker"] == 1
    assert "ValueError: boom" in event["traceback"]
    assert event["time"].endswith("+00:00")


def test_log_format_is_checked() -> None:
    assert load_settings({"LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        load_settings({"LOG_FORMAT": "xml"})
