"""/start, /bantuan and /menu: the first conversation."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.core.i18n import _
from bot.domain.answers.conversation import help_reply, menu_rows, welcome
from bot.domain.people.roles import roles_of
from bot.domain.replies import Reply
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers.invites import GROUP_LINK_PAYLOAD, is_invite, open_invite
from bot.faces.telegram.handlers.private import send_to_private
from bot.faces.telegram.handlers.render import send_kwargs
from bot.faces.telegram.handlers.villages import JOIN_PREFIX, cmd_hubungkan, join_by_link


async def start(update: Update, context: BotContext) -> None:
    """Welcome a villager with what the bot does and the menu (or open an invite link)."""
    if update.effective_chat and update.effective_chat.type in {"group", "supergroup"}:
        if context.args and context.args[0] == GROUP_LINK_PAYLOAD:  # the startgroup link
            await cmd_hubungkan(update, context)
        else:  # it said nothing at all
            await send_to_private(update, context, _(
                "Hello! Write to me in a private chat to ask questions, check a job offer or "
                "report a recruiter; reports are never shown in the group."))
        return
    if context.args and is_invite(context.args[0]):
        await open_invite(update.effective_message, update.effective_user, context,
                          context.args[0])
        return
    if context.args and context.args[0].startswith(JOIN_PREFIX):
        await join_by_link(update.effective_message, update.effective_user, context,
                           context.args[0])
        return
    roles = await asyncio.to_thread(roles_of, context.services.db, update.effective_user.id) \
        if update.effective_user else frozenset()
    await update.effective_message.reply_text(**send_kwargs(welcome(
        context.services.answers, context.services.settings.campaign_retention_days, roles)))


async def bantuan(update: Update, context: BotContext) -> None:
    """Explain the commands of this person's roles."""
    roles = await asyncio.to_thread(roles_of, context.services.db, update.effective_user.id) \
        if update.effective_user else frozenset()
    reply = help_reply(context.services.answers, roles)
    await update.effective_message.reply_text(**send_kwargs(reply))


async def menu(update: Update, context: BotContext) -> None:
    """Show the topics menu."""
    reply = Reply(_("Choose a topic:"), menu_rows(context.services.answers))
    await update.effective_message.reply_text(**send_kwargs(reply))


def register(app: Application) -> None:
    """Add this module's handlers."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler(["bantuan", "help"], bantuan))
    app.add_handler(CommandHandler("menu", menu))
