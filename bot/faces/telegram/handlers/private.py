"""Commands that only make sense in the private chat, typed in a group: say where to go.

In the village group, /status listed a villager's own report codes for everyone to read,
/desa started waiting for a village name that the next private message then answered, and
/start said nothing at all.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.i18n import _
from bot.faces.telegram.context import BotContext


def in_group(update: Update) -> bool:
    """True in a group or supergroup (where everyone reads the answer)."""
    chat = update.effective_chat
    return chat is not None and chat.type in {"group", "supergroup"}


async def send_to_private(update: Update, context: BotContext, text: str | None = None) -> None:
    """Answer in the group with why, and a button that opens the private chat."""
    text = text or _("This works in a private chat with me: press the button below, then send "
                     "the command there.")
    username = context.bot.username
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Chat with the bot"), url=f"https://t.me/{username}")]]) if username else None
    await update.effective_message.reply_text(text, reply_markup=markup)
