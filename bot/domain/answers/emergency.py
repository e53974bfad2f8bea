"""Is a message the NLU calls an emergency plainly one? If not, ask before alarming anyone.

"pulang" alone, "kapan saya bisa pulang" or "nanti sore pulang kampung" share the word that
carries most emergency examples ("mau pulang", "tidak bisa pulang"), and the NLU may call them
emergency_help: the villager then read about detention, deportation and forced scamming for
going home after work. A message with any sign of danger, of being held, of a place abroad or
of someone who harms (below) still gets the emergency answer at once; only a message with none
of them gets one short question first, whose button gives the same answer in one tap.
"""

from __future__ import annotations

import re

from bot.core.i18n import _
from bot.domain.replies import Button, Reply

# Roots found anywhere in a word ("menolong", "penyekapan", "ditahannya", "digaji").
_ROOTS = (
    "tolong", "bantu", "help", "darurat", "bahaya", "takut", "panik", "cemas", "khawatir",
    "kuatir", "urgent", "gawat", "sakit", "luka", "meninggal", "hamil", "hilang", "ilang",
    "kabar", "hubung", "sekap", "kurung", "kunci", "tahan", "sita", "rampas", "pukul",
    "siksa", "ancam", "paksa", "jual", "sandera", "tebus", "denda", "kabur", "terjebak",
    "jebak", "tipu", "scam", "judi", "larang", "setrum", "kekerasan", "perkosa", "leceh",
    "tangkap", "penjara", "deport", "dipulangkan", "pemulangan", "repatriasi", "korban",
    "tppo", "perdagangan", "lapar", "kidnap", "trapped", "unsafe", "against my will",
    "held", "luar neg", "kamboja", "cambodia", "myanmar", "burma", "thai", "bangkok",
    "malay", "laos", "vietnam", "filipina", "taiwan", "hongkong", "hong kong", "arab",
    "saudi", "dubai", "jepang", "korea", "singapur", "brunei", "phnom", "sihanouk",
    "indonesia", "kbri", "kjri", "kedutaan", "konsulat", "polisi", "imigrasi", "majikan",
    "agen", "calo", "sponsor", "sindikat", "mafia", "perusahaan", "paspor", "pasport",
    "passport", "gaji", "utang", "hutang", "visa", "perbatasan", "kapal", "overstay",
    "izin tinggal", "lewat batas", "ongkos", "tki", "tkw", "asrama", "penampungan",
    # the same roots after me-/pe- ("menolong", "penyekapan", "penipuan", "memaksa")
    "nolong", "nyekap", "nahan", "nyita", "mukul", "nyiksa", "ngancam", "maksa", "nipu",
)
# Whole words only: short ones that are parts of everyday words elsewhere.
_WORDS = ("tlg", "sos", "mati", "lari", "bos", "boss", "pt", "ln", "pmi", "camp", "kamp",
          "ktp", "wni")
_NEGATION = (r"(?:tidak|tdk|tak|gak|ga|gk|g|nggak|ngga|enggak|engga|belum|blm|gabisa|gbs|"
             r"susah|sulit|no|not)")
_HELD_BACK = r"(?:pulang|plg|keluar|boleh|bisa|bs|aman|makan|dikasih|dibayar|digaji)"
_CLEAR = re.compile("|".join((
    "(?:" + "|".join(map(re.escape, _ROOTS)) + ")",
    r"\b(?:" + "|".join(_WORDS) + r")\b",
    rf"\b{_NEGATION}\b[\w\s]{{0,20}}?\b{_HELD_BACK}",
)))
# Typed without vowels ("pspr dithn majkn"): the consonants of a sign's word, 3 or more.
_SKELETON_WORDS = ("paspor", "ditahan", "majikan", "disekap", "disita", "dipukul", "tolong",
                   "kamboja", "myanmar", "thailand", "malaysia", "polisi", "bahaya",
                   "darurat", "dipaksa", "diancam", "agensi", "perusahaan", "hilang")


def _skeleton(word: str) -> str:
    return re.sub(r"[aeiou]", "", word)


_SKELETONS = frozenset(s for s in map(_skeleton, _SKELETON_WORDS) if len(s) >= 3)


def is_clear(text: str) -> bool:
    """True when the message shows any sign of a real emergency (then answer it at once)."""
    lowered = text.lower()
    if _CLEAR.search(lowered):
        return True
    return any(_skeleton(w) in _SKELETONS for w in re.findall(r"[a-z]{3,}", lowered))


def check_first(answer_data: str) -> Reply:
    """One question instead of the emergency answer; its first button is that answer.

    `answer_data` is the button data of the answer the message would have had.
    """
    return Reply(
        _("Do you mean coming home from abroad because of a problem, for example someone held, "
          "forced to work or unable to come home? Press the first button and I will tell you "
          "what to do and whom to call. If you just meant going home, never mind: ask me "
          "anything about working abroad safely."),
        ((Button(_("Yes, someone needs help coming home"), answer_data),),
         (Button(_("No, just going home"), "menu"),)),
        intent="emergency_help", meta={"checked_first": True})
