"""What villagers and officials read from the programme: lessons, progress, reports."""

from __future__ import annotations

from bot.core.formatting import format_number
from bot.core.i18n import _
from bot.domain.programme.broadcasts import Progress
from bot.domain.programme.library import Lesson
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
