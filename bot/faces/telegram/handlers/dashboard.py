"""/dasbor: a single-use sign-in link to the office's web dashboard, in a private chat only."""

from __future__ import annotations

import asyncio
import logging

from telegram import LinkPreviewOptions, Update
from telegram.ext import Application, CommandHandler

from bot.core.i18n import _
from bot.domain.people.web_access import LOGIN_TTL, issue_login, login_url
from bot.faces.telegram.context import BotContext

log = logging.getLogger(__name__)


async def cmd_dasbor(update: Update, context: BotContext) -> None:
    """Officers and officials get a link; anyone else is told the dashboard is not for them."""
    message, user = update.effective_message, update.effective_user
    settings = context.services.settings
    if update.effective_chat.type != "private":
        await message.reply_text(_("Send /dasbor to the bot in a private chat, not in a group."))
        return
    if not settings.web_enabled:
        await message.reply_text(_("The web dashboard is switched off on this bot."))
        return
    token = await asyncio.to_thread(issue_login, context.services.db, user.id)
    if token is None:
        log.warning("refused /dasbor for account %s (no role)", user.id)
        await message.reply_text(_("The dashboard is for officers and village officials."))
        return
    minutes = int(LOGIN_TTL.total_seconds() // 60)
    text = _("Open this link to sign in to the dashboard. It works once, for {minutes} minutes; "
             "do not share it:").format(minutes=minutes)
    # No preview: a preview robot opening the link must not be what Telegram shows the officer.
    await message.reply_text(f"{text}\n{login_url(settings.web_url, token)}",
                             link_preview_options=LinkPreviewOptions(is_disabled=True))


def register(app: Application) -> None:
    """The /dasbor command."""
    app.add_handler(CommandHandler("dasbor", cmd_dasbor))
