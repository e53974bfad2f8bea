"""The normaliser: a table of villager spellings and what the classifier should see."""

from __future__ import annotations

import time

import pytest
import yaml

from nlu.normalize import LEXICON_PATH, load_lexicon, normalize

CASES = [
    # abbreviations and informal spellings
    ("gmn caranya", "bagaimana caranya"),
    ("gimana cara kerja ke luar negri", "bagaimana cara kerja ke luar negeri"),
    ("sy gk tau", "saya tidak tahu"),
    ("aku ga ngerti", "saya tidak mengerti"),
    ("yg resmi dmn", "yang resmi di mana"),
    ("brp biayanya", "berapa biayanya"),
    ("udh daftar tp blm berangkat", "sudah daftar tapi belum berangkat"),
    ("klo paspor ditunda", "kalau paspor ditunda"),
    ("mahal bgt", "mahal banget"),
    ("syarat jadi tki", "syarat jadi pmi"),
    ("info lowker dong", "info lowongan kerja dong"),
    ("tdk ada", "tidak ada"),
    ("Paspor?", "paspor ?"),
    ("CIRI2 LOKER PALSU", "ciri-ciri lowongan kerja palsu"),
    ("ikut tebak2an", "ikut tebak-tebakan"),  # a reduplication with a suffix
    ("jgn kirim2nya", "jangan kirim-kirimnya"),
    ("brp pmi dr jpn", "berapa pmi dari jepang"),
    ("ortu ga kasih ijin", "orang tua tidak kasih izin"),
    ("kepiye nggawe paspor", "bagaimana bikin paspor"),
    ("makasih min", "terima kasih min"),
    # letters repeated three or more times collapse; legitimate doubles stay
    ("tolooong", "tolong"),
    ("bangettt", "banget"),
    ("halooo kakkk", "halo kak"),
    ("maaf saat ini", "maaf saat ini"),
    ("sekolah sma 2", "sekolah sma 2"),
    # amounts: glued suffixes split, currency prefixes split, numbers kept whole
    ("gaji 15jt", "gaji 15 juta"),
    ("bayar 500rb", "bayar 500 ribu"),
    ("500k aja", "500 ribu saja"),
    ("Rp15jt/bln", "rp 15 juta / bulan"),
    ("gaji RM3000", "gaji rm 3000"),
    ("1.500 dolar", "1.500 dolar"),
    ("2,5jt", "2,5 juta"),
    ("15-20jt", "15-20 juta"),
    ("0812-3456-7890", "0812-3456-7890"),
    ("p3mi bp2mi", "p3mi bp2mi"),
    # Javanese, Sundanese and Malay
    ("piye carane nyambut gawe", "bagaimana caranya bekerja"),
    ("arep kerjo neng taiwan", "mau kerja neng taiwan"),
    ("hotline kbri kl brp", "hotline kbri kuala lumpur berapa"),
    ("kl udah sampe", "kalau sudah sampai"),
    ("wates umurna sabaraha", "batas umurnya berapa"),
    ("ora duwe paspor", "tidak punya paspor"),
    ("matur nuwun", "terima kasih"),
    ("hatur nuhun", "terima kasih"),
    ("macam mana nak kerja kilang", "bagaimana mau kerja pabrik"),
    ("kerja di kemboja", "kerja di kamboja"),
    ("gaji tak bayar", "gaji tidak bayar"),
    # a Malaysian company is checked like a PT; "ppr" is the passport typed shortest
    ("Cahaya Sdn Bhd legit ke tak", "cahaya pt resmi ke tidak"),
    ("biaya ppr brp", "biaya paspor berapa"),
    # English
    ("thank you", "terima kasih"),
    ("job scam", "pekerjaan penipuan"),
    # emoji and punctuation become their own tokens
    ("makasih🙏", "terima kasih 🙏"),
    ("👍👍mantap", "👍 👍 mantap"),
    ("assalamu'alaikum", "assalamualaikum"),
    ("halo!!!", "halo ! ! !"),
    # invisible and control characters
    ("halo\u200bmin", "halomin"),
    ("halo\nmin\tkak", "halo min kak"),
    ("\x00halo\x07", "halo"),
    # full-width letters unify under NFKC
    ("ＰＡＳＰＯＲ", "paspor"),
    # empty and blank input
    ("", ""),
    ("   ", ""),
    ("\n\t ", ""),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "_"), CASES)
def test_normalize_is_idempotent(text: str, _: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_very_long_message_is_fast_and_clean() -> None:
    text = ("tolooong gmn 15jt 🙏 " * 300)[:4096]
    assert len(text) == 4096
    started = time.perf_counter()
    result = normalize(text)
    assert time.perf_counter() - started < 1.0
    assert "  " not in result
    assert result == result.strip()
    assert result.startswith("tolong bagaimana 15 juta 🙏")


def test_lexicon_is_loaded_once() -> None:
    assert load_lexicon() is load_lexicon()


def test_lexicon_shape() -> None:
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(raw) >= {"words", "phrases", "number_words", "amount_suffixes"}
    assert len(raw["words"]) >= 250
    for section in ("words", "phrases", "amount_suffixes"):
        for key, value in raw[section].items():
            assert isinstance(key, str) and key == key.lower() and key.strip() == key, key
            assert isinstance(value, str) and value.strip(), key
    assert all(" " not in key for key in raw["words"])
    assert all(" " in key for key in raw["phrases"])
    assert all(isinstance(v, int) for v in raw["number_words"].values())


def test_lexicon_outputs_are_not_mapped_again() -> None:
    # A value word that is itself a key would make the normaliser depend on how often it ran.
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    words = raw["words"]
    outputs = {w for v in [*words.values(), *raw["phrases"].values()] for w in v.split()}
    assert {w for w in outputs if w in words and words[w] != w} == set()
