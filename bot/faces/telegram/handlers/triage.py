"""Officers' side: alerts' buttons, /laporan, typed notes and questions, relayed answers."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
)

from bot.core.i18n import _
from bot.domain.messaging.update_claims import opened_for
from bot.domain.replies import Button, Reply
from bot.domain.tips import triage
from bot.domain.tips.submission import TipError
from bot.domain.tips.texts import (
    ESCALATE_KIND,
    ESCALATE_TO,
    OUTCOMES,
    TIMING,
    handling_buttons,
    refusal,
    status_label,
)
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.files import owner_of, sendable
from bot.faces.telegram.handlers import pending
from bot.faces.telegram.handlers.detours import waiting_detour
from bot.faces.telegram.handlers.pending import RELAY, TYPED
from bot.faces.telegram.handlers.private import in_group, send_to_private
from bot.faces.telegram.handlers.render import send_kwargs

log = logging.getLogger(__name__)
# The argument is a key of ESCALATE_TO or OUTCOMES ("bp3mi" has a digit); `_act` checks it.
TP_RE = re.compile(r"^tp:(?P<act>[cnqexvbu]):(?P<tip>[0-9]{1,10})(?::(?P<arg>[a-z0-9_]{1,20}))?$")


async def on_tip_button(update: Update, context: BotContext) -> None:
    """Every press is re-authorised on the server: callback data can be forged."""
    query, user = update.callback_query, update.effective_user
    match = TP_RE.match(query.data or "")
    if match is None:
        log.warning("malformed triage data %r from account %s", query.data, user.id)
        await query.answer(_("This button is no longer valid."))
        return
    act, tip_id, arg = match["act"], int(match["tip"]), match["arg"]
    if await outside_office(update, context):
        return
    try:
        text = await _act(context, user.id, act, tip_id, arg)
    except TipError as exc:
        await query.answer(refusal(exc.reason), show_alert=True)
        return
    await query.answer()
    context.services.wake_outbox()
    if isinstance(text, triage.TipView):
        await _show(query.message, text, context)
    elif isinstance(text, Reply):
        await query.message.reply_text(**send_kwargs(text))
    elif text:
        await query.message.reply_text(text)


async def _show(message: Message, found: triage.TipView, context: BotContext) -> None:
    """An opened tip: its text, then its photos and files (protected from forwarding)."""
    await message.reply_text(**send_kwargs(found.reply), protect_content=True)
    fleet = context.application.bot_data.get("fleet")
    for kind, file_id, caption, key in found.media:
        send = message.reply_photo if kind == "photo" else message.reply_document
        file = await sendable(context.bot, file_id, owner_of(fleet, key), kind)
        await send(file, caption=caption[:1000] or None, protect_content=True)


async def _act(context: BotContext, officer: int, act: str, tip_id: int,
               arg: str | None) -> str | Reply | triage.TipView:
    db = context.services.db
    if act == "c":
        tip = await asyncio.to_thread(triage.claim, db, officer, tip_id)
        return Reply(_("You are handling tip {code}. The reporter has been told.").format(
            code=tip.code), handling_buttons(tip_id))
    if act in {"n", "q"}:
        await asyncio.to_thread(triage.check_officer, db, officer, tip_id)
        context.user_data[TYPED] = ("note" if act == "n" else "question", tip_id)
        return _("Type your note now.") if act == "n" else _(
            "Type your question for the reporter now. The bot relays it without showing your "
            "account.")
    if act in {"b", "u"}:
        return await _block(context, officer, tip_id, act == "b", arg == "yes")
    if act in {"e", "x"} and arg is None:
        # The menu names the tip's actions: shown only to who may take them (data is forgeable).
        await asyncio.to_thread(triage.check_officer, db, officer, tip_id)
    if act == "e":
        if arg is None:
            return Reply(_("Escalate to whom?"), (tuple(
                Button(label, f"tp:e:{tip_id}:{key}") for key, label in ESCALATE_TO.items()),))
        done = await asyncio.to_thread(triage.escalate, db, officer, tip_id, arg, "")
        if done.sent_to:
            return _("Tip {code} was sent to {office} ({to}), without the reporter's identity "
                     "unless they agreed to share it.").format(
                code=done.tip.code, office=done.sent_to, to=ESCALATE_TO[arg])
        return _("Tip {code} is recorded as passed on to {to}, but nothing was sent: this bot "
                 "has no {to} contact. Pass it on yourself (phone or letter). To send cases "
                 "automatically, an administrator adds the contact with `desabot offices add "
                 "--kind {kind} --group CHAT_ID`.").format(
            code=done.tip.code, to=ESCALATE_TO[arg], kind=ESCALATE_KIND[arg])
    if act == "x":
        if arg is None:
            rows = tuple((Button(label(), f"tp:x:{tip_id}:{key}"),)
                         for key, label in OUTCOMES.items())
            return Reply(_("Close with which outcome?"), rows)
        tip = await asyncio.to_thread(triage.close, db, officer, tip_id, arg)
        return _("Tip {code} closed. The reporter has been told.").format(code=tip.code)
    return await _view(context, officer, tip_id)


async def _block(context: BotContext, officer: int, tip_id: int, block: bool,
                 confirmed: bool) -> str | Reply:
    """Block asks first (a wrong press would silence a real reporter); unblock does not."""
    db = context.services.db
    if block and not confirmed:
        await asyncio.to_thread(triage.check_officer, db, officer, tip_id)
        return Reply(_("Block the reporter of this tip? They will not be able to send reports "
                       "until an officer unblocks them. You will still not see who they are."),
                     ((Button(_("Yes, block"), f"tp:b:{tip_id}:yes"),),))
    action = triage.block_reporter if block else triage.unblock_reporter
    tip = await asyncio.to_thread(action, db, officer, tip_id)
    if block:
        return Reply(_("The reporter of tip {code} is blocked. To undo it: /bukablokir {code}"
                       ).format(code=tip.code),
                     ((Button(_("Unblock reporter"), f"tp:u:{tip_id}"),),))
    return _("The reporter of tip {code} may send reports again.").format(code=tip.code)


async def cmd_block(update: Update, context: BotContext) -> None:
    """/blokir KODE and /bukablokir KODE: the same as the buttons, for a tip by its code."""
    message, officer = update.effective_message, update.effective_user.id
    block = message.text.lstrip("/").lower().startswith("blokir")
    if not context.args:
        await message.reply_text(_("Type the command followed by the tip's code, for example "
                                   "/blokir LP-7K3M9Q2X."))
        return
    db = context.services.db
    try:
        tip_id = await asyncio.to_thread(triage.tip_id_by_code, db, officer, context.args[0])
        result = await _block(context, officer, tip_id, block, confirmed=True)
    except TipError as exc:
        await message.reply_text(refusal(exc.reason))
        return
    await message.reply_text(**send_kwargs(result) if isinstance(result, Reply) else
                             {"text": result})


async def _view(context: BotContext, officer: int, tip_id: int) -> triage.TipView:
    return await asyncio.to_thread(triage.view, context.services.db, officer, tip_id,
                                   context.services.settings.timezone)


async def on_typed(update: Update, context: BotContext) -> None:
    """The note or question an officer types, or a reporter's answer ("batal" leaves it)."""
    message = update.effective_message
    if await waiting_detour(message, context, message.text or "", "message", TYPED):
        return
    kind, tip_id = context.user_data.pop(TYPED)
    db, uid = context.services.db, update.effective_user.id
    try:
        if kind == "note":
            await asyncio.to_thread(triage.add_note, db, uid, tip_id, message.text)
            await message.reply_text(_("Note saved."))
        elif kind == "question":
            await asyncio.to_thread(triage.ask_reporter, db, uid, tip_id, message.text)
            await message.reply_text(_("Your question was sent to the reporter."))
        else:
            await asyncio.to_thread(triage.reporter_answers, db, uid, tip_id, message.text)
            await message.reply_text(_("Thank you, your answer was passed to the officer."))
    except TipError as exc:
        await message.reply_text(refusal(exc.reason))
    context.services.wake_outbox()


