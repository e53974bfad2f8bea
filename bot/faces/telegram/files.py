"""A tip's photo or file sent through another regional bot than the one that received it.

Telegram's file ids are valid only for the bot the file was sent to. A screenshot a reporter
sent to the NTB bot cannot be re-sent by its id through the Kepri bot that serves the office:
that bot would get "wrong file identifier" and the officer no evidence. So the bot that has
the file downloads it (in memory, never to disk) and the other one uploads the bytes.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InputFile


def owner_of(fleet: Any, key: str | None) -> Bot | None:
    """The bot a file id belongs to, when the deployment has several (None: no question).

    A file id is valid only for the bot that received the file: with several tokens, the
    sender must know which bot to fetch the bytes from (key None: the default bot).
    """
    if fleet is None or len(fleet.apps) == 1:
        return None
    return fleet.bot(key)


async def sendable(target: Bot, file_id: str, owner: Bot | None,
                   kind: str) -> str | InputFile:
    """The file id itself for its own bot; else the file's bytes, fetched from its bot."""
    if owner is None or owner is target:
        return file_id
    found = await owner.get_file(file_id)
    data = bytes(await found.download_as_bytearray())
    return InputFile(data, filename="foto.jpg" if kind == "photo" else "berkas")
