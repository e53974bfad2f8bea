"""The Bot API methods the emulator implements, with Telegram's checks and answers."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.limits import BalanceTooLow, FloodLimits
from bot.emulator.objects import chat_full_info, chat_member, photo_sizes, poll_json
from bot.emulator.setup_methods import SetupMethods
from bot.emulator.spec import BadRequest
from bot.emulator.updates import UpdateQueue
from bot.emulator.world import Chat, World

SENDING = {"sendmessage", "sendphoto", "senddocument", "copymessage", "forwardmessage",
           "sendpoll", "sendmediagroup"}

NANO = 1_000_000_000  # nanostars in a Star (StarAmount.nanostar_amount)
PAID_NANOSTARS = NANO // 10  # 0.1 Star: a paid message beyond the free 30 a second
# The Bot API page's "Paid broadcasts" section asks for a balance of at least 10,000 Stars
# (the specification's JSON does not carry that section; see README.md).
PAID_MINIMUM_STARS = 10_000
BALANCE_TOO_LOW = "Bad Request: BALANCE_TOO_LOW"
Handler = Callable[[dict[str, Any], dict[str, bytes]], Awaitable[Any]]


class TooManyRequests(BadRequest):
    """Telegram's 429 with the seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too Many Requests: retry after {retry_after}", code=429)
        self.retry_after = retry_after


class Forbidden(BadRequest):
    """Telegram's 403: blocked by the user, or not a member of the group."""

    def __init__(self, description: str) -> None:
        super().__init__(f"Forbidden: {description}", code=403)


