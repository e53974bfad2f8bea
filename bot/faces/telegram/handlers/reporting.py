"""/lapor, /batal, /status and the reporting conversation: adapters over domain.tip_flow."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Message, Update, User
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.core.i18n import _
from bot.domain.content.numbers import emergency_numbers
from bot.domain.offers.assessment import assess
from bot.domain.programme import villages
from bot.domain.replies import Button, Reply
from bot.domain.tips import flow as tip_flow
from bot.domain.tips.submission import TipError, TipInput, for_reporter, reporter_tips, submit
from bot.domain.tips.texts import own_reports_reply, status_reply
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import detours, pending
from bot.faces.telegram.handlers.private import in_group, send_to_private
from bot.faces.telegram.handlers.render import send_kwargs

log = logging.getLogger(__name__)


async def start_report(message: Message, user: User, context: BotContext,
                       prefill: dict | None = None) -> None:
    """Begin a report (or resume the unfinished one when nothing is prefilled)."""
    db = context.services.db
    draft = await asyncio.to_thread(tip_flow.load, db, user.id)
    if draft is not None and prefill is None:
        await message.reply_text(_("You have an unfinished report; let's continue."))
    else:
        draft = tip_flow.Draft(telegram_id=user.id, **(prefill or {}))
        known = await asyncio.to_thread(villages.remembered, db, user.id)
        if known:
            draft.village_id, draft.village_name = known.id, known.label
            draft.village_remembered = True
    draft.paused = False
    await asyncio.to_thread(tip_flow.save, db, draft)
    reply = tip_flow.prompt(draft)
    if draft.step == "e_where":  # the first emergency screen starts with the hotlines
        reply = Reply(f"{emergency_hotlines(context)}\n\n{reply.text}", reply.buttons)
    await message.reply_text(**send_kwargs(reply))


def emergency_hotlines(context: BotContext) -> str:
    """The hotline lines of the emergency answer, with its source (content, not code)."""
    variant = context.services.answers["emergency_help"].text
    lines = [line for line in variant.short.splitlines() if line.strip().startswith("\u2022")]
    sources = "; ".join(s.line() for s in (variant.short_sources or variant.sources)[:1])
    head = _("If someone is in danger right now, call:")
    return "\n".join([head, *lines] + ([f"{_('Source:')} {sources}"] if sources else []))


async def cmd_lapor(update: Update, context: BotContext) -> None:
    """/lapor: report a suspicious offer or recruiter."""
    if update.effective_chat.type != "private":
        await send_to_private(update, context, _("To protect you, reports are made in a "
                                                 "private chat with the bot."))
        return
    await start_report(update.effective_message, update.effective_user, context)


async def cmd_batal(update: Update, context: BotContext) -> None:
    """/batal: cancel the report being written, or whatever the bot was waiting for."""
    had = await asyncio.to_thread(tip_flow.discard, context.services.db, update.effective_user.id)
    waited = [key for key in pending.ALL if context.user_data.pop(key, None) is not None] \
        if context.user_data is not None else []
    if had:
        text = _("Your report was cancelled and deleted.")
    elif waited:  # "Nothing to cancel" after /pesan, though the message was just dropped
        text = _("OK, cancelled. Ask me anything, or send /menu for the topics.")
    else:
        text = _("Nothing to cancel.")
    await update.effective_message.reply_text(text)


async def cmd_status(update: Update, context: BotContext) -> None:
    """/status CODE: the report's status, for its reporter only; /status: all of theirs."""
    if in_group(update):  # everyone in the group would read the codes
        await send_to_private(update, context, _("To protect you, your reports are shown only "
                                                 "in a private chat with the bot."))
        return
    if not context.args:
        tips = await asyncio.to_thread(reporter_tips, context.services.db,
                                       update.effective_user.id)
        await update.effective_message.reply_text(**send_kwargs(own_reports_reply(tips)))
        return
    tip = await asyncio.to_thread(for_reporter, context.services.db, context.args[0],
                                  update.effective_user.id)
    reply = status_reply(tip) if tip else Reply(
        _("I cannot find a report with that code among your reports."))
    await update.effective_message.reply_text(**send_kwargs(reply))


async def on_draft_message(update: Update, context: BotContext) -> None:
    """While a report is being written, messages are its answers (unless they leave it)."""
    message, user = update.effective_message, update.effective_user
    db = context.services.db
    if not tip_flow.may_have_draft(db, user.id):
        return
    draft = await asyncio.to_thread(tip_flow.active, db, user.id)
    if draft is None:
        return
    if message.text:
        kind = await detours.report_detour(message, context, draft, message.text)
        if kind in {"skip", "done"}:  # "ga tau", "udah": as the Skip or Done button
            await _press_skip(message, context, draft)
        elif kind is None:
            await take_text(message, user, context, draft, message.text)
        raise ApplicationHandlerStop
    error = _accept(draft, message)
    if error:
        await message.reply_text(_problem(error))
        raise ApplicationHandlerStop
    await _next_step(message, user, context, draft)
    raise ApplicationHandlerStop


