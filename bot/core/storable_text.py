"""Text every database can store: no NUL, no lone surrogate halves.

PostgreSQL refuses a NUL character in any text column, and a lone UTF-16 surrogate (JSON may
carry U+D800 unpaired) cannot be encoded as UTF-8 by either driver; one such character in a
villager's message made the whole tip impossible to send. Updates are cleaned where they
enter the bot (the Bot API client's JSON parser and the webhook), so no handler, log line or
database write ever sees them.
"""

from __future__ import annotations

import re
from typing import Any

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Escapes that can produce those characters in a JSON document (raw NUL is invalid JSON, and
# a raw surrogate cannot appear in UTF-8): when none is present, nothing needs cleaning.
UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def storable(text: str) -> str:
    """`text` without NUL; each lone surrogate becomes U+FFFD (the replacement character)."""
    if not UNSTORABLE.search(text):
        return text
    return UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def storable_json(value: Any) -> Any:
    """Every string (keys too) of a parsed JSON value made storable."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [storable_json(item) for item in value]
    if isinstance(value, dict):
        return {storable(k): storable_json(v) for k, v in value.items()}
    return value


def may_need_cleaning(payload: bytes) -> bool:
    """False when the raw JSON certainly holds no NUL or surrogate escape (the usual case)."""
    return UNSTORABLE_ESCAPE.search(payload) is not None
