"""python-telegram-bot's typed context and Application for this bot."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.services import Services


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """A typed context: `context.services` instead of raw `bot_data` keys."""

    @property
    def services(self) -> Services:
        """The services created at start-up."""
        return self.application.bot_data["services"]


BotApplication = Application[ExtBot, BotContext, dict, dict, dict, None]
