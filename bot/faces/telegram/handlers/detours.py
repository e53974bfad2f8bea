"""A message that leaves a multi-step flow: cancel, stop, help, a new question.

The domain (`bot.domain.detours`) decides what the message means; this module answers it
and keeps the way back open: the report waits with "Continue" and "Cancel" buttons (a
cancel is confirmed first, since it deletes what was typed), and the flows that only wait
for one answer (an offer, a company or village name, a date, a note) simply stop waiting.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import _
from bot.domain.answers.conversation import help_reply
from bot.domain.detours import Expects, Kind, detour
from bot.domain.people.roles import roles_of
from bot.domain.programme import membership
from bot.domain.replies import Button, Reply
from bot.domain.tips import flow as tip_flow
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import pending
from bot.faces.telegram.handlers.render import send_kwargs

log = logging.getLogger(__name__)
HELD = pending.HELD
# What each step of the report expects, for the domain's decision.
REPORT_EXPECTS: dict[str, Expects] = {
    "story": "story", "offer": "story", "e_now": "story", "recruiter": "name",
    "destination": "name", "village": "name", "e_where": "name", "e_contact": "name",
}


async def classify(context: BotContext, text: str, expects: Expects, skippable: bool = False,
                   collects: bool = False) -> Kind | None:
    """The domain's decision, with the NLU on the event loop when it is quick."""
    nlu = context.services.nlu
    if nlu.answers_in_process(text):
        return detour(text, expects, nlu.parse, skippable, collects)
    return await asyncio.to_thread(detour, text, expects, nlu.parse, skippable, collects)


def stopped_text(was: bool) -> str:
    """What /berhenti says (also when typed as words in the middle of a flow)."""
    return (_("Done: you will no longer receive lessons and quizzes. Type /desa to join again.")
            if was else nothing_to_stop_text())


def nothing_to_stop_text() -> str:
    """For someone who asks to stop the messages but receives none from the bot.

    "You are not receiving broadcasts" alone read as a rebuke to a villager bothered by
    notifications, which most often come from the village group the bot posts in.
    """
    return _("There is nothing to stop: you are not receiving the village's lessons and "
             "quizzes from me in this chat. If the notifications come from your village "
             "group, you can mute that group in Telegram (tap the group's name, then Mute). "
             "You can still ask me anything at any time; to receive the lessons here, "
             "type /desa.")


async def stop_broadcasts(message: Message, context: BotContext, tail: Reply | None = None
                          ) -> None:
    """Unsubscribe this chat and say so (with the way back to a waiting report)."""
    was = await asyncio.to_thread(membership.unsubscribe, context.services.db, message.chat_id)
    text = stopped_text(was)
    reply = Reply(f"{text}\n\n{tail.text}", tail.buttons) if tail else Reply(text)
    await message.reply_text(**send_kwargs(reply))


async def send_help(message: Message, context: BotContext, user_id: int) -> None:
    """The /bantuan answer for this person's roles."""
    roles = await asyncio.to_thread(roles_of, context.services.db, user_id)
    await message.reply_text(**send_kwargs(help_reply(context.services.answers, roles)))


def report_waits(draft: tip_flow.Draft, held: bool = False) -> Reply:
    """The report is kept: go on where it was, use the held message in it, or cancel."""
    rows: list[tuple[Button, ...]] = [(Button(_("Continue the report"), "dt:k"),)]
    if held:
        rows.append((Button(_("Put my message in the report"), "dt:u"),))
    rows.append((Button(_("Cancel the report"), "tf:cancel"),))
    return Reply(_("Your report is not sent yet and stays saved. Press Continue to go on where "
                   "you left off, or send /batal to cancel it."), tuple(rows))


def confirm_cancel() -> Reply:
    """Cancelling deletes what was typed: asked once more."""
    return Reply(_("Cancel this report? What you have written so far will be deleted."),
                 ((Button(_("Yes, cancel the report"), "tf:cancel"),),
                  (Button(_("No, continue the report"), "dt:k"),)))


def what_to_stop() -> Reply:
    """"stop" in the middle of a report: the report, or the lessons and quizzes?"""
    return Reply(_("Your report is not sent yet. What would you like to stop?"),
                 ((Button(_("Cancel the report"), "tf:cancel"),),
                  (Button(_("Stop lessons and quizzes"), "dt:s"),),
                  (Button(_("Continue the report"), "dt:k"),)))


async def report_detour(message: Message, context: BotContext, draft: tip_flow.Draft,
                        text: str) -> Kind | None:
    """Answer a message that leaves the report; None when it is the step's answer."""
    expects = REPORT_EXPECTS.get(draft.step, "choice")
    kind = await classify(context, text, expects, skippable=expects == "name",
                          collects=draft.step == "offer")
    if kind in {None, "skip", "done"}:
        return kind  # the report's own handler moves on
    user_id = message.from_user.id
    if kind == "buttons":  # "tidak", "iya" typed at a button step: its buttons again
        step = tip_flow.prompt(draft)
        await message.reply_text(**send_kwargs(Reply(
            _("Please choose one of the buttons.") + "\n\n" + step.text, step.buttons)))
    elif kind == "cancel":
        await message.reply_text(**send_kwargs(confirm_cancel()))
    elif kind == "stop":
        await message.reply_text(**send_kwargs(what_to_stop()))
    elif kind == "unsubscribe":
        await stop_broadcasts(message, context, report_waits(draft))
    elif kind == "help":
        await send_help(message, context, user_id)
        await message.reply_text(**send_kwargs(report_waits(draft)))
    else:
        from bot.faces.telegram.handlers.chat import answer_question

        held = expects != "choice"
        if held:
            context.user_data[HELD] = text[:tip_flow.MAX_TEXT]
        await answer_question(message, context, text, message.from_user)
        await message.reply_text(**send_kwargs(report_waits(draft, held)))
    return kind


