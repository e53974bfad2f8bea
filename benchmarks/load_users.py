"""The simulated villagers of the load benchmark: what they say, and in which order.

Each one is in one conversation at a time (a question, an offer to check, /kuis and the poll,
or a whole /lapor report pressing the flow's buttons) and reads its next step off the bot's
last message, as a person would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.emulator.world import Event

ROOT = Path(__file__).resolve().parents[1]

OFFERS = [
    "Dicari admin online penempatan Kamboja, gaji 15jt/bulan, berangkat pakai visa turis dulu, "
    "tiket ditanggung. Paspor nanti dipegang kantor selama kontrak. Minat WA 0812-0000-7777",
    "Loker CS online Phnom Penh gaji $1.200, tanpa pengalaman, visa turis, paspor disimpan "
    "perusahaan, berangkat minggu depan. DM kak",
    "Lowongan resmi G to G Korea lewat SISKOP2MI, daftar online, ikut ujian EPS-TOPIK dulu, "
    "biaya ujian USD 28 bayar di BNI. Proses di LTSA, visa kerja E-9.",
    "Dibutuhkan segera pekerja pabrik di Malaysia, gaji 6 juta, potong gaji 6 bulan untuk biaya "
    "berangkat, tidak perlu ke Disnaker, langsung terbang dari Batam. Hubungi Bu Rina.",
    "Kerja di Myawaddy jadi marketing online, bonus besar, tiket gratis, berangkat lewat "
    "Bangkok pakai visa kunjungan, jangan bilang ke keluarga dulu ya. WA 0813-0000-1111",
    "PT Contoh Sejahtera Mandiri (FIKTIF) buka lowongan perawat lansia ke Jepang, pelatihan "
    "bahasa di LPK resmi, kontrak kerja dan visa kerja diurus sebelum berangkat.",
]
STORIES = [
    "Sepupu saya ditawari kerja admin di Kamboja oleh calo kampung sebelah",
    "Ada calo menawari kerja di Kamboja lewat Bangkok, katanya gaji besar",
    "Tetangga saya disuruh berangkat pakai visa turis ke Malaysia minggu ini",
    "Adik saya diajak kerja online ke Myanmar, paspornya mau dipegang agen",
]
RECRUITERS = ["Pak Joko, WA 0812-0000-2222", "Bu Rina di Facebook", "akun IG @loker_cepat"]
DESTINATIONS = ["Kamboja lewat Bangkok", "Malaysia", "Myanmar", "Phnom Penh"]
MIXED_WEIGHTS = {"qa": 0.60, "offer": 0.20, "quiz": 0.17, "tip": 0.03}  # per conversation


def load_questions() -> list[str]:
    """Informal questions: answer files' `questions:` and the NLU's held-out test texts."""
    texts: list[str] = []
    for path in sorted((ROOT / "content" / "id" / "answers").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [str(q) for q in data.get("questions") or []]
    test = yaml.safe_load((ROOT / "nlu" / "tests" / "test_data.yml").read_text(encoding="utf-8"))
    for block in test.get("nlu") or []:
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(line[2:].strip())
    return [t for t in texts if t]


# -- simulated users -------------------------------------------------------------------------
@dataclass
class Record:
    """One message (or button press, or poll answer) a simulated user sent."""

    kind: str
    t_sched: float
    t_send: float = 0.0
    t_reply: float | None = None
    expects_reply: bool = True


@dataclass
class SimUser:
    """A villager with the conversation they are in."""

    person: Any
    rng: random.Random
    mix: str
    scenario: str | None = None
    step: int = 0
    last: Event | None = None
    tips_done: int = 0

    def next_action(self, questions: list[str]) -> tuple[str, str, Any]:
        """(kind, op, argument): op is "text", "press" (callback data) or "poll" (option)."""
        for _ in range(3):
            if self.scenario is None:
                self.scenario = self._pick()
                self.step = 0
            action = self._action(questions)
            if action is not None:
                return action
            self.scenario = None
        return ("qa", "text", self.rng.choice(questions))

    def _pick(self) -> str:
        if self.mix == "qa":
            return "qa"
        kinds, weights = zip(*MIXED_WEIGHTS.items(), strict=True)
        return self.rng.choices(kinds, weights)[0]

    def _action(self, questions: list[str]) -> tuple[str, str, Any] | None:
        s, rng = self.scenario, self.rng
        if s in {"qa", "offer"}:
            if self.step:
                return None
            return (s, "text", rng.choice(questions if s == "qa" else OFFERS))
        if s == "quiz":
            if self.step == 0:
                return ("quiz_cmd", "text", "/kuis")
            poll = (self.last.message or {}).get("poll") if self.last else None
            if self.step == 1 and poll:
                return ("quiz_answer", "poll", rng.randrange(len(poll["options"])))
            return None
        if s == "tip":
            return ("tip", "text", "/lapor") if self.step == 0 else self._tip_step()
        return None

    def _tip_step(self) -> tuple[str, str, Any] | None:
        """The next answer in the /lapor flow, read from the bot's last message."""
        if self.last is None or self.step > 14:
            return None
        last = self.last
        data = {b.get("callback_data") for row in last.buttons for b in row}
        text, rng = last.text, self.rng
        if "LP-" in text and "tf:send" not in data:
            self.tips_done += 1
            return None
        for choice in ("tf:send", "tf:consent:no", "tf:at_risk:family", "tf:timing:soon"):
            if choice in data:
                return ("tip", "press", choice)
        if "(2/8)" in text:
            return ("tip", "text", rng.choice(OFFERS))
        if "(3/8)" in text:
            return ("tip", "text", rng.choice(RECRUITERS))
        if "(4/8)" in text:
            return ("tip", "text", rng.choice(DESTINATIONS))
        if "tf:skip" in data:
            return ("tip", "press", "tf:skip")
        if "1/8" in text:
            return ("tip", "text", rng.choice(STORIES))
        return None
