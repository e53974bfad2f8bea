"""What villagers and officials read from the programme: lessons, progress, reports."""

from __future__ import annotations

from bot.core.formatting import format_number
from bot.core.i18n import _
from bot.domain.messaging.paid_broadcast import stars
from bot.domain.programme.broadcasts import Progress
from bot.domain.programme.library import Lesson
from bot.domain.programme.quiz_results import VillageStats
from bot.domain.replies import Reply


def lesson_reply(lesson: Lesson) -> Reply:
    """A lesson as sent to a village: title, text, sources."""
    sources = "; ".join(s.line() for s in lesson.sources[:2])
    text = f"\U0001f4d8 {lesson.title}\n\n{lesson.text}\n\n{_('Source:')} {sources}"
    return Reply(text[:4096], sources=lesson.sources)


def progress_text(counts: Progress, final: bool = False) -> str:
    """"terkirim 1.234 dari 5.000" while sending, a short report at the end."""
    text = _("Sent {sent} of {total}").format(sent=format_number(counts.sent),
                                               total=format_number(counts.total))
    if final:
        text = _("Broadcast finished: {sent} of {total} delivered, {failed} not delivered "
                 "(blocked the bot or unreachable).").format(
            sent=format_number(counts.sent), total=format_number(counts.total),
            failed=format_number(counts.failed))
        if counts.unknown:
            text += " " + _("{unknown} uncertain: Telegram's answer was lost, so they were not "
                            "sent again (nobody gets the message twice).").format(
                unknown=format_number(counts.unknown))
    return text


def paid_spend_text(spent_messages: int, cap_messages: int, stopped_by: str = "") -> str:
    """The Stars paid broadcasts cost this month and the cap, under a broadcast's report.

    `stopped_by`: "cap" or "balance" when the bot stopped paying and went on at the free
    pace, so the office knows why the rest of the broadcast was slower.
    """
    text = _("Paid broadcasts this month: {spent} of {cap} Telegram Stars.").format(
        spent=format_number(stars(spent_messages)), cap=format_number(stars(cap_messages)))
    if stopped_by == "cap":
        text += " " + _("The monthly cap is reached: the rest went at the free pace "
                        "(about 30 messages a second).")
    elif stopped_by == "balance":
        text += " " + _("The bot's Stars balance ran short: the rest went at the free pace "
                        "(about 30 messages a second). Top up the bot's Stars to pay again.")
    return text


def percent(score: float) -> str:
    """"67%" for a share of correct answers."""
    return f"{round(score * 100)}%"


def stats_summary(stats: VillageStats, titles: dict[str, str],
                  group_members: int | None = None) -> list[str]:
    """The /statistik lines an official reads at a glance.

    It said "Peserta: 3 dari 1 pelanggan" (people answering in the group are no
    subscribers), raw topic slugs and "0%" for a village where nobody had answered, and
    "Pelanggan: 0" for a village whose lessons reach a whole linked group: the audience is
    now told apart, people subscribed in a private chat and the groups (with their members
    when Telegram said how many, `group_members`).
    """
    lines = [_("Results for {village}:").format(village=stats.name),
             _("Subscribed in a private chat: {n} people").format(
                 n=format_number(stats.subscribers)), _groups_line(stats, group_members)]
    if not stats.answers:
        lines.append(_("Quiz answers: none yet. Send a quiz with /kampanye or /kuis in the "
                       "village group."))
        return lines
    others = stats.participants - stats.subscribed_participants
    lines.append(_("Took part in quizzes: {n} people ({subs} subscribers, {others} others, "
                   "e.g. in the village group)").format(
        n=format_number(stats.participants), subs=format_number(stats.subscribed_participants),
        others=format_number(others)))
    lines.append(_("Average score: {score} of {answers} answers").format(
        score=percent(stats.score), answers=format_number(stats.answers)))
    if stats.weakest:
        lines.append(_("Weakest topics: {topics}").format(topics=", ".join(
            f"{titles.get(t, t)} ({percent(s)})" for t, s in stats.weakest)))
    return lines


def _groups_line(stats: VillageStats, members: int | None) -> str:
    """How many village groups receive the lessons, or how to link one."""
    if not stats.group_chats:
        return _("Village groups linked: none yet (add me to the village group, then send "
                 "/hubungkan there)")
    groups = format_number(len(stats.group_chats))
    if members is None:
        return _("Village groups linked: {groups}").format(groups=groups)
    return _("Village groups linked: {groups} ({members} members)").format(
        groups=groups, members=format_number(members))
