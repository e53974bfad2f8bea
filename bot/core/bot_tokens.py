"""Several bot tokens in one deployment: regional bots, each with a key, sharing the database.

`BOT_TOKENS` names the regional bots as `key=token,key=token` or, better for 34 of them,
the path of a file with one `key=token` a line (`#` starts a comment; keep it chmod 600 and
out of the repository). The key is what URLs, logs and the database use (`/telegram/<key>`,
`villages.bot_key`): a token is a password and never appears in either.
`TELEGRAM_BOT_TOKEN`, when set, is the default bot (key `default`): the villages and offices
that were never given a bot belong to it, so a single-token setup works as before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
DEFAULT_KEY = "default"


class BotTokensError(ValueError):
    """BOT_TOKENS is malformed; the message names the line or entry, never the token."""


@dataclass(frozen=True)
class BotToken:
    """One bot of the deployment."""

    key: str
    token: str

    def __repr__(self) -> str:  # a token must not reach a log through a repr
        return f"BotToken(key={self.key!r})"


def parse_bot_tokens(raw: str) -> tuple[BotToken, ...]:
    """`key=token,...` or the path of a file with one `key=token` per line."""
    raw = raw.strip()
    if not raw:
        return ()
    if "=" in raw:
        entries = [(f"entry {n}", part) for n, part in enumerate(raw.split(","), 1)]
    else:
        path = Path(raw)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise BotTokensError(f"cannot read the file {raw!r} ({type(exc).__name__})") from None
        entries = [(f"{path.name} line {n}", line.split("#", 1)[0])
                   for n, line in enumerate(lines, 1)]
    bots = [_entry(where, text.strip()) for where, text in entries if text.strip()]
    _unique(bots)
    return tuple(bots)


def _entry(where: str, text: str) -> BotToken:
    key, sep, token = text.partition("=")
    key, token = key.strip(), token.strip()
    if not sep or not KEY_RE.match(key):
        raise BotTokensError(f"{where}: expected key=token with a key of a-z, 0-9, _ and - "
                             "(at most 32), e.g. jatim=123456:ABC...")
    if not TOKEN_RE.match(token):
        raise BotTokensError(f"{where} ({key}): the token does not look like a BotFather token")
    return BotToken(key, token)


def _unique(bots: list[BotToken]) -> None:
    keys, tokens = set(), set()
    for bot in bots:
        if bot.key in keys:
            raise BotTokensError(f"the key {bot.key!r} is given twice")
        if bot.token in tokens:
            raise BotTokensError(f"the token of {bot.key!r} is given twice")
        keys.add(bot.key)
        tokens.add(bot.token)


def webhook_secret_for(secret: str, key: str) -> str:
    """Each regional bot's own webhook secret, derived from WEBHOOK_SECRET_TOKEN and its key.

    One secret to configure, yet a secret that leaks from one bot's traffic does not open
    another bot's webhook path. The default bot keeps WEBHOOK_SECRET_TOKEN itself.
    """
    if key == DEFAULT_KEY:
        return secret
    digest = hmac.new(secret.encode(), f"desabot-webhook:{key}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def webhook_path(key: str) -> str:
    """The bot's webhook path: `/telegram` for the default bot, `/telegram/<key>` else."""
    return "/telegram" if key == DEFAULT_KEY else f"/telegram/{key}"


# The regional bot whose update is being handled (None: the default bot, or no update), set
# by the Telegram face for each update: the domain stores it with a reporter, so that later
# messages to them (an officer's question, the tip's outcome) come from the bot they use.
SPEAKING_BOT: ContextVar[str | None] = ContextVar("speaking_bot", default=None)
