"""Officers and recruiters' campaigns: the alert's verdict buttons, the warning lesson, a list.

Thin adapters over bot/domain/campaigns: every press is re-authorised there (callback data can
be forged), and what the bot says comes from bot/domain/campaigns/texts.py.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.i18n import _
from bot.domain.campaigns import verdicts
from bot.domain.campaigns.texts import (
    lesson_sent,
    list_reply,
    refusal,
    verdict_recorded,
    view_reply,
)
from bot.domain.campaigns.verdicts import CampaignError
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers.render import send_kwargs

log = logging.getLogger(__name__)
CP_RE = re.compile(r"^cp:(?P<act>[vls]):(?P<id>\d{1,10})(?::(?P<arg>[a-z]{1,12}))?$")


async def on_campaign_button(update: Update, context: BotContext) -> None:
    """A verdict, the warning lesson, or opening a campaign from the list."""
    query, user = update.callback_query, update.effective_user
    match = CP_RE.match(query.data or "")
    if match is None:
        log.warning("malformed campaign data from account %s", user.id)
        await query.answer(_("This button is no longer valid."))
        return
    db, campaign_id = context.services.db, int(match["id"])
    try:
        if match["act"] == "v":
            told = await asyncio.to_thread(verdicts.give_verdict, db, user.id, campaign_id,
                                           match["arg"] or "")
            reply = verdict_recorded(campaign_id, match["arg"], told)
        elif match["act"] == "l":
            count = await asyncio.to_thread(verdicts.send_warning_lesson, db, user.id,
                                            campaign_id)
            context.services.wake_deliveries()
            reply = None
            text = lesson_sent(count)
        else:
            found = await asyncio.to_thread(verdicts.for_officer, db, user.id, campaign_id)
            reply = view_reply(found[0])
    except CampaignError as exc:
        await query.answer(refusal(exc.reason), show_alert=True)
        return
    await query.answer()
    context.services.wake_outbox()
    if reply is not None:
        await query.message.reply_text(**send_kwargs(reply))
    else:
        await query.message.reply_text(text)


async def cmd_campaigns(update: Update, context: BotContext) -> None:
    """/kampanye_iklan: the recruiters' campaigns seen in the officer's villages."""
    from bot.faces.telegram.handlers.triage import outside_office

    if await outside_office(update, context):
        return
    try:
        views = await asyncio.to_thread(verdicts.for_officer, context.services.db,
                                        update.effective_user.id)
    except CampaignError:
        await update.effective_message.reply_text(_("This command is for officers only."))
        return
    await update.effective_message.reply_text(**send_kwargs(list_reply(views)))


def register(app: Application) -> None:
    """The campaign buttons and the officers' list command."""
    app.add_handler(CallbackQueryHandler(on_campaign_button, pattern=r"^cp:"))
    app.add_handler(CommandHandler("kampanye_iklan", cmd_campaigns))
