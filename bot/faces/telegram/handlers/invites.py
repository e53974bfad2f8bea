"""Deep links: /start inv_<token> registers an officer (or official) from a single-use invite."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, User

from bot.core.i18n import _
from bot.domain.people.roles import INVITE_PREFIX, redeem
from bot.faces.telegram.context import BotContext

log = logging.getLogger(__name__)
GROUP_LINK_PAYLOAD = "hubungkan"  # t.me/<bot>?startgroup=hubungkan: add to a group, then link


def is_invite(payload: str) -> bool:
    """True for a /start payload that carries an invite token."""
    return payload.startswith(INVITE_PREFIX)


async def open_invite(message: Message, user: User, context: BotContext, payload: str) -> None:
    """Redeem the token; expired, used, revoked or forged tokens are refused alike."""
    token = payload.removeprefix(INVITE_PREFIX)
    result = await asyncio.to_thread(redeem, context.services.db, token, user.id,
                                     user.full_name)
    if not result.ok:
        log.warning("refused invite (%s) for account %s", result.reason, user.id)
        await message.reply_text(_("This invitation link is not valid: it may have expired or "
                                   "been used already. Ask your office for a new one."))
        return
    if result.role in {"officer", "admin"}:
        await message.reply_text(_("Welcome! You are now registered as an officer of {office}. "
                                   "New tips will reach you here; /laporan lists the open ones."
                                   ).format(office=result.office_name))
    else:
        await message.reply_text(official_welcome(result.office_name, context.bot.username))


def official_welcome(village: str, bot_username: str) -> str:
    """What a new village official reads: their village and the next three steps.

    It said only "your role has been registered", leaving the official to guess that the
    village group comes first.
    """
    return _("Welcome! You are now registered as an official of {village}.\n\n"
             "Next steps:\n"
             "1. Add the bot to the village group with this link: {link} (or add it by hand "
             "and send /hubungkan in the group).\n"
             "2. /pelajaran sends a lesson now or at a time you type, e.g. besok jam 7 malam.\n"
             "3. /kampanye tiap Jumat jam 7 malam 5 sets a weekly quiz; /statistik shows the "
             "results.\n"
             "/bantuan lists all your commands.").format(
        village=village, link=f"https://t.me/{bot_username}?startgroup={GROUP_LINK_PAYLOAD}")
