"""Money in an offer: the monthly pay promised, the fees asked up front and who receives them.

Amounts and currencies are read by nlu.amounts; this module decides what each amount is for.
Costs said to be covered, deducted from the salary later or named only as the rules allow
are no up-front fee, since calling a lawful zero-cost offer a fee misleads as much as a miss.
"""

from __future__ import annotations

import re

from bot.domain.offers.negation import positives
from nlu.amounts import Money, amount_role, pay_period, per_month, to_idr


def pay_idr_month(text: str, amounts: list[Money]) -> float | None:
    """The best monthly pay promised, in rough rupiah; None when no pay is stated.

    An amount counts as pay when "gaji" (or similar) comes just before it or a period
    ("/bln") follows it. Ads like "ADMIN KAMBOJA 15JT" have neither, so when nothing is marked
    as pay, unmarked amounts that are not fees count too.
    """
    marked, unmarked = [], []
    for money in amounts:
        role, period = amount_role(text, money), pay_period(text, money)
        if role == "salary" or (role is None and period):
            marked.append((money, period))
        elif role is None:
            unmarked.append((money, period))
    monthly = [per_month(idr, p) for m, p in marked or unmarked if (idr := _idr(m)) is not None]
    return max(monthly) if monthly else None


def _idr(money: Money) -> float | None:
    try:
        return to_idr(money)
    except KeyError:  # a currency without a rate cannot be compared
        return None


_FEE_PHRASE = re.compile(
    r"(?<!\w)(?:(?:biaya|uang|duit|ongkos|bayaran|fee)\s+(?:admin|administrasi|pendaftaran|daftar|proses|"
    r"pengurusan|medical|medikal|mcu|pelatihan|training|visa|tiket|paspor|keberangkatan|"
    r"penempatan|jaminan|muka|deposit|seleksi|interview|wawancara|ujian|asuransi|berkas|"
    r"formulir|sponsor|calling|ganti|asrama|kursus|sertifikat|permit|agen|agensi|job)|"
    r"biaya(?=\s+(?:rp|\d))|biaya(?=(?:\s+(?!ditanggung|gratis|free|dibayar\w*|majikan|hidup|"
    r"makan|sewa|rp|\d)[a-z]+(?:-[a-z]+)?){1,4}\s+(?:rp ?)?\d)|dp|deposit|admin fee|uang jaminan|"
    r"(?:beli|jual|harga|bayar) job|job (?:beli|berbayar)|agency fee|agent(?:'s)? fee|"
    r"(?:recruitment|placement|processing|registration|training) fee|"
    # "pendaftaran 2,5 juta": the registration named with its sum and no "biaya" before it
    r"(?:pendaftaran|registrasi)(?=\s+(?:rp\.?\s?\d|\d[\d.,]*\s?(?:juta|jt|rb|ribu)(?!\w)))|"
    r"(?:training|pelatihan|kursus|diklat|lpk|blk|lembaga pelatihan)"
    r"(?=(?:\s+(?!gratis|free|ditanggung|dibayar\w*)\S+){0,8}"
    r"\s+(?:rp\.? ?\d|\d[\d.,]* ?(?:juta|jt|rb|ribu)(?!\w)))|"
    # "pembuatan (kartu) lewat kantor kami Rp2.000.000": a document made for a sum
    r"(?:pembuatan|pengurusan|penerbitan|pengajuan)"
    r"(?=(?:\s+(?!gratis|free|ditanggung|dibayar\w*)\S+){0,5}"
    r"\s+(?:rp\.? ?\d|\d[\d.,]* ?(?:juta|jt|rb|ribu)(?!\w)))|"
    # "bayar Rp7.500.000" (the sum glued to "rp") as much as "bayar rp 7,5 juta"
    r"(?:bayar|transfer|tf|setor)(?:\s+(?:dulu|di\s?muka|di\s?awal|ke|rp|\d+)|(?=\s+rp\.?\s?\d))|"
    # "bayar total 45jt", "agen minta 12 juta": a sum asked for in other words
    r"(?:bayar|transfer|setor)\s+(?:total|sebesar|senilai|sejumlah)(?=\s+(?:rp\.?\s?)?\d)|"
    r"(?:minta|meminta|mintanya)(?=\s+(?:uang\s+|duit\s+)?(?:rp\.?\s?)?\d[\d.,]*\s?(?:juta|jt|rb|ribu)(?!\w))|"
    # "bayar sponsor 8jt", "titip uang 10 juta ke saya": a sum handed to a go-between
    r"(?:bayar|setor|kasih|titip)\w*\s+(?:uang\s+)?(?:ke\s+|kepada\s+|sama\s+)?(?:agen|agensi|"
    r"sponsor|calo|perantara)(?=\s+(?:rp\.?\s?)?\d)|(?:titip|nitip)\s+uang)(?!\w)")
