"""Quizzes, lessons, campaigns and results: /kuis, /pelajaran, /kampanye, /statistik."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    PollAnswerHandler,
)

from bot.core.formatting import ZONE_ABBREVIATIONS, format_datetime_local
from bot.core.i18n import _
from bot.domain.programme import broadcasts, campaigns
from bot.domain.programme import planning as programme
from bot.domain.programme.charts import stats_chart
from bot.domain.programme.quiz_results import ranking, record_answer, remember_poll, village_stats
from bot.domain.programme.texts import lesson_reply, percent, stats_summary
from bot.domain.programme.villages import remembered
from bot.domain.replies import Button, Reply
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import pending
from bot.faces.telegram.handlers.detours import waiting_detour
from bot.faces.telegram.handlers.pending import SCHEDULING
from bot.faces.telegram.handlers.render import send_kwargs


async def send_quiz(message: Message, context: BotContext) -> None:
    """One random question as a native quiz poll, answers counted for the village."""
    services = context.services
    questions = services.library.pick(1)
    if not questions:
        await message.reply_text(_("There are no quiz questions yet."))
        return
    q = questions[0]
    sent = await message.reply_poll(q.question, list(q.options), type="quiz",
                                    is_anonymous=False, correct_option_ids=[q.correct],
                                    explanation=q.explanation or None)
    village = await asyncio.to_thread(remembered, services.db, message.from_user.id)
    await asyncio.to_thread(remember_poll, services.db, sent.poll.id, q, message.chat_id,
                            village.id if village else None)


async def cmd_kuis(update: Update, context: BotContext) -> None:
    """/kuis: take a question now."""
    await send_quiz(update.effective_message, context)


async def on_poll_answer(update: Update, context: BotContext) -> None:
    """Record a quiz answer; answers to polls we did not send are ignored on purpose."""
    answer = update.poll_answer
    if answer.user is None:
        return
    await asyncio.to_thread(record_answer, context.services.db, answer.poll_id, answer.user.id,
                            list(answer.option_ids))


async def _village_or_refuse(update: Update, context: BotContext
                             ) -> programme.ManagedVillage | None:
    code, _rest = programme.split_code(context.args or [])
    village = await asyncio.to_thread(programme.managed_village, context.services.db,
                                      update.effective_user.id, code)
    if village is None:
        await update.effective_message.reply_text(_(
            "This command is for village officials and officers. Officers with several "
            "villages add the village code, e.g. /pelajaran 52.01.01.2001."))
    return village


async def cmd_pelajaran(update: Update, context: BotContext) -> None:
    """/pelajaran: choose a lesson to preview and send to the village."""
    village = await _village_or_refuse(update, context)
    if village is None:
        return
    lessons = context.services.library.lessons.values()
    rows = tuple((Button(lesson.title[:60], f"pl:v:{village.id}:{lesson.id}"[:64]),)
                 for lesson in lessons)
    await update.effective_message.reply_text(**send_kwargs(Reply(
        _("Choose a lesson for {village}:").format(village=village.name), rows)))


MAX_COUNTED_GROUPS = 10  # more linked groups: /statistik says how many, not their members
PL_RE = re.compile(r"^pl:(?P<act>[vns]):(?P<village>\d{1,10}):(?P<lesson>[a-z0-9-]{1,40})$")


async def on_lesson_button(update: Update, context: BotContext) -> None:
    """Preview, send now, or schedule; the village is re-authorised on every press."""
    query, user = update.callback_query, update.effective_user
    match = PL_RE.match(query.data or "")
    services = context.services
    lesson = services.library.lessons.get(match["lesson"]) if match else None
    allowed = match and lesson and await asyncio.to_thread(
        programme.may_manage, services.db, user.id, int(match["village"]))
    if not allowed:
        await query.answer(_("You are not allowed to do this."), show_alert=True)
        return
    await query.answer()
    village_id = int(match["village"])
    if match["act"] == "v":
        preview = lesson_reply(lesson)
        rows = ((Button(_("Send now"), f"pl:n:{village_id}:{lesson.id}"),
                 Button(_("Schedule"), f"pl:s:{village_id}:{lesson.id}")),)
        await query.message.reply_text(**send_kwargs(Reply(preview.text, rows)))
    elif match["act"] == "n":
        await asyncio.to_thread(broadcasts.create, services.db, village_id, "lesson",
                                {"lesson": lesson.id}, user.id,
                                progress_chat_id=query.message.chat_id)
        services.wake_deliveries()
        await query.message.reply_text(_("Sending the lesson to the village now."))
    else:
        context.user_data[SCHEDULING] = (village_id, lesson.id)
        await query.message.reply_text(_("When? Type the day and time in the village's own "
                                         "time, for example: besok jam 7 malam, Jumat depan "
                                         "19.00 or 4-12-2026 19.00"))


async def schedule_typed(message: Message, context: BotContext) -> bool:
    """The date and time typed after "Schedule"; True when the message was that."""
    waiting = context.user_data.pop(SCHEDULING, None)
    if waiting is None:
        return False
    if await waiting_detour(message, context, message.text or "", "when", SCHEDULING):
        return True  # "gak jadi", "menu", a question: the lesson is not scheduled
    village_id, lesson_id = waiting
    services = context.services
    if not await asyncio.to_thread(programme.may_manage, services.db, message.from_user.id,
                                   village_id):
        return True
    zone = await asyncio.to_thread(programme.village_zone, services.db, village_id)
    when = programme.parse_when(message.text or "", zone)
    if when is None:
        context.user_data[SCHEDULING] = waiting
        await message.reply_text(_("I did not understand the day and time. Write for example: "
                                   "besok jam 7 malam, Jumat depan 19.00 or 4-12-2026 19.00 "
                                   "(any command stops this)."))
        return True
    if when <= datetime.now(UTC):
        context.user_data[SCHEDULING] = waiting
        await message.reply_text(_("{when} has already passed. Type a later day and time.")
                                 .format(when=format_datetime_local(when, zone)))
        return True
    broadcast_id = await asyncio.to_thread(
        broadcasts.create, services.db, village_id, "lesson", {"lesson": lesson_id},
        message.from_user.id, scheduled_for=when, progress_chat_id=message.chat_id)
    await message.reply_text(**send_kwargs(Reply(
        _("Scheduled for {when}.").format(when=format_datetime_local(when, zone)),
        ((Button(_("Cancel this schedule"), f"pc:{broadcast_id}"),),))))
    return True


async def on_cancel_schedule(update: Update, context: BotContext) -> None:
    """"Cancel this schedule" under a scheduled lesson; re-authorised on the server."""
    query = update.callback_query
    match = re.fullmatch(r"pc:(\d{1,10})", query.data or "")
    done = match is not None and await asyncio.to_thread(
        programme.cancel_scheduled, context.services.db, update.effective_user.id,
        int(match[1]))
    if not done:
        await query.answer(_("This lesson can no longer be cancelled: it was already sent or "
                             "cancelled."), show_alert=True)
        return
    await query.answer()
    await query.message.reply_text(_("Schedule cancelled: the lesson will not be sent. Choose "
                                     "it again with /pelajaran."))


async def cmd_kampanye(update: Update, context: BotContext) -> None:
    """/kampanye jumat 19.00 [5] [topic]: a weekly quiz for the village."""
    village = await _village_or_refuse(update, context)
    if village is None:
        return
    _code, args = programme.split_code(context.args or [])
    services = context.services
    if not args:
        rows = await asyncio.to_thread(campaigns.village_campaigns, services.db, village.id)
        await update.effective_message.reply_text(**send_kwargs(campaigns.campaigns_reply(
            village.name, ZONE_ABBREVIATIONS.get(village.timezone, village.timezone), rows)))
        return
    spec = programme.parse_campaign(args, set(services.library.topics))
    if spec is None:
        topics = ", ".join(sorted(services.library.topics))
        await update.effective_message.reply_text(_(
            "Usage: /kampanye DAY TIME [number of questions] [topic], for example "
            "/kampanye tiap Jumat jam 7 malam 5 or /kampanye jumat 19.00 5; /kampanye alone "
            "lists the village's quizzes. Topics: {topics}").format(topics=topics))
        return
    campaign_id = await asyncio.to_thread(programme.create_campaign, services.db, village.id,
                                          spec, update.effective_user.id)
    row = campaigns.CampaignRow(campaign_id, spec.weekday, spec.hour, spec.minute,
                                spec.questions, spec.topic, True)
    zone = ZONE_ABBREVIATIONS.get(village.timezone, village.timezone)
    await update.effective_message.reply_text(_(
        "Weekly quiz set for {village}: {what}. Send /kampanye to list, pause or stop it.")
        .format(village=village.name, what=campaigns.describe(row, zone)))


async def cmd_statistik(update: Update, context: BotContext) -> None:
    """/statistik: the village's results as a chart and a short text."""
    services, user = context.services, update.effective_user
    code, _rest = programme.split_code(context.args or [])
    village = await asyncio.to_thread(programme.managed_village, services.db, user.id, code)
    office_villages = await asyncio.to_thread(programme.office_village_ids, services.db,
                                              user.id)
    if village is None and not office_villages:
        await update.effective_message.reply_text(_("This command is for village officials "
                                                    "and officers."))
        return
    target = village.id if village else office_villages[0]
    stats = await asyncio.to_thread(village_stats, services.db, target)
    titles = services.library.topics
    lines = stats_summary(stats, titles, await group_members(context, stats.group_chats))
    if office_villages:
        ranked = await asyncio.to_thread(ranking, services.db, office_villages)
        lines.append(_("Villages of your office (score, people who answered):"))
        lines += [f"{i}. {name}: " + (f"{percent(score)} ({n})" if n else _("no answers yet"))
                  for i, (name, score, n) in enumerate(ranked[:10], 1)]
    png = await asyncio.to_thread(stats_chart, stats, stats.name,
                                  {"trend": _("Score per week"), "topics": _("Score per topic"),
                                   "none": _("no answers yet")}, titles)
    await update.effective_message.reply_photo(png, caption="\n".join(lines)[:1024])