async def on_answer_button(update: Update, context: BotContext) -> None:
    """The reporter presses "Jawab" under an officer's question, or confirms a typed answer."""
    query = update.callback_query
    match = re.match(r"^tr:(?P<act>[as]):(?P<tip>\d{1,10})$", query.data or "")
    if match is None:
        await query.answer(_("This button is no longer valid."))
        return
    tip_id = int(match["tip"])
    if match["act"] == "a":
        await query.answer()
        context.user_data[TYPED] = ("answer", tip_id)
        await query.message.reply_text(_("Type your answer now."))
        return
    typed = context.user_data.pop(RELAY, None)
    if not isinstance(typed, dict) or typed.get("tip") != tip_id:
        await query.answer(_("This button is no longer valid."))
        return
    await query.answer()
    await _relay_answer(query.message, context, update.effective_user.id, tip_id,
                        str(typed.get("text", "")))


async def _relay_answer(message: Message, context: BotContext, reporter: int, tip_id: int,
                        text: str) -> None:
    try:
        await asyncio.to_thread(triage.reporter_answers, context.services.db, reporter, tip_id,
                                text)
    except TipError as exc:
        await message.reply_text(refusal(exc.reason))
        return
    context.services.wake_outbox()
    await message.reply_text(_("Thank you, your answer was passed to the officer."))