_DEDUCTED_BEFORE = re.compile(r"(?:(?:potong|dipotong|potongan)\s+gaji|gaji\s+(?:\S+\s+){0,3}?"
                              r"dipotong)(?:[^,.\n]|\.(?=\d)){0,40}$")
# "biaya tiket ditanggung majikan", "biaya penempatan tidak dibebankan kepada CPMI" (Perban
# 9/2020's own wording), "dibebankan kepada pemberi kerja": a cost named only to say the worker
# does not pay it. A list may come between ("biaya tiket, visa, dan pelatihan tidak dipungut"),
# but no sum, and "tidak dikenakan biaya lain" denies only the others; "tidak ditanggung" is the
# opposite, a cost the worker bears.
_NO = r"(?:tidak|tak|bukan|belum)"
_EMPLOYER = r"(?:perusahaan|majikan|pt|bos|user|pemberi kerja|employer|p3mi)"
_CHARGED = (r"(?:dibebankan|dipungut|ditarik|dikenakan|ditagih(?:kan)?|dibayar(?:kan)?\s+"
            r"(?:oleh\s+)?(?:pekerja|cpmi|pmi|calon|anda|kamu|peserta|pelamar))(?!\w)")
_NOT_TO_WORKER = (rf"(?!\s+(?:ke|kepada|pada)\s+{_EMPLOYER})"
                  r"(?!\s+(?:biaya\s+)?(?:lain|lagi|tambahan))")
_FREE_AFTER = re.compile(
    rf"^\s*(?:(?!{_NO}\s)\w+\s+)?(?:ditanggung|gratis|free|dibayar(?:in)?\s+{_EMPLOYER}|nol|0|"
    rf"tidak ada)|"
    rf"^,?\s*(?:[a-z]+,?\s+){{0,6}}?{_NO}\s+(?:akan\s+|boleh\s+|pernah\s+)?{_CHARGED}{_NOT_TO_WORKER}|"
    rf"^\s*(?:(?!{_NO}\s)[a-z]+\s+){{0,3}}?(?:dibebankan|ditanggung)\s+(?:ke|kepada|pada|oleh)\s+"
    rf"{_EMPLOYER}")
# "biaya pelatihan sesuai ketentuan": a cost named as the rules allow it, with no sum asked.
# Licensed agencies write this (the caps are Kepka BP2MI's, fact sheet 1i/1k; for the ten
# Perban 9/2020 jobs the rules allow nothing); a sum just before or after is still a fee.
_AS_RULES_ALLOW = re.compile(r"^(?:\s+(?!rp|\d)[a-z][\w-]*){0,4}?\s+(?:sesuai|menurut|mengikuti|"
                             r"berdasarkan)\s+(?:ketentuan|aturan|peraturan|regulasi|kepka|"
                             r"kepkaban|kepkabadan|perban|keputusan)")
_SENTENCE_BREAK = re.compile(r"[.!?\n]")


def fees(text: str, amounts: list[Money]) -> list[str]:
    """Fees the worker is asked to pay up front, each with its amount when one follows.

    Costs said to be covered ("tiket ditanggung") or taken from the salary later ("potong gaji
    untuk biaya proses", a different red flag) are not up-front fees, nor is a cost named
    only as the rules allow it ("biaya pelatihan sesuai ketentuan", no sum).
    """
    found: list[str] = []
    for m in positives(_FEE_PHRASE, text):
        if _FREE_AFTER.search(text[m.end(): m.end() + 50]) or \
                _DEDUCTED_BEFORE.search(text[max(0, m.start() - 50): m.start()]):
            continue
        nearby = next((a for a in amounts if 0 <= a.start - m.end() <= 15), None)
        if nearby is None and _as_rules_allow(text, m, amounts):
            continue
        found.append(f"{m.group(0)} {nearby.text}" if nearby else m.group(0))
    return list(dict.fromkeys(found))


