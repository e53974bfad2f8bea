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


# Signs that someone is in danger now, for a message the bot would otherwise turn away as off
# its topics: being held, threatened, hurt, trapped or afraid, or papers taken. Narrower than
# `is_clear` (no countries, "paspor" or "gaji": off-topic talk names those too).
_DANGER = re.compile("|".join((
    r"sekap|dikurung|dikunci|ditahan|disandera|sandera|tebus|terjebak|dijebak|disiksa|siksa|"
    r"dipukul|mukul|diancam|ngancam|dipaksa|setrum|kekerasan|perkosa|dileceh|ditangkap|"
    r"kelaparan|takut|ketakutan|panik|bahaya|darurat|kidnap|trapped|held against|dijual|"
    r"senjata|sekarat|sakit parah|d[iy]?t[a]?h[a]?n\b",
    r"\b(?:sos|tlg|tolongin|to+lo+o+ng|tulung|kabur)\b",
    r"\b(?:hilang|ilang|putus|lost)\s+(?:kontak|kabar|contact)",
    r"\b(?:kasih|dikasih|diberi|dikasi)\s+makan",
    r"\b(?:biar|agar|supaya|baru)\s+(?:bisa|bs|boleh)\s+(?:keluar|pulang|plg|lepas)",
    r"\bora\s+(?:iso|isa|bisa)\s+(?:muleh|mulih|bali|dihubungi)",
    r"^\W*to+lo+n+g+\W*$|\bto+lo+n+g+\s+(?:saya|sy|aku|kami|anak|ank|adik|adek|"
    r"suami|istri|kakak|kawan|teman|temen|keluarga|ibu|bapak|ponakan|sodara|saudara)\b",
    r"\b(?:anak|ank|adik|adk|adek|suami|istri|kakak|ibu|bapak|keluarga|sodara|saudara)\b"
    r"[\w\s]{0,25}\b(?:hilang|ilang|ilng)\b",
    r"melarikan diri|lari dari|lolos dari|menyelamatkan diri|dibebaskan|dilepas|lepasin|"
    r"kena kurung|diperas|keluar\s+(?:dari|dr)\s+(?:sini|kompleks|perusahaan|tempat)",
    rf"\b{_NEGATION}\b[\w\s]{{0,20}}?\b(?:aman|dihubungi|ada kabar|aktif)\b",
    r"\b(?:paspor|pasport|pspr|dokumen|ktp|hp|handphone)\w*\W+(?:\w+\W+){0,3}?"
    r"(?:diambil|disita|dirampas|ditahan|dipegang|diminta)",
    r"\b(?:diambil|disita|dirampas)\W+(?:\w+\W+){0,2}?(?:paspor|pasport|dokumen|ktp|hp)",
    rf"\b{_NEGATION}\b[\w\s]{{0,20}}?\b(?:pulang|plg|keluar)\b",
)))


def in_danger(text: str) -> bool:
    """True when a message the NLU found off-topic still shows someone in danger now."""
    return bool(_DANGER.search(text.lower()))


def danger_check() -> Reply:
    """For such a message, one question whose first button is the emergency answer.

    A frightened person types in their own words ("dokumen diambil org yg jemput, takut bgt"),
    which the NLU may not recognise; "I cannot help with that" would be the worst reply.
    """
    return Reply(
        _("Are you or someone else in danger now, for example held, threatened, hurt, or "
          "with your passport taken? Press the first button and I will tell you what to do "
          "now and whom to call."),
        ((Button(_("Yes, someone is in danger"), "ans:emergency_help"),),
         (Button(_("No, show the menu"), "menu"),)),
        intent="out_of_scope", meta={"unanswered": True, "danger_check": True})
