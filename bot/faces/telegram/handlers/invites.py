"""Deep links: /start inv_<token> registers an officer (or official) from a single-use invite."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, User

from bot.core.i18n import _
from bot.domain.people.roles import INVITE_PREFIX, redeem
from bot.faces.telegram.context import BotContext

log = logging.getLogger(__name__)


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
        await message.reply_text(_("Welcome! Your role has been registered."))