async def take_text(message: Message, user: User, context: BotContext, draft: tip_flow.Draft,
                    text: str) -> None:
    """Typed text as the answer to the report's current step."""
    if draft.step == "village":
        await _offer_villages(message, context, draft, text)
        return
    error = tip_flow.accept_text(draft, text)
    if error:
        await message.reply_text(_problem(error))
        return
    await _next_step(message, user, context, draft)


async def _press_skip(message: Message, context: BotContext, draft: tip_flow.Draft) -> None:
    draft.advance(await _skip_village(context, draft))
    if draft.step == "e_send":
        await _send(message, message.from_user, context, draft)
        return
    await asyncio.to_thread(tip_flow.save, context.services.db, draft)
    await message.reply_text(**send_kwargs(tip_flow.prompt(draft)))


async def _next_step(message: Message, user: User, context: BotContext,
                     draft: tip_flow.Draft) -> None:
    """After an accepted answer: more of the offer, the next question, or the report sent."""
    if draft.step == "offer" and (message.photo or message.document or
                                  draft.offer_text or draft.media):
        reply = Reply(_("Saved. Send more, or press Done."),
                      ((Button(_("Done"), "tf:skip"),),))
    else:
        if draft.step != "offer":
            draft.advance(await _skip_village(context, draft))
        if draft.step == "e_send":
            await _send(message, user, context, draft)
            return
        reply = tip_flow.prompt(draft)
    await asyncio.to_thread(tip_flow.save, context.services.db, draft)
    await message.reply_text(**send_kwargs(reply))


async def _skip_village(context: BotContext, draft: tip_flow.Draft) -> bool:
    """The village step is skipped when it is known or no villages are loaded."""
    if draft.village_id:
        return True
    return not await asyncio.to_thread(villages.count, context.services.db)


def _accept(draft: tip_flow.Draft, message: Message) -> str | None:
    if message.photo:
        return tip_flow.accept_media(draft, "photo", message.photo[-1].file_id,
                                     message.caption or "")
    if message.document:
        return tip_flow.accept_media(draft, "document", message.document.file_id,
                                     message.caption or "", message.document.file_size)
    if message.text:
        return tip_flow.accept_text(draft, message.text)
    return "unsupported"


def _problem(error: str) -> str:
    return {
        "too_short": _("Please tell a little more about what happened."),
        "too_long": _("That text is too long (at most 3,000 characters). Please send the most "
                      "important part, or split it into several messages at the offer step."),
        "too_big": _("That file is too large (at most 20 MB). Please send a screenshot "
                     "instead."),
        "use_buttons": _("Please choose one of the buttons."),
        "not_now": _("Files can be added at the offer step; please answer the question."),
        "too_many": _("That is enough files, thank you. Press Done to continue."),
        "unsupported": _("Please answer with text, a photo or a document."),
    }.get(error, _("Please answer the question."))


async def _offer_villages(message: Message, context: BotContext, draft: tip_flow.Draft,
                          text: str) -> None:
    found = await asyncio.to_thread(villages.search, context.services.db, text)
    # "Cancel report" stays alone in the last row here too, as on every step of the report.
    tail = ((Button(_("Skip"), "tf:skip"),), (Button(_("Cancel report"), "tf:cancel"),))
    if not found:
        await message.reply_text(**send_kwargs(Reply(
            _("I could not find that village. Check the spelling, or press Skip."), tail)))
        return
    rows = tuple((Button(v.label, f"tf:v:{v.id}"),) for v in found)
    reply = Reply(_("Which one is your village?"), (*rows, *tail))
    await message.reply_text(**send_kwargs(reply))


async def on_flow_button(update: Update, context: BotContext) -> None:
    """Buttons of the reporting conversation (skip, choices, village, send, cancel)."""
    query, user = update.callback_query, update.effective_user
    db = context.services.db
    if query.message is None or query.message.chat.id != user.id:
        # The report's steps live in the private chat; a press elsewhere is forged and would
        # post the draft's summary, or the receipt with its code, into a group.
        log.warning("report button pressed outside the private chat by account %s", user.id)
        await query.answer(_("This button is no longer valid."))
        return
    draft = await asyncio.to_thread(tip_flow.load, db, user.id)
    parts = (query.data or "").split(":")
    if draft is None:
        await query.answer(_("There is no report being written. Type /lapor to start one."))
        return
    await query.answer()
    draft.paused = False  # its own button: the report goes on
    if parts[1] == "cancel":
        await asyncio.to_thread(tip_flow.discard, db, user.id)
        await query.message.reply_text(_("Your report was cancelled and deleted."))
        return
    if parts[1] == "send":
        await _send(query.message, user, context, draft)
        return
    if not await _apply_button(parts, draft, context, user.id):
        await query.message.reply_text(_("This button is no longer valid."))
    if draft.step == "e_send":
        await _send(query.message, user, context, draft)
        return
    await asyncio.to_thread(tip_flow.save, db, draft)
    await query.message.reply_text(**send_kwargs(tip_flow.prompt(draft)))


