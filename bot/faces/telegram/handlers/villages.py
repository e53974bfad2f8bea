"""Joining a village (/desa, deep link), leaving (/berhenti), linking a group (/hubungkan)."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import ChatMember, ChatMemberUpdated, Message, Update, User
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
)

from bot.core.i18n import _
from bot.domain.answers.conversation import Understood
from bot.domain.programme import membership, villages
from bot.domain.replies import Button, Reply
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers.detours import stopped_text
from bot.faces.telegram.handlers.pending import AWAITING
from bot.faces.telegram.handlers.private import in_group, send_to_private
from bot.faces.telegram.handlers.render import send_kwargs

log = logging.getLogger(__name__)
JOIN_PREFIX = "desa_"
NAME_MAX = 80  # no village name is longer; a longer paste is cut before it is echoed


async def ask_village(message: Message, context: BotContext, name: str | None,
                      retry: bool = False) -> bool:
    """Search villages by name and offer the matches as buttons.

    When nothing in the programme matched, the next message is read as the village's name
    once more (`retry`): a villager who retyped the name with another spelling got the
    "I cannot help with that" answer, because the bot had stopped listening for a village.
    A retry that names no village at all is not answered here (False): it was a question.
    """
    name = name[:NAME_MAX] if name else name
    if not name:
        context.user_data[AWAITING] = "village"
        await message.reply_text(_("Type the name of your village (desa/kelurahan)."))
        return True
    if retry and await _is_a_question(context, name):
        return False
    found = await asyncio.to_thread(villages.find, context.services.db, name)
    if retry and not found.choices and not found.outside:
        return False
    again = "" if retry or found.choices else "\n\n" + _(
        "If you spelled it differently, just type the name again (with its kecamatan if you "
        "know it), or /batal.")
    if found.outside:
        await message.reply_text(_outside_text(found) + again)
    if not found.choices:
        if not found.outside:
            await message.reply_text(_("I could not find a village called \u201c{name}\u201d. "
                                       "Check the spelling and try /desa again.").format(
                name=name) + again)
        if not retry:
            context.user_data[AWAITING] = "village_retry"
        return True
    rows = tuple((Button(v.label, f"dj:{v.id}"),) for v in found.choices)
    question = (_("Or is your village one of these?") if found.outside
                else _("Which one is your village?"))
    await message.reply_text(**send_kwargs(Reply(question, rows)))
    return True


async def _is_a_question(context: BotContext, text: str) -> bool:
    """The NLU knows what the text asks: the national list finds a look-alike for any words."""
    parsed = await asyncio.to_thread(context.services.nlu.parse, text)
    return Understood.from_parse(parsed).intent != "out_of_scope"


def _outside_text(found: villages.VillageSearch) -> str:
    """The honest answer for a village that no office has added to the programme yet."""
    places = "\n".join(f"\u2022 {e.label}, {e.province}" for e in found.outside)
    text = _("In the list of Indonesia's villages I found:\n{places}\n\n"
             "That village is not part of the Desa Binaan programme yet, so the bot cannot "
             "send it lessons and quizzes. You can still ask me questions, check a job offer "
             "and report a recruiter with /lapor.").format(places=places)
    if found.outside_office:
        text += "\n\n" + _("Reports from your area go to {office}. Your village head can ask "
                             "that office to add the village to the programme.").format(
            office=found.outside_office)
    return text


async def cmd_desa(update: Update, context: BotContext) -> None:
    """/desa [name]: join your village's lessons and quizzes (in the private chat)."""
    if in_group(update):
        await send_to_private(update, context)
        return
    await ask_village(update.effective_message, context, " ".join(context.args or []))


async def joined(message: Message, context: BotContext, village_id: int, user: User) -> None:
    """Subscribe and confirm (or send them to the village's own bot, with its join link)."""
    from bot.faces.telegram.fleet import other_bot_of_village

    other = await other_bot_of_village(context.application, context.services.db, village_id)
    if other is not None:
        owner, code = other
        link = f"https://t.me/{owner.username}?start={JOIN_PREFIX}{code.replace('.', '_')}"
        await message.reply_text(_("That village receives its lessons and quizzes from "
                                   "another bot of the programme, @{bot}. Open {link} and "
                                   "press Start to join there; you can keep asking me "
                                   "questions here.").format(bot=owner.username, link=link))
        return
    choice = await asyncio.to_thread(membership.subscribe, context.services.db, user.id,
                                     village_id)
    if choice is None:
        await message.reply_text(_("This button is no longer valid."))
        return
    await message.reply_text(_("You have joined {village}. You will receive its lessons and "
                               "quizzes here. Type /berhenti to stop.").format(
        village=choice.label))


