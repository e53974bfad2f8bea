"""How much of a question's own words an answer's text contains.

Cosine similarity between a short question and a fact's long statement is low even when the
statement answers it ("denda overstay setahun kamboja brp" against "Denda overstay setahun di
Kamboja: USD 3.650 (Januari 2026)"), so a generated fact entry rarely beat a written entry
that shares the topic but not the figure. Coverage is asymmetric: the share of the question's
informative words (weighted by how rare they are in the answers) found in a text. Comparing
the coverage of the chosen answer's text with a fact's statement says which one is about the
thing asked.
"""

from __future__ import annotations

import math
import re

from nlu.normalize import normalize

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|[a-z0-9]+")  # "1.297", "bp2mi", "2024"
MIN_WEIGHT = 7.0  # about two specific words ("overstay", "setahun") or three common ones
PREFIX = 5  # "dipulangkan" ~ "dipulangkannya", "overstay" ~ "overstaynya"
# words every question has; they say what kind of answer, not what it is about
STOP = frozenset("""
berapa apa apakah bagaimana gimana kapan dimana mana siapa kenapa mengapa bisa boleh ada
yang dan atau di ke dari buat untuk itu ini sih ya ga gak tidak nggak enggak kalau kalo jadi
sudah udah pernah masih mau saya aku kami kita anda dia nya kak min pak bu bang mas mbak
dong deh kok lah kah tuh aja saja juga lagi dengan sama per pada oleh tentang soal kah
harus perlu dapat punya kena berapaan brp the a of
gitu begitu kayak kaya seperti bener benar emang memang cuma hanya tolong mohon info nanya
tanya sy gw gue aku lu kamu habis abis tau tahu ngga bikin biar supaya agar dulu lama
bilang kata katanya menurut
""".split())


# villagers' words and the sources' words for the same thing, each mapped to one
_SAME = {
    "pidana": "hukuman dihukum penjara dipenjara dipidana ancaman diancam sanksi",
    "kirim": "ngirim mengirim dikirim berangkatin memberangkatkan menempatkan ditempatkan "
             "penempatan nempatin",
    "pmi": "tki tkw cpmi pekerja buruh migran",
    "biaya": "duit uang bayar dibayar bayaran ongkos tarif",
    "gaji": "upah digaji gajinya upahnya",
    "ringgit": "rm",
    "whatsapp": "wa watsap",
    "nomor": "nomer kontak hotline telepon telpon",
    "lapor": "ngadu mengadu aduan pengaduan melapor laporan",
    "pulang": "dipulangkan mulangin pemulangan dipulangin kepulangan memulangkan",
    "usd": "dolar dollar",
    "palsu": "memalsukan malsuin pemalsuan dipalsukan",
    "tunda": "ditunda penundaan ditangguhkan",
    "denda": "didenda dendanya",
    "tebusan": "nebus menebus tebus",
    "terjebak": "kejebak terjerat",
    "persen": "persentase",
    "seberang": "nyebrang nyeberang menyeberang menyeberangi diseberangkan",
    "tangani": "nanganin menangani ditangani penanganan",
}
SAME = {word: canon for canon, words in _SAME.items() for word in words.split()}


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers of a normalised text, without question words."""
    found = (SAME.get(t, t) for t in map(_stem, TOKEN_RE.findall(
        normalize(text).replace("_", " "))))
    return [t for t in found if t not in STOP and (len(t) > 1 or t.isdigit())]


FIGURE_RE = re.compile(r"(\d[\d.,]*\d|\d)(?:\s?[-–]\s?(\d[\d.,]*\d|\d))?"
                       r"(?:\s*(juta|miliar|ribu|tahun|bulan|hari|jam|%|persen))?")


ASKS_RE = re.compile(r"\b(?:berapa|kapan|nomor|nomer|pasal|jumlah|angka|persen|tanggal|sejak"
                     r"|biaya|tarif|denda|gaji|upah|iuran)\b|\d")


def asks_for_figure(text: str) -> bool:
    """True when the message asks how much, how many, when, which number or which article.

    A fact entry states a figure; "adik saya dikunci di myanmar" shares words with a
    statistic about Myanmar but asks for help, not for a number.
    """
    return bool(ASKS_RE.search(normalize(text)))


def figures(text: str) -> set[str]:
    """The figures a text states ("rp15 miliar" -> "15 miliar", "0800-1000"), not bare years.

    Two answers that state the same figure answer the same "berapa" question.
    """
    found = set()
    for first, second, unit in FIGURE_RE.findall(text.lower()):
        digits = re.sub(r"\D", "", first) + ("-" + re.sub(r"\D", "", second) if second else "")
        if not unit and not second and (len(digits) < 3 or (
                len(digits) == 4 and 1900 <= int(digits) <= 2039)):
            continue  # a list number or a year says nothing on its own
        found.add(f"{digits} {unit}".strip())
    return found


def _stem(word: str) -> str:
    """Without the "-nya" villagers add to nearly every noun ("tarifnya", "hukumannya")."""
    return word[:-3] if word.endswith("nya") and len(word) > 6 else word


class WordCover:
    """Coverage of a question's words by each of a set of texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._words = {label: set(tokens(text)) for label, text in texts.items()}
        self._prefixes = {label: {w[:PREFIX] for w in words if len(w) >= PREFIX}
                          for label, words in self._words.items()}
        df: dict[str, int] = {}
        for words in self._words.values():
            for word in words:
                df[word] = df.get(word, 0) + 1
        self._df = df
        self._n = max(len(texts), 1)

    def weights(self, query: str) -> dict[str, float]:
        """The question's words known to the answers, each weighted by its rarity."""
        found: dict[str, float] = {}
        for word in tokens(query):
            count = self._df.get(word, 0)
            if count:
                found[word] = math.log(1 + self._n / count)
        return found

    def cover(self, query: str, label: str, weights: dict[str, float] | None = None) -> float:
        """The weighted share of the question's known words that `label`'s text contains."""
        weights = self.weights(query) if weights is None else weights
        total = sum(weights.values())
        if not total or label not in self._words:
            return 0.0
        return sum(weights[w] for w in self.matched(label, weights)) / total

    def matched(self, label: str, weights: dict[str, float]) -> list[str]:
        """The question's words (keys of `weights`) that `label`'s text contains."""
        words, prefixes = self._words.get(label, set()), self._prefixes.get(label, set())
        return [word for word in weights
                if word in words or (len(word) >= PREFIX and word[:PREFIX] in prefixes)]

    def best(self, query: str, labels: list[str]) -> tuple[str | None, float]:
        """The label among `labels` whose text covers most of the question, and how much."""
        weights = self.weights(query)
        # one shared word is chance, and so are a few common ones ("korban", "tppo", "2024")
        scored = [(self.cover(query, label, weights), label) for label in labels
                  if len(found := self.matched(label, weights)) >= 2
                  and sum(weights[w] for w in found) >= MIN_WEIGHT]
        if not scored:
            return None, 0.0
        value, label = max(scored)
        return label, value

    def known(self, query: str) -> int:
        """How many of the question's words some answer text contains."""
        return len(self.weights(query))