def _as_rules_allow(text: str, fee: re.Match[str], amounts: list[Money]) -> bool:
    """Whether a fee is named only as the rules allow it, with no sum just before it."""
    sum_before = any(0 <= fee.start() - a.end <= 20
                     and not _SENTENCE_BREAK.search(text[a.end: fee.start()]) for a in amounts)
    return not sum_before and bool(_AS_RULES_ALLOW.search(text[fee.end(): fee.end() + 60]))


_WALLETS = r"dana|ovo|gopay|shopeepay|linkaja"
_RECEIVERS: list[tuple[str, re.Pattern[str]]] = [
    ("rekening perusahaan", re.compile(r"(?:rek(?:ening)?\.?\s+(?:resmi\s+)?(?:atas nama\s+|"
                                       r"a\.?n\.?\s+)?|(?<!\w)(?:atas nama|a\.n\.?|a/n)\s+)"
                                       r"(?:pt|cv|perusahaan|kantor|p3mi|lpk|yayasan|lembaga)"
                                       r"(?!\w)")),
    ("dompet digital", re.compile(rf"(?:ke|via|lewat|pakai|melalui)\s+(?:{_WALLETS})(?!\w)|"
                                  rf"(?<!\w)(?:{_WALLETS})\s+\d|(?<!\w)(?:e-?wallet|pulsa)(?!\w)")),
    ("rekening pribadi", re.compile(r"(?<!\w)(?:rek(?:ening)?|no\.?\s*rek|norek)(?!\w)|"
                                    r"(?<!\w)(?:bca|bri|mandiri|bni|bsi|btn)\s+(?:no\.?\s*)?\d|"
                                    r"(?<!\w)(?:a\.\s?n\.?|a/n)\s+\w+|atas nama")),
    ("agen", re.compile(r"(?:bayar|setor|serahkan|kasih)\w*\s+(?:\w+\s+)?(?:ke|kepada|sama)\s+"
                        r"(?:agen|sponsor|calo|admin|bos|boss|pak|bu|mas|mbak|bang|koordinator|korlap|tekong)|"
                        r"(?:bayar|setor|kasih|titip)\w*\s+(?:uang\s+)?(?:agen|agensi|sponsor|calo|"
                        r"perantara)(?!\w)|(?:titip|nitip|kasih|serahkan)\w*\s+uang(?:\s+\S+){0,4}"
                        r"\s+(?:ke|kepada|sama)\s+(?:saya|aku|kami|pak|bu|mas|mbak)(?!\w)|"
                        r"(?<!\w)(?:ke|kepada|sama|untuk|buat|lewat|melalui|via)\s+(?:pihak\s+)?"
                        r"(?:agen|agency|agensi|sponsor|calo|perantara|koordinator|korlap|tekong)"
                        r"(?!\w)|"
                        r"(?<!\w)(?:fee|biaya|uang|duit|ongkos)\s+(?:agen|agency|agensi|sponsor|"
                        r"calo|perantara)(?!\w)|agency fee|agent(?:'s)? fee|"
                        # "PL-e minta 12 juta": the field agent (petugas lapangan) asks
                        r"(?<!\w)(?:agen|agensi|sponsor|calo|perantara|pl|petugas lapangan|"
                        r"koordinator|korlap|tekong)(?:-?nya|-e)?\s+(?:minta|meminta|narik|"
                        r"menarik|mungut|memungut)(?!\w)")),
    ("lembaga pelatihan", re.compile(r"(?<!\w)(?:lpk|blk(?: swasta)?|lembaga (?:pelatihan|"
                                     r"kursus)|balai (?:latihan|pelatihan)|"
                                     r"tempat (?:pelatihan|kursus)|asrama pelatihan|(?:biaya|"
                                     r"uang) (?:pelatihan|asrama|kursus|training))(?!\w)")),
    ("bank", re.compile(r"(?<!\w)(?:bank|bni|teller)(?!\w)")),
]


def fee_receiver(text: str) -> str | None:
    """Who receives the money: a personal account or e-wallet is the dangerous answer."""
    for name, pattern in _RECEIVERS:
        if next(positives(pattern, text), None):
            return name
    return None