async def on_join_button(update: Update, context: BotContext) -> None:
    """A village chosen from the search results."""
    query = update.callback_query
    match = re.match(r"^dj:(\d{1,10})$", query.data or "")
    await query.answer()
    if match:
        await joined(query.message, context, int(match[1]), update.effective_user)


async def join_by_link(message: Message, user: User, context: BotContext, payload: str) -> None:
    """/start desa_<code>: the village's own join link (poster, QR code)."""
    choice = await asyncio.to_thread(membership.village_by_code, context.services.db,
                                     payload.removeprefix(JOIN_PREFIX))
    if choice is None:
        await message.reply_text(_("This village link is not valid. Type /desa to search for "
                                   "your village."))
        return
    await joined(message, context, choice.id, user)


async def cmd_berhenti(update: Update, context: BotContext) -> None:
    """/berhenti: no more broadcasts (in a group: only removing the bot stops them)."""
    if in_group(update):
        await send_to_private(update, context, _(
            "Your own lessons and quizzes are stopped in a private chat with me: press the "
            "button below, then send /berhenti there. This group keeps receiving the "
            "village's lessons while the bot is in it."))
        return
    was = await asyncio.to_thread(membership.unsubscribe, context.services.db,
                                  update.effective_chat.id)
    await update.effective_message.reply_text(stopped_text(was))


async def cmd_hubungkan(update: Update, context: BotContext) -> None:
    """/hubungkan in a group: an official of the village who is a group admin links it."""
    chat, user = update.effective_chat, update.effective_user
    if chat.type not in {"group", "supergroup"}:
        await update.effective_message.reply_text(_("Use /hubungkan inside your village's "
                                                    "group, after adding the bot to it."))
        return
    if await _linked_through_another_bot(update, context):
        return
    member = await context.bot.get_chat_member(chat.id, user.id)
    is_admin = member.status in {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
    result = await asyncio.to_thread(membership.link_group, context.services.db, chat.id,
                                     user.id, is_admin)
    if isinstance(result, str):
        text = {"not_official": _("Only a registered official of the village can link this "
                                  "group."),
                "not_admin": _("Only a group admin can link this group."),
                "linked_elsewhere": _("This group is already linked to another village. To "
                                      "move it, remove the bot from the group and add it "
                                      "again, then link it.")}[result]
        await update.effective_message.reply_text(text)
        return
    await update.effective_message.reply_text(_("This group is now linked to {village}: it "
                                                 "will receive the village's lessons and "
                                                 "quizzes.").format(village=result.label))


async def _linked_through_another_bot(update: Update, context: BotContext) -> bool:
    """Refuse, with the way out, a group link through a bot that does not serve the village.

    The village's lessons go out through its own regional bot, which is not in this group:
    linked here, the group would never receive one.
    """
    from bot.faces.telegram.fleet import other_bot_of_village
    from bot.faces.telegram.handlers.invites import GROUP_LINK_PAYLOAD

    db = context.services.db
    village_id = await asyncio.to_thread(membership.official_village, db,
                                         update.effective_user.id)
    other = None if village_id is None else await other_bot_of_village(
        context.application, db, village_id)
    if other is None:
        return False
    bot = other[0].username
    await update.effective_message.reply_text(_(
        "Your village receives its lessons and quizzes from another bot of the programme, "
        "@{bot}, so this group must be linked there. Add @{bot} to this group ({link}), then "
        "send /hubungkan again.").format(
        bot=bot, link=f"https://t.me/{bot}?startgroup={GROUP_LINK_PAYLOAD}"))
    return True


async def on_my_membership(update: Update, context: BotContext) -> None:
    """Blocked or removed: stop sending there. Added to a group: say how to link it."""
    change: ChatMemberUpdated = update.my_chat_member
    if change.new_chat_member.status in {ChatMember.BANNED, ChatMember.LEFT}:
        await asyncio.to_thread(membership.deactivate_chat, context.services.db, change.chat.id)
        return
    joined = change.old_chat_member.status in {ChatMember.LEFT, ChatMember.BANNED} and \
        change.new_chat_member.status in {ChatMember.MEMBER, ChatMember.ADMINISTRATOR}
    if joined and change.chat.type in {"group", "supergroup"}:
        await context.bot.send_message(change.chat.id, _(
            "Hello! I am the Desa Binaan assistant of the immigration office. The village "
            "official: send /hubungkan here so this group receives the village's lessons and "
            "quizzes. Everyone: write to me privately to ask questions or report a recruiter; "
            "reports are never shown in the group."))


def register(app: Application) -> None:
    """Add the village handlers."""
    app.add_handler(CommandHandler("desa", cmd_desa))
    app.add_handler(CommandHandler("berhenti", cmd_berhenti))
    app.add_handler(CommandHandler("hubungkan", cmd_hubungkan))
    app.add_handler(CallbackQueryHandler(on_join_button, pattern=r"^dj:"))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