def cancelled_text(key: str) -> str:
    """What was dropped, in the words of the flow that waited."""
    if key == pending.TYPED:
        return _("Cancelled: nothing was saved or sent.")
    if key == pending.COMPOSING:
        return _("Cancelled: the message was not sent to the officers.")
    if key == pending.SCHEDULING:
        return _("Cancelled: the lesson was not scheduled. Choose it again with /pelajaran.")
    return _("OK, cancelled. Ask me anything, or send /menu for the topics.")


async def waiting_detour(message: Message, context: BotContext, text: str, expects: Expects,
                         key: str) -> bool:
    """A flow waiting for one typed answer (`key` in user_data): True when the text left it.

    Nothing typed is lost by leaving, so it stops waiting and answers what was asked.
    """
    kind = await classify(context, text, expects)
    if kind is None:
        return False
    context.user_data.pop(key, None)
    if kind in {"cancel", "stop"}:
        rows = ((Button(_("Stop lessons and quizzes"), "dt:s"),),) if kind == "stop" else ()
        await message.reply_text(**send_kwargs(Reply(cancelled_text(key), rows)))
    elif kind == "unsubscribe":
        await stop_broadcasts(message, context)
    elif kind == "help":
        await send_help(message, context, message.from_user.id)
    else:
        from bot.faces.telegram.handlers.chat import answer_question

        await answer_question(message, context, text, message.from_user)
    return True


async def on_detour_button(update: Update, context: BotContext) -> None:
    """Continue the report, use the held message in it, or stop broadcasts."""
    query, user = update.callback_query, update.effective_user
    act = (query.data or "")[3:]
    if query.message is None or query.message.chat.id != user.id or act not in "kus" \
            or len(act) != 1:
        await query.answer(_("This button is no longer valid."))
        return
    await query.answer()
    db = context.services.db
    held = context.user_data.pop(HELD, None) if context.user_data is not None else None
    draft = await asyncio.to_thread(tip_flow.load, db, user.id)
    if act == "s":
        await stop_broadcasts(query.message, context, report_waits(draft) if draft else None)
    elif draft is None:
        await query.message.reply_text(_("There is no report being written. Type /lapor to "
                                         "start one."))
    elif act == "u" and held:
        from bot.faces.telegram.handlers.reporting import take_text

        await take_text(query.message, user, context, draft, str(held))
    else:
        draft.paused = False
        await asyncio.to_thread(tip_flow.save, db, draft)  # active again for 30 minutes
        await query.message.reply_text(**send_kwargs(tip_flow.prompt(draft)))


PAUSED = "report_paused"  # set before a command's handler, read after it (same update)
KEEPS_REPORT = {"/lapor", "/batal"}  # these resume or delete the report themselves


async def pause_report(update: Update, context: BotContext) -> None:
    """A command in the middle of a report: the next typed text is not its answer."""
    message, user = update.effective_message, update.effective_user
    words = (message.text or "").split(maxsplit=1)
    command = words[0].split("@")[0].lower() if words else ""
    db = context.services.db
    if user is None or command in KEEPS_REPORT or not tip_flow.may_have_draft(db, user.id):
        return
    if await asyncio.to_thread(tip_flow.pause, db, user.id) and context.user_data is not None:
        context.user_data[PAUSED] = True


async def remind_paused_report(update: Update, context: BotContext) -> None:
    """After the command's own answer: the report waits, with the way back and the way out."""
    if context.user_data is None or not context.user_data.pop(PAUSED, None):
        return
    await remind_report(update.effective_message)


async def remind_report(message: Message) -> None:
    """The report is paused, not lost: continue or cancel it."""
    await message.reply_text(**send_kwargs(Reply(
        _("You also have a report that is not sent yet. Continue it, or cancel it?"),
        ((Button(_("Continue the report"), "dt:k"),),
         (Button(_("Cancel the report"), "tf:cancel"),)))))


async def pause_for_button(context: BotContext, user_id: int) -> bool:
    """A topic button pressed in the middle of a report pauses it as a command does.

    "Cek tawaran kerja" pressed at the recruiter step, then the pasted advert, stored the
    advert as the recruiter's name instead of checking it.
    """
    db = context.services.db
    return tip_flow.may_have_draft(db, user_id) and await asyncio.to_thread(
        tip_flow.pause, db, user_id)


def register(app: Application) -> None:
    """The detour buttons; a command pauses a report before it runs and reminds after."""
    app.add_handler(CallbackQueryHandler(on_detour_button, pattern=r"^dt:"))
    commands = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND
    app.add_handler(MessageHandler(commands, pause_report), group=-2)
    app.add_handler(MessageHandler(commands, remind_paused_report), group=6)
