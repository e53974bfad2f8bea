"""What users do: write, send photos, press buttons, answer polls, add the bot to groups.

Each action becomes the update real Telegram would send the bot, and a transcript line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.emulator.methods import new_callback_id
from bot.emulator.objects import chat_member
from bot.emulator.world import Chat, Event, World

if TYPE_CHECKING:
    from bot.emulator.updates import UpdateQueue

COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


class People:
    """User-side actions; mixed into `Emulator`, which provides `world` and `queue`."""

    world: World
    queue: UpdateQueue

    def person(self, first_name: str, username: str | None = None,
               user_id: int | None = None) -> Person:
        """Create a user with a private chat and return a handle for acting as them."""
        return Person(self, self.world.add_user(first_name, username, user_id))

    def _chat(self, user: dict[str, Any], chat: Chat | None) -> Chat:
        return chat or self.world.chats[user["id"]]

    async def _message_update(self, user: dict[str, Any], chat: Chat, key: str = "message",
                              **content: Any) -> int:
        msg = self.world.new_message(chat, user, **content)
        await self.world.record(chat.id, "in", key, content, msg)
        if chat.is_group and not self._bot_sees(chat, msg):
            return 0  # privacy mode: a plain group message never reaches the bot
        return await self.queue.put({key: msg})

    def _bot_sees(self, chat: Chat, msg: dict[str, Any]) -> bool:
        bot = self.world.bot_user
        if chat.members.get(bot["id"]) in {"administrator", "creator"}:
            return True
        if bot["id"] not in chat.members:
            return False
        text = msg.get("text") or msg.get("caption") or ""
        replied = (msg.get("reply_to_message") or {}).get("from", {}).get("id") == bot["id"]
        return text.startswith("/") or f"@{bot['username']}" in text or replied

    async def send_text(self, user: dict[str, Any], text: str, chat: Chat | None = None,
                        **extra: Any) -> int:
        """The user sends a text message; a leading /command gets its entity as in Telegram."""
        entities = None
        match = COMMAND_RE.match(text)
        if match:
            entities = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        return await self._message_update(user, self._chat(user, chat), text=text,
                                          entities=entities, **extra)

    async def forward_text(self, user: dict[str, Any], text: str, origin_name: str) -> int:
        """The user forwards someone else's message (a recruiter's offer, say) to the bot."""
        origin = {"type": "hidden_user", "sender_user_name": origin_name, "date": 1700000000}
        return await self._message_update(user, self._chat(user, None), text=text,
                                          forward_origin=origin)

    async def send_photo(self, user: dict[str, Any], data: bytes, caption: str | None = None,
                         chat: Chat | None = None) -> int:
        """The user sends a photo (a screenshot of an offer, say)."""
        file_id = self.world.store_file(data)
        photo = [{"file_id": file_id, "file_unique_id": file_id[:12], "width": 640,
                  "height": 480, "file_size": len(data)}]
        return await self._message_update(user, self._chat(user, chat), photo=photo,
                                          caption=caption)

    async def send_document(self, user: dict[str, Any], data: bytes, file_name: str,
                            caption: str | None = None) -> int:
        """The user sends a file."""
        file_id = self.world.store_file(data)
        doc = {"file_id": file_id, "file_unique_id": file_id[:12], "file_name": file_name,
               "file_size": len(data)}
        return await self._message_update(user, self._chat(user, None), document=doc,
                                          caption=caption)

    async def send_other(self, user: dict[str, Any], kind: str, chat: Chat | None = None) -> int:
        """The user sends a sticker, voice note, location or contact."""
        file_id = self.world.store_file(b"\x00")
        content = {
            "sticker": {"file_id": file_id, "file_unique_id": file_id[:12], "type": "regular",
                        "width": 512, "height": 512, "is_animated": False, "is_video": False},
            "voice": {"file_id": file_id, "file_unique_id": file_id[:12], "duration": 3},
            "location": {"latitude": -0.9186, "longitude": 104.4653},
            "contact": {"phone_number": "+6281200000000", "first_name": "Kontak"},
        }[kind]
        return await self._message_update(user, self._chat(user, chat), **{kind: content})

    async def edit_text(self, user: dict[str, Any], message: dict[str, Any], text: str) -> int:
        """The user edits a message they sent earlier."""
        message = {**message, "text": text, "edit_date": message["date"] + 1}
        chat = self.world.chats[message["chat"]["id"]]
        await self.world.record(chat.id, "in", "edited_message", {"text": text}, message)
        return await self.queue.put({"edited_message": message})

    async def press(self, user: dict[str, Any], event: Event, label: str | None = None,
                    data: str | None = None) -> int:
        """The user presses an inline button of a bot message, chosen by label or by data.

        With `data` that no button carries, this is a forged callback, as a hostile client
        could send; the bot must treat it as untrusted.
        """
        message = self.world.messages.get((event.chat_id, event.message["message_id"]))
        message = message or event.message
        if data is None:
            data = _button_data(message, label)
        query_id = new_callback_id()
        query = {"id": query_id, "from": user, "message": message,
                 "chat_instance": str(abs(event.chat_id)), "data": data}
        self.world.callbacks[query_id] = query
        await self.world.record(event.chat_id, "callback", "callback_query", {"data": data})
        return await self.queue.put({"callback_query": query})

    async def answer_poll(self, user: dict[str, Any], event: Event, option_ids: list[int]) -> int:
        """The user votes in a poll; non-anonymous polls send the bot a poll_answer."""
        poll = self.world.polls[event.message["poll"]["id"]]
        for i in option_ids:
            poll["options"][i]["voter_count"] += 1
        poll["total_voter_count"] += 1
        await self.world.record(event.chat_id, "poll_answer", "poll_answer",
                                {"option_ids": option_ids, "user": user["id"]})
        if poll["is_anonymous"]:
            return await self.queue.put({"poll": poll})
        answer = {"poll_id": poll["id"], "user": user, "option_ids": option_ids,
                  "option_persistent_ids": [str(i) for i in option_ids]}
        return await self.queue.put({"poll_answer": answer})

    async def add_bot_to_group(self, user: dict[str, Any], group: Chat,
                               as_admin: bool = False) -> int:
        """The user (who joins the group if needed) adds the bot to it."""
        group.members.setdefault(user["id"], "creator")
        bot = self.world.bot_user
        status = "administrator" if as_admin else "member"
        group.members[bot["id"]] = status
        change = {"chat": group.as_json(), "from": user, "date": 1700000000,
                  "old_chat_member": {"status": "left", "user": bot},
                  "new_chat_member": {"status": status, "user": bot}}
        if as_admin:
            change["new_chat_member"] = chat_member("administrator", bot)
        await self.queue.put({"my_chat_member": change})
        return await self._message_update(user, group, new_chat_members=[bot])

    async def block_bot(self, user: dict[str, Any]) -> int:
        """The user blocks the bot: later messages to them get 403."""
        chat = self.world.chats[user["id"]]
        chat.blocked_bot = True
        change = {"chat": chat.as_json(), "from": user, "date": 1700000000,
                  "old_chat_member": {"status": "member", "user": self.world.bot_user},
                  "new_chat_member": {"status": "kicked", "user": self.world.bot_user,
                                      "until_date": 0}}
        return await self.queue.put({"my_chat_member": change})


def _button_data(message: dict[str, Any], label: str | None) -> str:
    """The callback data of the button labelled exactly `label`, else the first containing it."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    buttons = [b for row in rows for b in row if "callback_data" in b]
    exact = [b for b in buttons if label is None or b["text"] == label]
    loose = [b for b in buttons if label and label.lower() in b["text"].lower()]
    for button in exact or loose:
        return button["callback_data"]
    labels = [b["text"] for b in buttons]
    raise LookupError(f"no button {label!r} on the message; buttons: {labels}")


