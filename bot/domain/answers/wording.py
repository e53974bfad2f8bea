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
from dataclasses import dataclass

import numpy as np

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
bilang kata katanya menurut paling
tapi tp karena krn jg selain lebih biasa biasanya sendiri toh iso ora maneh aj ngapain mrk blg
kyk dll ngomong ingin pengen pingin
ieu kudu ka naon opo piye ning karo ing
bibi paman tante om adik adek kakak suami istri ibu bapak ayah emak ponakan keponakan sepupu
teman temen tetangga saudara sodara
""".split())
# Sundanese and Javanese function words ("kudu", "naon", "piye") are not in the answers either:
# unknown, they counted against an off-topic-looking question's share.
# the last two lines: who asks or for whom ("bibi sy", "kakak sy") says nothing about the
# thing asked, and such a word, rare in the answers, outweighed the words that were


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
    "prt": "art pembantu",
    "asesmen": "ngasesmen mengasesmen diasesmen",
    "potong": "motong dipotong memotong potongan pemotongan",
    "tolak": "ditolak menolak nolak",
    "ajukan": "ngajuin mengajukan diajukan ajuin",
    "hilang": "dicopet kecopetan dicuri ilang kehilangan",
    "memastikan": "mastikeun mastiin pastikan",
    "perusahaan": "pt",
}
SAME = {word: canon for canon, words in _SAME.items() for word in words.split()}


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers of a normalised text, without question words."""
    return normalized_tokens(normalize(text))


def normalized_tokens(text: str) -> list[str]:
    """`tokens` of a text `nlu.normalize` has already normalised (once per message)."""
    found = (SAME.get(t, t) for t in map(_word, TOKEN_RE.findall(text.replace("_", " "))))
    return [t for t in found if t not in STOP and (len(t) > 1 or t.isdigit())]


FIGURE_RE = re.compile(r"(\d[\d.,]*\d|\d)(?:\s?[-–]\s?(\d[\d.,]*\d|\d))?"
                       r"(?:\s*(juta|miliar|ribu|tahun|bulan|hari|jam|%|persen))?")


ASKS_RE = re.compile(r"\b(?:berapa|kapan|nomor|nomer|pasal|jumlah|angka|persen|tanggal|sejak"
                     r"|biaya|tarif|denda|gaji|upah|iuran"
                     r"|siapa|singkatan|namanya|situs|portal|aplikasi)\b|\d")


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


def _word(token: str) -> str:
    """A number without its separators ("3.703" and "3703" are the same), else `_stem`."""
    return re.sub(r"[.,]", "", token) if token[0].isdigit() else _stem(token)


def _stem(word: str) -> str:
    """Without the "-nya" villagers add to nearly every noun, and a verb's passive "di-".

    "tarifnya", "hukumannya"; sources write "ditunda", "dideportasi", villagers "tunda",
    "deportasi" (and the reverse). "dinas", "diri" and "diam" keep theirs (too short, or a
    vowel after "di").
    """
    word = word[:-3] if word.endswith("nya") and len(word) > 6 else word
    return word[2:] if word.startswith("di") and len(word) >= 7 and word[2] not in "aeiou" else word


@dataclass(frozen=True)
class Asked:
    """A question's words as the answers know them: computed once per message.

    `weights`: the question's words some answer contains, each weighted by its rarity;
    `unknown`: how many of its words no answer contains (a typo, or another subject);
    per text (in `WordCover.labels` order): `summed`, the weight of the question's words it
    holds, `count`, how many they are, and `rarest`, the weight of the rarest of them.
    """

    weights: dict[str, float]
    unknown: int
    summed: np.ndarray
    count: np.ndarray
    rarest: np.ndarray
    position: dict[str, int]  # label -> row of the arrays (shared with the WordCover)

    @property
    def total(self) -> float:
        """The summed weight of the question's known words."""
        return sum(self.weights.values())

    def cover(self, label: str | None) -> float:
        """The weighted share of the question's known words that `label`'s text contains."""
        row, total = self.position.get(label or ""), self.total
        return float(self.summed[row]) / total if row is not None and total else 0.0


class WordCover:
    """Coverage of a question's words by each of a set of texts.

    Every text's words, their rarity and, per word, the rows of the texts holding it (or a
    word with its five-letter prefix) are built once at load, so a message costs a few
    array additions, not one comparison per text: scoring every fact per message had made
    choosing an answer half again as slow.
    """

    def __init__(self, texts: dict[str, str]) -> None:
        self.labels = list(texts)
        self.position = {label: row for row, label in enumerate(self.labels)}
        holding: dict[str, set[int]] = {}  # word -> rows of the texts holding it
        by_prefix: dict[str, set[int]] = {}  # prefix -> rows holding a word with it
        for row, text in enumerate(texts.values()):
            for word in set(tokens(text)):
                holding.setdefault(word, set()).add(row)
                if len(word) >= PREFIX:
                    by_prefix.setdefault(word[:PREFIX], set()).add(row)
        n = max(len(texts), 1)
        self._weight = {word: math.log(1 + n / len(rows)) for word, rows in holding.items()}
        # "dipulangkan" ~ "dipulangkannya": a question's word meets both
        self._rows = {word: np.fromiter(sorted(rows | (by_prefix.get(word[:PREFIX], set())
                                                      if len(word) >= PREFIX else set())),
                                        dtype=np.int32)
                      for word, rows in holding.items()}

    def ask(self, normalized: str) -> Asked:
        """The question's known words, their weights and which texts hold them.

        A number of one or two digits ("3 bln", "umur 17") is context, and any text with a
        list in it holds it: it is neither known nor unknown.
        """
        weights: dict[str, float] = {}
        unknown = 0
        for word in normalized_tokens(normalized):
            if word.isdigit() and len(word) < 3:
                continue
            if word in self._weight:
                weights[word] = self._weight[word]
            elif word not in weights:
                unknown += 1
        size = len(self.labels)
        summed, count, rarest = np.zeros(size), np.zeros(size, np.int32), np.zeros(size)
        for word, weight in weights.items():
            rows = self._rows[word]
            summed[rows] += weight
            count[rows] += 1
            rarest[rows] = np.maximum(rarest[rows], weight)
        return Asked(weights, unknown, summed, count, rarest, self.position)
