"""Turns domain Replies into Telegram messages."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions

from bot.domain.replies import Reply


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply (None without buttons)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
         for row in reply.buttons]
    )


def send_kwargs(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for `send_message` / `edit_message_text`."""
    return {
        "text": reply.text,
        "reply_markup": markup(reply),
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
    }
