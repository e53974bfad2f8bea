"""Builds the Telegram objects the emulator returns, complete with every required field.

Required fields are filled from the specification itself, so a newer Bot API version that adds
a required field to ChatFullInfo or ChatMemberAdministrator does not break the bot's parsing.
"""

from __future__ import annotations

import secrets
import struct
from typing import TYPE_CHECKING, Any

from bot.emulator.spec import BadRequest, load_spec

if TYPE_CHECKING:
    from bot.emulator.world import Chat, World

MEMBER_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
    "restricted": "ChatMemberRestricted",
}


def with_required(type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Add a neutral value for each required field of `type_name` missing from `data`."""
    spec = load_spec()
    for name, field in spec.types[type_name].items():
        if field.required and name not in data:
            data[name] = _neutral(field.types[0])
    return data


def _neutral(type_name: str) -> Any:
    if type_name.startswith("Array of "):
        return []
    defaults = {"Boolean": False, "Integer": 0, "Float": 0.0, "String": ""}
    if type_name in defaults:
        return defaults[type_name]
    return with_required(type_name, {}) if type_name in load_spec().types else {}


def chat_full_info(chat: Chat) -> dict[str, Any]:
    """The answer to getChat."""
    return with_required("ChatFullInfo", {**chat.as_json(), "max_reaction_count": 11})


def chat_member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """The answer to getChatMember for a user with `status`."""
    data: dict[str, Any] = {"status": status, "user": user}
    if status == "administrator":
        data.update(can_manage_chat=True, can_delete_messages=True, can_invite_users=True)
    if status == "kicked":
        data["until_date"] = 0
    return with_required(MEMBER_TYPES[status], data)


def photo_sizes(file_id: str, world: World) -> list[dict[str, Any]]:
    """PhotoSize entries for an uploaded image (PNG dimensions are read from its header)."""
    data = world.files[file_id]
    width, height = 1280, 720
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
    return [{"file_id": file_id, "file_unique_id": file_id[:12], "width": width,
             "height": height, "file_size": len(data)}]


def poll_json(params: dict[str, Any]) -> dict[str, Any]:
    """Validate sendPoll parameters like Telegram and build the Poll object."""
    question, options = params["question"], params["options"]
    if not 1 <= len(question) <= 300:
        raise BadRequest("Bad Request: poll question length must be 1-300")
    if not 2 <= len(options) <= 12:
        raise BadRequest("Bad Request: poll must have 2-12 options")
    for option in options:
        if not 1 <= len(option["text"]) <= 100:
            raise BadRequest("Bad Request: poll option length must be 1-100")
    kind = params.get("type", "regular")
    correct = params.get("correct_option_ids")
    if kind == "quiz" and (not correct or any(not 0 <= i < len(options) for i in correct)):
        raise BadRequest("Bad Request: wrong correct option ids specified")
    explanation = params.get("explanation")
    if explanation and (len(explanation) > 200 or explanation.count("\n") > 2):
        raise BadRequest("Bad Request: poll explanation must be 0-200 characters, 2 line feeds")
    poll = {
        "id": secrets.token_hex(8),
        "question": question,
        "options": [{"text": o["text"], "voter_count": 0, "persistent_id": str(i)}
                    for i, o in enumerate(options)],
        "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed", False)),
        "is_anonymous": bool(params.get("is_anonymous", True)),
        "type": kind,
        "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
    }
    if correct is not None:
        poll["correct_option_ids"] = correct
    if explanation:
        poll["explanation"] = explanation
    return with_required("Poll", poll)