class BotApi(SetupMethods):
    """Implements each method on the shared `World`; one instance per emulator.

    The methods about the bot itself and how it gets its updates are in `SetupMethods`;
    here are the sending, editing and chat methods, with the flood limits and paid Stars.
    """

    def __init__(self, world: World, queue: UpdateQueue, limits: FloodLimits) -> None:
        self.world = world
        self.queue = queue
        self.limits = limits
        self.paid_messages = 0  # billed: sent with allow_paid_broadcast beyond the free 30/s
        self.stars_nano = 0  # the bot's Stars balance, in nanostars (seed with seed_stars)
        self.paid_minimum_stars = PAID_MINIMUM_STARS
        self.handlers: dict[str, Handler] = {
            name.removeprefix("m_"): getattr(self, name)
            for name in dir(self) if name.startswith("m_")
        }

    async def call(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        """Run one method; raises BadRequest (or a subclass) the way Telegram answers."""
        handler = self.handlers.get(method)
        if handler is None:
            raise BadRequest(f"Bad Request: method {method} is not implemented by the emulator")
        if method.lower() not in SENDING:
            return await handler(params, files)
        chat = self.target_chat(params["chat_id"])
        paid = bool(params.get("allow_paid_broadcast"))
        billed: list[bool] = []

        def pay() -> bool:
            billed.append(self._pay())
            return billed[-1]

        try:
            retry = self.limits.check(chat.id, chat.is_group, paid, pay)
        except BalanceTooLow:
            raise BadRequest(BALANCE_TOO_LOW) from None
        if retry is not None:
            raise TooManyRequests(retry)
        try:
            return await handler(params, files)
        except BaseException:
            if any(billed):  # only a message that went is billed
                self.stars_nano += PAID_NANOSTARS
                self.paid_messages -= 1
            raise

    def seed_stars(self, stars: float) -> None:
        """Give the bot a Stars balance (on Telegram: bought, or earned from payments)."""
        self.stars_nano = round(stars * NANO)

    def _pay(self) -> bool:
        """Withdraw one paid message's 0.1 Star, or say the balance is short (nothing taken)."""
        if self.stars_nano < max(PAID_NANOSTARS, self.paid_minimum_stars * NANO):
            return False
        self.stars_nano -= PAID_NANOSTARS
        self.paid_messages += 1
        return True

    @property
    def stars_spent(self) -> float:
        """Stars billed so far for paid broadcasts (0.1 for each paid message)."""
        return self.paid_messages * PAID_NANOSTARS / NANO

    async def m_getMyStarBalance(self, params: dict, files: dict) -> dict[str, int]:
        whole, nano = divmod(self.stars_nano, NANO)  # amount rounded to 0, as Telegram's
        if whole < 0 and nano:
            whole, nano = whole + 1, nano - NANO
        return {"amount": whole, "nanostar_amount": nano} if nano else {"amount": whole}

    # -- helpers ----------------------------------------------------------------------
    def target_chat(self, chat_id: Any) -> Chat:
        """The chat a message goes to, checked the way Telegram checks it."""
        chat = self.find_chat(chat_id)
        if chat.blocked_bot:
            raise Forbidden("bot was blocked by the user")
        if chat.is_group and self.world.bot_user["id"] not in chat.members:
            raise Forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def find_chat(self, chat_id: Any) -> Chat:
        """Look a chat up by id or @username."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.world.chats.values():
                if chat.username and "@" + chat.username == chat_id:
                    return chat
        else:
            chat = self.world.chats.get(int(chat_id))
            if chat:
                return chat
        raise BadRequest("Bad Request: chat not found")

    def bot_message(self, chat_id: Any, message_id: int) -> dict[str, Any]:
        """A message the bot sent earlier; editing anything else is an error."""
        chat = self.find_chat(chat_id)
        msg = self.world.messages.get((chat.id, int(message_id)))
        if msg is None:
            raise BadRequest("Bad Request: message to edit not found")
        if msg["from"]["id"] != self.world.bot_user["id"]:
            raise BadRequest("Bad Request: message can't be edited")
        return msg

    async def _send(self, method: str, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = self.target_chat(params["chat_id"])
        markup = params.get("reply_markup")
        check_markup(markup)
        reply = params.get("reply_parameters") or {}
        msg = self.world.new_message(chat, self.world.bot_user, reply_markup=markup,
                                     **content)
        if reply.get("message_id"):
            original = self.world.messages.get((chat.id, reply["message_id"]))
            if original:
                msg["reply_to_message"] = original
        await self.world.record(chat.id, "out", method, params, msg)
        return msg

    # -- sending ----------------------------------------------------------------------
    async def m_sendMessage(self, params: dict, files: dict) -> dict[str, Any]:
        text = params["text"]
        if not text.strip():
            raise BadRequest("Bad Request: message text is empty")
        if len(text) > 4096:
            raise BadRequest("Bad Request: message is too long")
        return await self._send("sendMessage", params, text=text)

    async def m_sendPhoto(self, params: dict, files: dict) -> dict[str, Any]:
        file_id = self._file(params["photo"], files)
        return await self._send("sendPhoto", params, photo=photo_sizes(file_id, self.world),
                                caption=_caption(params))

    async def m_sendDocument(self, params: dict, files: dict) -> dict[str, Any]:
        file_id = self._file(params["document"], files)
        doc = {"file_id": file_id, "file_unique_id": file_id[:12],
               "file_size": len(self.world.files[file_id]), "file_name": "document"}
        return await self._send("sendDocument", params, document=doc, caption=_caption(params))

    async def m_sendPoll(self, params: dict, files: dict) -> dict[str, Any]:
        poll = poll_json(params)
        msg = await self._send("sendPoll", params, poll=poll)
        self.world.polls[poll["id"]] = poll
        self.world.poll_messages[poll["id"]] = (msg["chat"]["id"], msg["message_id"])
        return msg

    async def m_stopPoll(self, params: dict, files: dict) -> dict[str, Any]:
        msg = self.bot_message(params["chat_id"], params["message_id"])
        if "poll" not in msg:
            raise BadRequest("Bad Request: message with poll to stop not found")
        msg["poll"]["is_closed"] = True
        return msg["poll"]

    async def m_copyMessage(self, params: dict, files: dict) -> dict[str, Any]:
        source = self.world.messages.get((self.find_chat(params["from_chat_id"]).id,
                                          params["message_id"]))
        if source is None:
            raise BadRequest("Bad Request: message to copy not found")
        content = {k: v for k, v in source.items()
                   if k in {"text", "photo", "document", "caption", "sticker", "voice"}}
        if "caption" in params:
            content["caption"] = params["caption"]
        msg = await self._send("copyMessage", params, **content)
        return {"message_id": msg["message_id"]}

    async def m_forwardMessage(self, params: dict, files: dict) -> dict[str, Any]:
        source_chat = self.find_chat(params["from_chat_id"])
        source = self.world.messages.get((source_chat.id, params["message_id"]))
        if source is None:
            raise BadRequest("Bad Request: message to forward not found")
        content = {k: v for k, v in source.items()
                   if k in {"text", "photo", "document", "caption", "sticker", "voice"}}
        origin = {"type": "user", "sender_user": source["from"], "date": source["date"]}
        return await self._send("forwardMessage", params, forward_origin=origin, **content)

    async def m_sendChatAction(self, params: dict, files: dict) -> bool:
        self.target_chat(params["chat_id"])
        return True

    # -- editing ----------------------------------------------------------------------
    async def m_editMessageText(self, params: dict, files: dict) -> dict[str, Any]:
        msg = self.bot_message(params["chat_id"], params["message_id"])
        text, markup = params["text"], params.get("reply_markup")
        check_markup(markup)
        if not text.strip() or len(text) > 4096:
            raise BadRequest("Bad Request: text must be 1-4096 characters")
        if msg.get("text") == text and msg.get("reply_markup") == markup:
            raise BadRequest("Bad Request: message is not modified")
        msg["text"] = text
        _set_markup(msg, markup)
        await self.world.record(msg["chat"]["id"], "edit", "editMessageText", params, msg)
        return msg

    async def m_editMessageReplyMarkup(self, params: dict, files: dict) -> dict[str, Any]:
        msg = self.bot_message(params["chat_id"], params["message_id"])
        markup = params.get("reply_markup")
        check_markup(markup)
        if msg.get("reply_markup") == markup:
            raise BadRequest("Bad Request: message is not modified")
        _set_markup(msg, markup)
        await self.world.record(msg["chat"]["id"], "edit", "editMessageReplyMarkup", params, msg)
        return msg

    async def m_deleteMessage(self, params: dict, files: dict) -> bool:
        chat = self.find_chat(params["chat_id"])
        if self.world.messages.pop((chat.id, params["message_id"]), None) is None:
            raise BadRequest("Bad Request: message to delete not found")
        return True

    async def m_answerCallbackQuery(self, params: dict, files: dict) -> bool:
        query = self.world.callbacks.get(params["callback_query_id"])
        if query is None or query.get("answered"):
            raise BadRequest("Bad Request: query is too old and response timeout expired or "
                             "query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        query["answered"] = params
        chat_id = query["message"]["chat"]["id"] if query.get("message") else query["from"]["id"]
        await self.world.record(chat_id, "answer", "answerCallbackQuery", params)
        return True

    # -- chats and files --------------------------------------------------------------
    async def m_getChat(self, params: dict, files: dict) -> dict[str, Any]:
        return chat_full_info(self.find_chat(params["chat_id"]))

    async def m_getChatMember(self, params: dict, files: dict) -> dict[str, Any]:
        chat = self.find_chat(params["chat_id"])
        user_id = int(params["user_id"])
        user = self.world.bot_user if user_id == self.world.bot_user["id"] else (
            self.world.users.get(user_id))
        if user is None:
            raise BadRequest("Bad Request: user not found")
        status = "member" if chat.type == "private" else chat.members.get(user_id, "left")
        return chat_member(status, user)

    async def m_getChatMemberCount(self, params: dict, files: dict) -> int:
        chat = self.find_chat(params["chat_id"])
        if chat.type == "private":
            return 2
        return sum(status not in {"left", "kicked"} for status in chat.members.values())

    async def m_getChatAdministrators(self, params: dict, files: dict) -> list:
        chat = self.find_chat(params["chat_id"])
        return [chat_member(status, self.world.users.get(uid, self.world.bot_user))
                for uid, status in chat.members.items()
                if status in {"creator", "administrator"}]

    async def m_leaveChat(self, params: dict, files: dict) -> bool:
        chat = self.find_chat(params["chat_id"])
        chat.members.pop(self.world.bot_user["id"], None)
        return True

    async def m_getFile(self, params: dict, files: dict) -> dict[str, Any]:
        file_id = params["file_id"]
        if file_id not in self.world.files:
            raise BadRequest("Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id[:12],
                "file_size": len(self.world.files[file_id]), "file_path": f"files/{file_id}"}

    def _file(self, value: Any, files: dict[str, bytes]) -> str:
        if isinstance(value, dict) and "attach" in value:
            return self.world.store_file(files[value["attach"]])
        if isinstance(value, str) and value in self.world.files:
            return value
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.world.store_file(b"")  # Telegram would download it; we keep a stub
        raise BadRequest("Bad Request: wrong file identifier/HTTP URL specified")


def check_markup(markup: dict[str, Any] | None) -> None:
    """Reject inline keyboards Telegram would reject (empty labels, callback data > 64 B)."""
    if not markup or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
            actions = {"callback_data", "url", "switch_inline_query", "copy_text", "web_app",
                       "login_url", "callback_game", "pay", "switch_inline_query_current_chat",
                       "switch_inline_query_chosen_chat"}
            if not actions & set(button):
                raise BadRequest("Bad Request: can't parse inline keyboard button")


def _set_markup(msg: dict[str, Any], markup: dict[str, Any] | None) -> None:
    if markup:
        msg["reply_markup"] = markup
    else:
        msg.pop("reply_markup", None)


def _caption(params: dict[str, Any]) -> str | None:
    caption = params.get("caption")
    if caption and len(caption) > 1024:
        raise BadRequest("Bad Request: message caption is too long")
    return caption


def new_callback_id() -> str:
    """Callback query ids are opaque strings."""
    return secrets.token_hex(8)
