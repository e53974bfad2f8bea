"""The local console chat: the person at the terminal plays villagers, officials, officers.

It sits on the emulator, so the bot it talks to is the real Application with its real
handlers and database; only Telegram's servers are replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.core.i18n import _
from bot.domain.people.demo import DemoPeople
from bot.emulator.emulator import Emulator
from bot.emulator.people import Person
from bot.emulator.world import Chat, Event

PEOPLE = (
    ("siti", "Siti", "warga"),
    ("budi", "Budi", "warga"),
    ("ani", "Ani", "warga"),
    ("kades", "Pak Kades", "perangkat desa"),
    ("petugas", "Petugas Imigrasi", "petugas"),
)


REPLY_WAIT = 10.0  # seconds the console waits for an answer before reading the next line
PRESS_WAIT = 3.0  # a refused button gets only a toast, so do not wait long for a message
ALIASES = {
    "tekan": "press", "pilih": "vote", "sebagai": "as", "grup": "group", "pribadi": "private",
    "tambahbot": "addbot", "foto": "photo", "teruskan": "forward", "orang": "people",
    "bantuan": "help",
}


class Console:
    """Reads lines from a stream, acts as the current person, prints what the bot sends."""

    def __init__(self, emu: Emulator, out: TextIO = sys.stdout) -> None:
        self.emu = emu
        self.out = out
        self.people: dict[str, Person] = {
            key: emu.person(name, username=key) for key, name, _role in PEOPLE
        }
        self.roles = {key: role for key, _name, role in PEOPLE}
        self.group: Chat = emu.world.add_group("Grup Desa Sukamaju")
        for key, person in self.people.items():
            self.group.members[person.id] = "creator" if key == "kades" else "member"
        self.me = "siti"
        self.in_group = False
        self.last_with_buttons: dict[int, Event] = {}
        self.last_poll: dict[int, Event] = {}
        self.files = Path(tempfile.mkdtemp(prefix="desabot-console-"))
        emu.world.listeners.append(self.show)

    # -- output ---------------------------------------------------------------------
    def banner(self) -> str:
        """How to use the console, how to connect a real bot, how to quit."""
        return "\n".join([
            _("Desa Binaan - local console chat (no Telegram needed)"),
            _("Type a message and press Enter. Console commands start with a colon:"),
            _("  :press N       press button N of the last message"),
            _("  :vote N        answer the last quiz or poll with option N"),
            _("  :as NAME       switch person: siti, budi, ani (villagers), kades (village "
              "official), petugas (officer)"),
            _("  :group / :private   write in the village group or in your private chat"),
            _("  :addbot        (in the group) add the bot to the group"),
            _("  :photo FILE [caption]   send a photo"),
            _("  :forward TEXT  forward a message someone else wrote"),
            _("  :people        list the people;  :quit (or Ctrl-D) to quit"),
            _("To connect a real bot: get a token from @BotFather in Telegram, then run "
              "TELEGRAM_BOT_TOKEN=<token> make run"),
            "",
            self.where(),
        ])

    def demo_people(self) -> DemoPeople:
        """Who the demo makes an officer and a village official."""
        officer = self.people["petugas"]
        return DemoPeople(officer.id, officer.user["first_name"], self.people["kades"].id)

    def demo_note(self) -> str:
        """Tells the newcomer that the demo data is there, and what it is."""
        return _("Demo data added to this empty database: the office 'Kantor Imigrasi DEMO', "
                 "the villages Sukamaju (DEMO, WIB) and Lembah Hijau (DEMO, WITA); petugas is "
                 "its officer, kades the official of Sukamaju. Never use this database for "
                 "the real bot (desabot doctor flags it).")

    def where(self) -> str:
        """Who is typing, and where."""
        name = self.people[self.me].user["first_name"]
        place = self.group.title if self.in_group else _("private chat with the bot")
        return _("You are {name} ({role}) in: {place}").format(
            name=name, role=self.roles[self.me], place=place)

    def show(self, event: Event) -> None:
        """Print one bot message or edit, with numbered buttons and poll options."""
        if event.direction == "answer" and event.params.get("text"):
            print(f"  ({_('Bot')}: {event.params['text']})", file=self.out, flush=True)
            return
        if event.direction not in {"out", "edit"} or event.message is None:
            return
        msg = event.message
        who = self._chat_label(event.chat_id)
        mark = "~" if event.direction == "edit" else ">"
        lines = [f"\n{mark} {_('Bot')} -> {who}:"]
        if "photo" in msg:
            lines.append("  " + self._save_photo(msg))
        if "poll" in msg:
            lines += self._poll_lines(msg["poll"])
            self.last_poll[event.chat_id] = event
        text = msg.get("text") or msg.get("caption")
        if text:
            lines += ["  " + line for line in text.splitlines()]
        if event.buttons:
            self.last_with_buttons[event.chat_id] = event
            labels = [b["text"] for row in event.buttons for b in row]
            lines.append("  " + "  ".join(f"[{i}] {label}" for i, label in
                                          enumerate(labels, 1)))
        print("\n".join(lines), file=self.out, flush=True)

    def _chat_label(self, chat_id: int) -> str:
        if chat_id == self.group.id:
            return self.group.title or ""
        for person in self.people.values():
            if person.id == chat_id:
                return person.user["first_name"]
        return str(chat_id)

    def _poll_lines(self, poll: dict) -> list[str]:
        kind = _("QUIZ") if poll["type"] == "quiz" else _("POLL")
        lines = [f"  [{kind}] {poll['question']}"]
        lines += [f"    ({i}) {o['text']}" for i, o in enumerate(poll["options"], 1)]
        return lines

    def _save_photo(self, msg: dict) -> str:
        file_id = msg["photo"][-1]["file_id"]
        path = self.files / f"{file_id}.png"
        path.write_bytes(self.emu.world.files.get(file_id, b""))
        return _("[image saved to {path}]").format(path=path)

    # -- input ----------------------------------------------------------------------
    async def handle(self, line: str) -> bool:
        """Act on one typed line; returns False when the person wants to quit."""
        line = line.rstrip("\n")
        if not line.startswith(":"):
            if line.strip() or line:
                await self._send_text(line)
            return True
        try:
            words = shlex.split(line[1:])
        except ValueError:
            words = line[1:].split()
        if not words:
            return True
        command, args = words[0].lower(), words[1:]
        if command in {"quit", "q", "exit", "keluar", "k"}:
            return False
        command = ALIASES.get(command, command)
        handler = getattr(self, f"cmd_{command}", None)
        if handler is None:
            self._say(_("Unknown console command. Type :help to see the commands."))
            return True
        try:
            await handler(args)
        except (LookupError, ValueError, OSError) as exc:
            self._say(str(exc))
        return True

    async def _send_text(self, text: str) -> None:
        person = self.people[self.me]
        mark = self.emu.last_seq()
        await self.emu.send_text(person.user, text, self.group if self.in_group else None)
        await self._await_answer(mark)

    async def _await_answer(self, mark: int, wait: float = REPLY_WAIT) -> None:
        """Wait (briefly) for the bot's answer, so typed-ahead or piped lines stay in order."""
        with contextlib.suppress(TimeoutError):  # the bot may rightly stay silent
            await self.emu.next_from_bot(self._current_chat_id(), mark, wait, ("out", "edit"))

    def _say(self, text: str) -> None:
        print(f"  ({text})", file=self.out, flush=True)

    def _current_chat_id(self) -> int:
        return self.group.id if self.in_group else self.people[self.me].id

    async def cmd_help(self, args: list[str]) -> None:
        """Show the banner again."""
        print(self.banner(), file=self.out, flush=True)

    async def cmd_press(self, args: list[str]) -> None:
        """Press button N of the last message with buttons in this chat."""
        event = self.last_with_buttons.get(self._current_chat_id())
        if event is None:
            raise LookupError(_("There is no message with buttons here yet."))
        labels = [b for row in event.buttons for b in row]
        index = int(args[0]) - 1 if args and args[0].isdigit() else -1
        if not 0 <= index < len(labels):
            raise ValueError(_("Choose a button number from 1 to {n}.").format(n=len(labels)))
        mark = self.emu.last_seq()
        await self.emu.press(self.people[self.me].user, event, data=labels[index]["callback_data"])
        await self._await_answer(mark, PRESS_WAIT)

    async def cmd_vote(self, args: list[str]) -> None:
        """Answer the last poll in this chat."""
        event = self.last_poll.get(self._current_chat_id())
        if event is None:
            raise LookupError(_("There is no quiz or poll here yet."))
        count = len(event.message["poll"]["options"])
        index = int(args[0]) - 1 if args and args[0].isdigit() else -1
        if not 0 <= index < count:
            raise ValueError(_("Choose an option number from 1 to {n}.").format(n=count))
        await self.emu.answer_poll(self.people[self.me].user, event, [index])

    async def cmd_as(self, args: list[str]) -> None:
        """Switch the person typing."""
        if not args or args[0].lower() not in self.people:
            raise LookupError(_("Unknown person. Choose one of: {names}").format(
                names=", ".join(self.people)))
        self.me = args[0].lower()
        self._say(self.where())

    async def cmd_group(self, args: list[str]) -> None:
        """Write in the village group from now on."""
        self.in_group = True
        self._say(self.where())

    async def cmd_private(self, args: list[str]) -> None:
        """Write in the private chat with the bot from now on."""
        self.in_group = False
        self._say(self.where())

    async def cmd_addbot(self, args: list[str]) -> None:
        """Add the bot to the village group (as the current person)."""
        await self.emu.add_bot_to_group(self.people[self.me].user, self.group)
        self._say(_("The bot was added to {group}.").format(group=self.group.title))

    async def cmd_photo(self, args: list[str]) -> None:
        """Send a photo from a file, with an optional caption."""
        if not args:
            raise ValueError(_("Usage: :photo FILE [caption]"))
        data = Path(args[0]).expanduser().read_bytes()
        chat = self.group if self.in_group else None
        await self.emu.send_photo(self.people[self.me].user, data, " ".join(args[1:]) or None,
                                  chat)

    async def cmd_forward(self, args: list[str]) -> None:
        """Forward a message written by someone else (for example a recruiter's offer)."""
        if not args:
            raise ValueError(_("Usage: :forward TEXT"))
        await self.emu.forward_text(self.people[self.me].user, " ".join(args), "Agen Loker")

    async def cmd_people(self, args: list[str]) -> None:
        """List the people one can be."""
        for key, person in self.people.items():
            self._say(f"{key}: {person.user['first_name']} ({self.roles[key]})")


async def read_lines(console: Console, stream: TextIO = sys.stdin) -> None:
    """Feed lines from `stream` to the console until :quit or end of input."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stream.readline)
        if not line:
            return
        if not await console.handle(line):
            return