class Person:
    """A handle for acting as one user in tests and the console."""

    def __init__(self, emu: Any, user: dict[str, Any]) -> None:
        self.emu = emu
        self.user = user
        self.id: int = user["id"]
        self.mark = 0

    @property
    def chat_id(self) -> int:
        """The id of this user's private chat with the bot."""
        return self.id

    async def say(self, text: str, chat: Chat | None = None) -> int:
        """Send text and remember the point in the transcript to read replies from."""
        self.mark = self.emu.last_seq()
        return await self.emu.send_text(self.user, text, chat)

    async def reply(self, chat: Chat | None = None, timeout: float = 10.0) -> Event:
        """The next bot message in this user's chat (or `chat`) since the last action."""
        event = await self.emu.next_from_bot(chat.id if chat else self.id, self.mark, timeout)
        self.mark = event.seq
        return event

    async def ask(self, text: str, timeout: float = 10.0) -> Event:
        """Say something in the private chat and return the bot's first answer."""
        await self.say(text)
        return await self.reply(timeout=timeout)

    async def press(self, event: Event, label: str | None = None,
                    data: str | None = None) -> int:
        """Press a button on a bot message."""
        self.mark = self.emu.last_seq()
        return await self.emu.press(self.user, event, label, data)

    async def edited(self, timeout: float = 10.0) -> Event:
        """The next bot message or edit in this user's chat since the last action."""
        event = await self.emu.next_from_bot(self.id, self.mark, timeout, ("out", "edit"))
        self.mark = event.seq
        return event
