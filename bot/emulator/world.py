"""What the emulated Telegram knows: users, chats, messages, files, polls and the transcript.

Everything is kept as the JSON dictionaries Telegram would send, so that what the bot receives
through the emulator is exactly what python-telegram-bot parses from real Telegram.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 7000000001


@dataclass
class Chat:
    """A private chat, group or supergroup the emulator knows about."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    blocked_bot: bool = False
    next_message_id: int = 1

    def as_json(self) -> dict[str, Any]:
        """The `Chat` object as Telegram sends it."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        if self.username:
            data["username"] = self.username
        return data

    @property
    def is_group(self) -> bool:
        """Groups have stricter flood limits and several members."""
        return self.type in {"group", "supergroup"}


@dataclass
class Event:
    """One line of a chat's transcript: something a user did or the bot sent."""

    seq: int
    chat_id: int
    direction: str  # "in" from a user, "out" from the bot, "edit", "callback", "poll_answer"
    method: str
    params: dict[str, Any]
    message: dict[str, Any] | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """The visible text of the message (or caption, or poll question)."""
        msg = self.message or {}
        if "poll" in msg:
            return msg["poll"]["question"]
        return msg.get("text") or msg.get("caption") or self.params.get("text") or ""

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows attached to the message, if any."""
        markup = (self.message or {}).get("reply_markup") or {}
        return markup.get("inline_keyboard", [])

    def button_texts(self) -> list[str]:
        """All button labels, row by row."""
        return [b["text"] for row in self.buttons for b in row]


class World:
    """The shared state behind the HTTP API and the user-side actions."""

    def __init__(self, bot_username: str = "desabinaan_bot", bot_id: int = BOT_ID,
                 ids: Iterator[int] | None = None) -> None:
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Desa Binaan",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.polls: dict[str, dict[str, Any]] = {}
        self.poll_messages: dict[str, tuple[int, int]] = {}
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.transcript: list[Event] = []
        self.by_chat: dict[int, list[Event]] = defaultdict(list)
        self.commands: list[dict[str, Any]] = []
        self.descriptions: dict[str, str] = {}  # what setMyDescription/ShortDescription set
        self.changed = asyncio.Condition()
        self.listeners: list[Callable[[Event], None]] = []
        # False: events go to the listeners only, and sent messages are not kept (a load
        # benchmark's hundreds of thousands of sends; nothing can be edited or replied to).
        self.keep = True
        self._seq = itertools.count(1)
        # Several bots of one emulator share this counter: a person or group id means the
        # same on every bot, as on Telegram, and two bots' villagers never share an id.
        self._ids = ids if ids is not None else itertools.count(100000)

    # -- identities -------------------------------------------------------------------
    def add_user(self, first_name: str, username: str | None = None, user_id: int | None = None,
                 last_name: str | None = None) -> dict[str, Any]:
        """Create a user and their private chat with the bot."""
        uid = user_id if user_id is not None else next(self._ids)
        user = {"id": uid, "is_bot": False, "first_name": first_name, "language_code": "id"}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        self.users[uid] = user
        self.chats[uid] = Chat(id=uid, type="private", first_name=first_name, username=username)
        return user

    def add_group(self, title: str, chat_id: int | None = None) -> Chat:
        """Create a supergroup (the bot is not a member until a user adds it)."""
        gid = chat_id if chat_id is not None else -1000000000000 - next(self._ids)
        chat = Chat(id=gid, type="supergroup", title=title)
        self.chats[gid] = chat
        return chat

    # -- messages ---------------------------------------------------------------------
    def new_message(self, chat: Chat, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        """Store and return a message in `chat` from `sender`."""
        msg: dict[str, Any] = {
            "message_id": chat.next_message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": sender,
        }
        chat.next_message_id += 1
        msg.update({k: v for k, v in content.items() if v is not None})
        if self.keep:
            self.messages[(chat.id, msg["message_id"])] = msg
        return msg

    def store_file(self, data: bytes) -> str:
        """Keep uploaded bytes under a new file_id so `getFile` can serve them later."""
        file_id = "F" + secrets.token_urlsafe(16)
        self.files[file_id] = data
        return file_id

    async def record(self, chat_id: int, direction: str, method: str, params: dict[str, Any],
                     message: dict[str, Any] | None = None) -> Event:
        """Append to the transcript and wake everybody waiting for a change."""
        event = Event(next(self._seq), chat_id, direction, method, params, message)
        if self.keep:
            self.transcript.append(event)
            self.by_chat[chat_id].append(event)
        for listener in self.listeners:
            listener(event)
        await self.notify()
        return event

    async def notify(self) -> None:
        """Wake everybody waiting for a change (a test waiting on the transcript, say)."""
        async with self.changed:
            self.changed.notify_all()

    def bot_messages(self, chat_id: int) -> list[Event]:
        """Messages the bot sent to a chat, in order (edits are applied to the messages)."""
        return [e for e in self.by_chat[chat_id] if e.direction == "out"]
