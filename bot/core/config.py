"""Settings from the environment (and an optional `.env`), checked once at start-up.

A wrong value must stop the bot with one clear line that names the variable, not with a
traceback from deep inside a library half an hour later.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.core.bot_tokens import (
    DEFAULT_KEY,
    BotToken,
    BotTokensError,
    parse_bot_tokens,
    webhook_secret_for,
)

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
NLU_BACKENDS = ("embedded", "rasa")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads; see the README's configuration table."""

    token: str | None = None  # the default bot's (or the first of BOT_TOKENS)
    bot_key: str = "default"  # the default bot's key
    regional_bots: tuple[BotToken, ...] = ()  # BOT_TOKENS, the default bot left out
    api_base_url: str = "https://api.telegram.org"
    database_url: str = ""
    data_dir: Path = Path("data")
    nlu_backend: str = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout: float = 0.5
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"
    log_format: str = "text"
    log_updates: bool = False
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    tip_daily_limit: int = 5
    tip_reannounce_minutes: float = 120.0
    schedule_grace_minutes: float = 60.0
    max_send_rate: float = 0.0
    # The token's shared sending budget (REDIS_URL set), messages a second: Telegram's ~30.
    send_budget_per_second: float = 29.5
    redis_url: str | None = None  # set: one of several identical processes (see README)
    delivery_lease_seconds: float = 120.0
    campaign_alert_texts: int = 5
    campaign_alert_villages: int = 3
    campaign_alert_hours: float = 72.0
    campaign_retention_days: float = 180.0
    web_enabled: bool = True
    web_listen: str = "127.0.0.1"
    web_port: int = 8080
    web_base_url: str = ""
    tip_sla_hours: float = 24.0
    # Telegram's paid broadcasts (bot/domain/messaging/paid_broadcast.py): off unless turned
    # on with a cap in Stars per calendar month and bot.
    paid_broadcast: bool = False
    paid_broadcast_monthly_stars: float = 0.0
    # GAZETTEER_WARMUP=1: load Indonesia's 82,503 villages at start-up, in the background, so
    # the first village search does not wait 1-4 s for them. Off by default: they hold ~60 MB,
    # which a process that never searches (most, in a fleet) should not pay at rest.
    gazetteer_warmup: bool = False

    @property
    def bots(self) -> tuple[BotToken, ...]:
        """Every bot of the deployment, the default one first (none: the console)."""
        if self.token is None:
            return ()
        return (BotToken(self.bot_key, self.token), *self.regional_bots)

    def secrets(self) -> tuple[str, ...]:
        """What the logs must mask: every bot token and every webhook secret."""
        found = [b.token for b in self.bots]
        if self.webhook_secret:
            found += [webhook_secret_for(self.webhook_secret, b.key) for b in self.bots]
            found.append(self.webhook_secret)
        return tuple(found)

    @property
    def web_url(self) -> str:
        """Where people open the dashboard (WEB_BASE_URL, else the local address)."""
        return self.web_base_url or f"http://{self.web_listen}:{self.web_port}"

    @property
    def tz(self) -> ZoneInfo:
        """The default time zone as an object."""
        return ZoneInfo(self.timezone)


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Read and validate the settings; raises ConfigError with a one-line message."""
    values = dict(_read_dotenv(dotenv or Path(".env"))) if env is None else {}
    values.update(os.environ if env is None else env)
    data_dir = Path(values.get("DESABOT_DATA_DIR", "data"))
    settings = Settings(
        token=values.get("TELEGRAM_BOT_TOKEN") or None,
        api_base_url=values.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org").rstrip("/"),
        database_url=values.get("DATABASE_URL") or f"sqlite:///{data_dir / 'desabot.sqlite3'}",
        data_dir=data_dir,
        nlu_backend=values.get("NLU_BACKEND", "embedded").lower(),
        rasa_url=values.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_timeout=_number(values, "RASA_TIMEOUT", 0.5),
        timezone=values.get("DESABOT_TIMEZONE", "Asia/Jakarta"),
        log_level=values.get("LOG_LEVEL", "INFO").upper(),
        log_format=values.get("LOG_FORMAT", "text").lower(),
        log_updates=values.get("LOG_UPDATES", "").strip().lower() in {"1", "true", "yes"},
        webhook_url=values.get("WEBHOOK_URL") or None,
        webhook_secret=values.get("WEBHOOK_SECRET_TOKEN") or None,
        webhook_listen=values.get("WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=int(_number(values, "WEBHOOK_PORT", 8443)),
        tip_daily_limit=int(_number(values, "TIP_DAILY_LIMIT", 5)),
        tip_reannounce_minutes=_number(values, "TIP_REANNOUNCE_MINUTES", 120),
        schedule_grace_minutes=_number(values, "SCHEDULE_GRACE_MINUTES", 60),
        max_send_rate=_number(values, "TELEGRAM_MAX_RATE", 0),
        send_budget_per_second=_number(values, "SEND_BUDGET_PER_SECOND", 29.5),
        redis_url=values.get("REDIS_URL") or None,
        delivery_lease_seconds=_number(values, "DELIVERY_LEASE_SECONDS", 120),
        campaign_alert_texts=int(_number(values, "CAMPAIGN_ALERT_TEXTS", 5)),
        campaign_alert_villages=int(_number(values, "CAMPAIGN_ALERT_VILLAGES", 3)),
        campaign_alert_hours=_number(values, "CAMPAIGN_ALERT_HOURS", 72),
        campaign_retention_days=_number(values, "CAMPAIGN_RETENTION_DAYS", 180),
        web_enabled=values.get("WEB_ENABLED", "1").strip().lower() not in {"0", "false", "no"},
        web_listen=values.get("WEB_LISTEN", "127.0.0.1"),
        web_port=int(_number(values, "WEB_PORT", 8080)),
        web_base_url=values.get("WEB_BASE_URL", "").rstrip("/"),
        tip_sla_hours=_number(values, "TIP_SLA_HOURS", 24),
        paid_broadcast=values.get("PAID_BROADCAST", "").strip().lower() in {"1", "true", "yes"},
        paid_broadcast_monthly_stars=_number(values, "PAID_BROADCAST_MONTHLY_STARS", 0),
        gazetteer_warmup=values.get("GAZETTEER_WARMUP", "").strip().lower()
        in {"1", "true", "yes"},
    )
    if values.get("BOT_WORKERS", "1").strip() not in ("", "1"):
        raise ConfigError("BOT_WORKERS is gone: run several identical `desabot run --webhook` "
                          "processes with REDIS_URL set instead (README, Deployment)")
    _validate(settings)
    return _with_bot_tokens(settings, values.get("BOT_TOKENS", ""))


def _with_bot_tokens(settings: Settings, raw: str) -> Settings:
    """TELEGRAM_BOT_TOKEN is the default bot; BOT_TOKENS adds the regional ones."""
    try:
        bots = parse_bot_tokens(raw)
    except BotTokensError as exc:
        raise ConfigError(f"BOT_TOKENS: {exc}") from None
    if not bots:
        return settings
    if settings.token is None:  # the first listed bot is the default one
        first, *rest = bots
        return replace(settings, token=first.token, bot_key=first.key,
                       regional_bots=tuple(rest))
    if any(b.key == DEFAULT_KEY or b.token == settings.token for b in bots):
        raise ConfigError("BOT_TOKENS: the key 'default' and the token of TELEGRAM_BOT_TOKEN "
                          "are the default bot's; give the regional bots other keys and tokens")
    return replace(settings, regional_bots=bots)


def _validate(s: Settings) -> None:
    if s.token is not None and not TOKEN_RE.match(s.token):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a BotFather token "
                          "(digits, a colon, then letters), e.g. 123456:ABC-def")
    if not s.api_base_url.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must start with http:// or https://, "
                          f"got {s.api_base_url!r}")
    try:
        url = make_url(s.database_url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL: {s.database_url!r}") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError("DATABASE_URL must be sqlite:///... or postgresql+psycopg://...")
    if s.nlu_backend not in NLU_BACKENDS:
        raise ConfigError(f"NLU_BACKEND must be one of {', '.join(NLU_BACKENDS)}, "
                          f"got {s.nlu_backend!r}")
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"DESABOT_TIMEZONE is not a time zone: {s.timezone!r} "
                          "(use e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)") from None
    if s.web_base_url and not s.web_base_url.startswith(("http://", "https://")):
        raise ConfigError(f"WEB_BASE_URL must start with http:// or https://, "
                          f"got {s.web_base_url!r}")
    if not 0 < s.web_port < 65536:
        raise ConfigError(f"WEB_PORT must be a port number, got {s.web_port}")
    if s.log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    if s.redis_url is not None and not s.redis_url.startswith(("redis://", "rediss://",
                                                               "unix://")):
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix://, "
                          f"got {s.redis_url!r}")
    if s.paid_broadcast and not s.paid_broadcast_monthly_stars > 0:
        raise ConfigError("PAID_BROADCAST is on: set PAID_BROADCAST_MONTHLY_STARS to the most "
                          "Stars a bot may spend on paid broadcasts in a month, e.g. 5000")
    if s.paid_broadcast_monthly_stars < 0:
        raise ConfigError("PAID_BROADCAST_MONTHLY_STARS must be 0 or more Stars")
    if s.log_format not in ("text", "json"):
        raise ConfigError(f"LOG_FORMAT must be text or json, got {s.log_format!r}")
    if s.webhook_secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", s.webhook_secret):
        raise ConfigError("WEBHOOK_SECRET_TOKEN may hold only A-Z, a-z, 0-9, _ and -, "
                          "1 to 256 characters")


def _number(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _read_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def setup_logging(level: str, fmt: str = "text", log_updates: bool = False,
                  secrets: tuple[str | None, ...] = ()) -> None:
    """One line per event, secrets masked (bot/core/logs.py)."""
    from bot.core.logs import setup

    setup(level, fmt, log_updates, [s for s in secrets if s])