async def _apply_button(parts: list[str], draft: tip_flow.Draft, context: BotContext,
                        user_id: int) -> bool:
    db = context.services.db
    skip_village = await _skip_village(context, draft)
    if parts[1] == "skip" and draft.step != "story":
        draft.advance(skip_village)
        return True
    if parts[1] == "clear":  # the story's guess was wrong: the step is asked plainly
        return tip_flow.clear_guess(draft)
    if parts[1] == "v" and len(parts) == 3 and re.fullmatch(r"[0-9]{1,10}", parts[2]) \
            and draft.step == "village":
        chosen = await asyncio.to_thread(_village_by_id, db, int(parts[2]))
        if chosen is None:
            return False
        draft.village_id, draft.village_name = chosen.id, chosen.label
        await asyncio.to_thread(villages.remember, db, user_id, chosen.id)
        draft.advance(skip_village=True)
        return True
    if len(parts) == 3 and parts[1] == draft.step and tip_flow.accept_choice(draft, parts[2]):
        draft.advance(skip_village)
        return True
    return False


def _village_by_id(db, village_id: int):  # type: ignore[no-untyped-def]
    from bot.core.storage.models import Village

    with db.session() as session:
        v = session.get(Village, village_id)
        return villages.VillageChoice(v.id, v.name, v.district, v.regency, v.office_id) \
            if v else None


async def _send(message: Message, user: User, context: BotContext,
                draft: tip_flow.Draft) -> None:
    services = context.services
    assessment = await asyncio.to_thread(assess, draft.offer_text or draft.story)
    story = draft.story
    if draft.emergency:
        story = "\n".join(filter(None, [
            draft.story, _("Where the person is now: {text}").format(text=draft.location)
            if draft.location else "", _("How to reach them: {text}").format(
                text=draft.contact) if draft.contact else ""])) or _("Emergency, no details.")
    data = TipInput(**{**draft.answers(), "story": story},
                    media=[tuple(m) for m in draft.media], risk=assessment.risk,
                    risk_flags=[f.name for f in assessment.flags], asked_urgent=draft.urgent)
    name = " ".join(filter(None, [user.full_name, f"@{user.username}" if user.username else ""]))
    try:
        tip = await asyncio.to_thread(submit, services.db, user.id, name, data,
                                      services.settings.tip_daily_limit, from_draft=True)
    except TipError as exc:
        await message.reply_text(_tip_refusal(exc.reason))
        if exc.reason == "limit":  # kept, not stuck: it can be sent tomorrow with /lapor
            await asyncio.to_thread(tip_flow.save, services.db, draft)
        return
    services.wake_outbox()
    if draft.emergency:
        text = _("Officers have been alerted now (emergency report {code}). Your identity "
                 "stays hidden; an officer may ask you questions through this bot. If a life "
                 "is in danger, call the numbers above as well.")
    elif draft.consent:
        text = _("Your report has been received. Its code is {code}. Keep this code: type "
                 "/status {code} to see what happens. Thank you; as you agreed, the officers "
                 "can see your Telegram name.")
    else:
        text = _("Your report has been received. Its code is {code}. Keep this code: type "
                 "/status {code} to see what happens. Thank you; your identity is protected.")
    await context.bot.send_message(user.id, text.format(code=tip.code))  # reporter only


def _tip_refusal(reason: str) -> str:
    return {
        "limit": _("You have sent many reports today, so this one was not sent. It stays "
                   "saved: send it tomorrow with /lapor, or /batal to delete it. If someone is "
                   "in danger now, call the police on {police} or KP2MI on {kp2mi} (free).")
        .format(**emergency_numbers()),
        "blocked": _("Reports from this account are not accepted. If this is a mistake, "
                     "please contact your immigration office."),
        "no_office": _("The reporting service is not set up yet. Please contact your "
                       "immigration office directly."),
        "no_draft": _("This report was already sent."),
    }.get(reason, _("Sorry, the report could not be sent."))


async def on_report_offer(update: Update, context: BotContext) -> None:
    """"Laporkan tawaran ini" under the offer checker's verdict, or the urgent button."""
    query = update.callback_query
    await query.answer()
    if query.data == "tip:urgent":  # its own short path, never the offer form
        prefill = {"emergency": True, "urgent": True, "step": "e_where"}
    else:
        prefill = {"offer_text": context.user_data.get("last_offer", "")}
        if prefill["offer_text"]:
            prefill["step"] = "story"
    await start_report(query.message, update.effective_user, context, prefill)


def register(app: Application) -> None:
    """Add the reporting handlers (before the free-text chat handler)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("lapor", cmd_lapor))
    app.add_handler(CommandHandler("batal", cmd_batal))
    app.add_handler(CommandHandler("status", cmd_status))
    app.add_handler(CallbackQueryHandler(on_flow_button, pattern=r"^tf:"))
    app.add_handler(CallbackQueryHandler(on_report_offer, pattern=r"^tip:(offer|urgent)$"))
    app.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.COMMAND &
                                   (filters.TEXT | filters.PHOTO | filters.Document.ALL),
                                   on_draft_message), group=3)