async def group_members(context: BotContext, chats: list[int]) -> int | None:
    """Members of the village's linked groups, as Telegram counts them (bots included).

    None when Telegram did not say for one of them (the bot removed, a timeout): the
    official then reads how many groups, not a wrong total.
    """
    if not chats or len(chats) > MAX_COUNTED_GROUPS:
        return None

    async def one(chat_id: int) -> int:
        return await context.bot.get_chat_member_count(chat_id, read_timeout=5)

    try:
        counts = await asyncio.wait_for(asyncio.gather(*(one(c) for c in chats)), 8)
    except (TelegramError, TimeoutError):
        return None
    return sum(counts)


async def on_schedule_text(update: Update, context: BotContext) -> None:
    """The date typed after pressing "Schedule"."""
    await schedule_typed(update.effective_message, context)


KC_RE = re.compile(r"^kc:(?P<act>pause|resume|stop):(?P<id>\d{1,10})$")


async def on_campaign_button(update: Update, context: BotContext) -> None:
    """Pause, resume or stop a campaign; the village is re-authorised on every press."""
    query, services = update.callback_query, context.services
    match = KC_RE.match(query.data or "")
    done = await asyncio.to_thread(campaigns.change, services.db, update.effective_user.id,
                                   int(match["id"]), match["act"]) if match else None
    if done is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await query.answer()
    village_id, _row = done
    said = {"pause": _("Paused: no quiz is sent until you resume it."),
            "resume": _("Resumed: the quiz is sent again every week."),
            "stop": _("Stopped and removed. Quizzes already sent stay.")}[match["act"]]
    rows = await asyncio.to_thread(campaigns.village_campaigns, services.db, village_id)
    village = await asyncio.to_thread(programme.village_by_id, services.db, village_id)
    listing = campaigns.campaigns_reply(
        village.name, ZONE_ABBREVIATIONS.get(village.timezone, village.timezone), rows)
    await query.message.reply_text(**send_kwargs(Reply(f"{said}\n\n{listing.text}",
                                                       listing.buttons)))


def register(app: Application) -> None:
    """Add the programme handlers."""
    app.add_handler(CallbackQueryHandler(on_campaign_button, pattern=r"^kc:"))
    pending.expect(SCHEDULING, on_schedule_text)
    app.add_handler(CommandHandler("kuis", cmd_kuis))
    app.add_handler(CommandHandler("pelajaran", cmd_pelajaran))
    app.add_handler(CommandHandler("kampanye", cmd_kampanye))
    app.add_handler(CommandHandler("statistik", cmd_statistik))
    app.add_handler(CallbackQueryHandler(on_lesson_button, pattern=r"^pl:"))
    app.add_handler(CallbackQueryHandler(on_cancel_schedule, pattern=r"^pc:"))
    app.add_handler(PollAnswerHandler(on_poll_answer))
