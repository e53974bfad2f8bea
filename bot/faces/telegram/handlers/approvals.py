"""/pesan: an official writes a message; an officer approves it before it is sent."""

from __future__ import annotations

import asyncio
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.core.i18n import _
from bot.domain.programme.approvals import ApprovalError, decide, propose
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import pending
from bot.faces.telegram.handlers.detours import waiting_detour
from bot.faces.telegram.handlers.pending import COMPOSING

AP_RE = re.compile(r"^ap:(?P<act>[ar]):(?P<id>[0-9]{1,10})$")


def refusal(reason: str) -> str:
    """Why it did not work, in words."""
    return {
        "not_official": _("Only a registered village official can send a message to the "
                          "village."),
        "not_allowed": _("Your office does not allow officials' own messages yet; choose a "
                         "lesson with /pelajaran."),
        "forbidden": _("You are not allowed to do this."),
        "decided": _("This message was already approved or rejected."),
    }.get(reason, _("That did not work."))


async def cmd_pesan(update: Update, context: BotContext) -> None:
    """/pesan: start writing a message for the village."""
    context.user_data[COMPOSING] = True
    await update.effective_message.reply_text(_(
        "Type the message for your village's residents. An officer checks it before it is "
        "sent. Type /batal to cancel."))


async def on_composed(update: Update, context: BotContext) -> None:
    """The message typed after /pesan ("batal" or "menu" instead leaves it)."""
    message = update.effective_message
    if await waiting_detour(message, context, message.text or "", "message", COMPOSING):
        return
    context.user_data.pop(COMPOSING, None)
    services = context.services
    try:
        await asyncio.to_thread(propose, services.db, update.effective_user.id,
                                update.effective_message.text or "")
    except ApprovalError as exc:
        await update.effective_message.reply_text(refusal(exc.reason))
        return
    services.wake_outbox()
    await update.effective_message.reply_text(_("Your message was sent to the officers for "
                                                "approval. You will hear when it is decided."))


async def on_decision(update: Update, context: BotContext) -> None:
    """An officer approves or rejects; checked on the server, like every button."""
    query = update.callback_query
    match = AP_RE.match(query.data or "")
    services = context.services
    try:
        if match is None:
            raise ApprovalError("forbidden")
        status = await asyncio.to_thread(decide, services.db, update.effective_user.id,
                                         int(match["id"]), match["act"] == "a")
    except ApprovalError as exc:
        await query.answer(refusal(exc.reason), show_alert=True)
        return
    await query.answer()
    services.wake_outbox()
    services.wake_deliveries()
    await query.message.reply_text(_("Approved: the message is being sent.") if status ==
                                   "sending" else _("Rejected: the message will not be sent."))


def register(app: Application) -> None:
    """Add the handlers."""
    app.add_handler(CommandHandler("pesan", cmd_pesan))
    app.add_handler(CallbackQueryHandler(on_decision, pattern=r"^ap:"))
    pending.expect(COMPOSING, on_composed)