async def offer_relay(message: Message, context: BotContext, text: str) -> bool:
    """A reporter with an unanswered officer question typed something: maybe the answer.

    A reply to the question's message is passed on at once; any other text is offered with
    two buttons, because it may just as well be a new question for the bot.
    """
    user = message.from_user
    if user is None:
        return False
    opened = opened_for(user.id)
    if opened is not None and not opened.flagged:
        return False  # no open tip (read with the update's claim): nothing to answer
    tip = await asyncio.to_thread(triage.awaiting_answer, context.services.db, user.id)
    if tip is None:
        return False
    replied = message.reply_to_message
    if replied is not None and tip.code in (replied.text or ""):
        await _relay_answer(message, context, user.id, tip.id, text)
        return True
    context.user_data[RELAY] = {"tip": tip.id, "text": text[:2000]}
    question = _("Is this your answer to the officer's question about report {code}?").format(
        code=tip.code)
    rows = ((Button(_("Yes, send it to the officer"), f"tr:s:{tip.id}"),),
            (Button(_("No, it is another question"), "tr:n"),))
    await message.reply_text(**send_kwargs(Reply(question, rows)))
    return True


async def outside_office(update: Update, context: BotContext) -> bool:
    """A group that is not an office's own: tips are not shown there (True: refused)."""
    if not in_group(update) or await asyncio.to_thread(
            triage.is_office_group, context.services.db, update.effective_chat.id):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(_("Tips are opened only in a private chat or in "
                                             "your office's own group."), show_alert=True)
    else:
        await send_to_private(update, context, _(
            "Tips are shown only in a private chat with me or in your office's own group, "
            "never in a village group."))
    return True


async def cmd_laporan(update: Update, context: BotContext) -> None:
    """/laporan: the open tips of the officer's own office."""
    if await outside_office(update, context):
        return
    try:
        tips = await asyncio.to_thread(triage.open_tips, context.services.db,
                                       update.effective_user.id)
    except TipError:
        await update.effective_message.reply_text(_("This command is for officers only."))
        return
    if not tips:
        await update.effective_message.reply_text(_("No open tips. Well done."))
        return
    lines = [_("Open tips ({n}):").format(n=len(tips))]
    lines += [f"{'!' if t.urgent else '-'} {t.code} - {status_label(t)}"
              f"{' - ' + TIMING[t.timing]() if t.timing in TIMING else ''}" for t in tips]
    rows = tuple((Button(_("Open {code}").format(code=t.code), f"tp:v:{t.id}"),)
                 for t in tips[:10])
    await update.effective_message.reply_text(**send_kwargs(Reply("\n".join(lines), rows)))


def register(app: Application) -> None:
    """Triage buttons and commands; typed notes run before the reporting conversation."""
    app.add_handler(CallbackQueryHandler(on_tip_button, pattern=r"^tp:"))
    app.add_handler(CallbackQueryHandler(on_answer_button, pattern=r"^tr:[as]:"))
    app.add_handler(CommandHandler("laporan", cmd_laporan))
    app.add_handler(CommandHandler(["blokir", "bukablokir"], cmd_block))
    pending.expect(TYPED, on_typed)
