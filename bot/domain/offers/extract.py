"""What a job offer says: destination, route, pay, visa, fees, passport, contract, urgency.

Each function reads the normalised offer text (see offers.normalize_offer) and returns one
fact; offers.read_facts puts them together into `OfferFacts` for the red-flag rules.

Negation matters more than anywhere else here: "tanpa biaya" is the opposite of a fee and
"bukan visa turis" the opposite of a tourist visa, so matches go through `positives`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from rapidfuzz import fuzz, process

from nlu.amounts import Money, amount_role, pay_period, per_month, to_idr

NEGATION = re.compile(r"(?:^|[^\w])(?:bukan|tidak|tanpa|jangan|tak|belum|bebas|gratis|free|zero|"
                      r"nol|no|non|anti)\s+(?:\w+\s+)?$")


def negated(text: str, start: int) -> bool:
    """Whether the words right before ``start`` negate what follows ("tanpa biaya")."""
    return bool(NEGATION.search(text[max(0, start - 24): start]))


def positives(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that are not negated."""
    return (m for m in pattern.finditer(text) if not negated(text, m.start()))


_LEET = str.maketrans("0431@57", "oaeiast")
_LEET_RE = re.compile(r"(?<=[a-z])[0134@57]+(?=[a-z])")


class CountryMatcher:
    """Finds countries by their many spellings, cities and flag emojis (``iso:kh``).

    Exact aliases first; then single words of seven letters or more that are one or two
    typos away from a long alias ("kambojah", "tailland"), since villagers and recruiters
    misspell place names and a missed "Kamboja" is the costliest miss there is.
    """

    FUZZY_MIN, FUZZY_SCORE, HASHTAG_MIN = 7, 85, 5

    def __init__(self, table: Mapping[str, tuple[str, Iterable[str]]]) -> None:
        self.canonical: dict[str, str] = {}
        for name, (iso, aliases) in table.items():
            self.canonical[f"iso:{iso.lower()}"] = name
            for alias in aliases:
                self.canonical[" ".join(alias.lower().split())] = name
        alternatives = sorted(self.canonical, key=len, reverse=True)
        body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]*") for a in alternatives)
        self.pattern = re.compile(rf"(?<![\w:])({body})(?!\w)")
        self.long = [a for a in self.canonical if len(a) >= self.FUZZY_MIN and " " not in a]
        self.hashtag_names = [a for a in self.canonical if len(a) >= self.HASHTAG_MIN
                              and a.isalpha()]

    def mentions(self, text: str) -> list[tuple[str, int, int]]:
        """(country, start, end) for every mention; digits inside words read as letters."""
        plain = _LEET_RE.sub(lambda m: m.group(0).translate(_LEET), text)
        found = [(self.canonical[" ".join(re.sub(r"[\s-]+", " ", m.group(1)).split())],
                  m.start(), m.end()) for m in self.pattern.finditer(plain)]
        taken = [(start, end) for _, start, end in found]
        found += self._in_hashtags(plain, taken)
        taken = [(start, end) for _, start, end in found]
        for word in re.finditer(rf"[a-z]{{{self.FUZZY_MIN},}}", plain):
            if any(s <= word.start() < e for s, e in taken):
                continue
            best = process.extractOne(word.group(0), self.long, scorer=fuzz.ratio,
                                      score_cutoff=self.FUZZY_SCORE)
            if best:
                found.append((self.canonical[best[0]], word.start(), word.end()))
        return sorted(found, key=lambda mention: mention[1])

    def _in_hashtags(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
        """Places glued into a hashtag ("#lokerkamboja", "#kerjadithailand").

        Only names of HASHTAG_MIN letters or more count, so "#romance" is not Oman.
        """
        found = []
        for tag in re.finditer(r"#([a-z]+)", text):
            if any(s <= tag.start(1) < e for s, e in taken):
                continue
            inside = [a for a in self.hashtag_names if a in tag.group(1)]
            if inside:
                found.append((self.canonical[max(inside, key=len)], tag.start(1), tag.end(1)))
        return found


OFFICIAL = re.compile(r"(?<!\w)(?:siskop2mi|bp2mi|kp2mi|bp3mi|p4mi|ltsa|disnaker\w*|g ?to ?g|"
                      r"g2g|eps-?topik|sip3mi|siapkerja|kemnaker|"
                      r"p3mi (?:resmi|berizin|berdaftar|terdaftar)|\((?:p3mi )?berizin\)|"
                      r"perban (?:bp2mi )?(?:no\.? ?)?0?9/2020|im japan|"
                      # the ministry by name, the schemes and the offices the fact sheet names
                      # (1c-1k): an LPK Sending Organization, Taiwan's SP2T and KDEI, Malaysia's
                      # One Channel System, a placement company that says it is licensed
                      r"kementerian (?:p2mi|pelindungan pekerja migran(?: indonesia)?)|"
                      r"government to government|lpk-?so|(?:lpk )?sending organi[sz]ation|"
                      r"sp2t|kdei|one channel system|izin p3mi|"
                      r"(?:perusahaan penempatan|agen(?:si|cy)?)(?: pekerja migran(?: indonesia)?)?"
                      r"(?: resmi)? (?:berizin|terdaftar|ber-?sip3mi|berlisensi))(?!\w)|"
                      r"\((?:p3mi )?berizin\)")
# "gak usah ke Disnaker", "tanpa lewat BP3MI", "tidak perlu daftar di SISKOP2MI": the route
# named only to be skipped (skips_the_official_route) is no official route.
_SKIPPED_BEFORE = re.compile(r"(?:tidak|tak|gak|nggak|ga|tanpa|jangan|bukan)\s+(?:perlu\s+|usah\s+|"
                             r"harus\s+|wajib\s+|pakai\s+|mau\s+)?(?:ke\s+|lewat\s+|melalui\s+|"
                             r"via\s+|daftar\s+(?:di\s+|ke\s+)?|urus\s+(?:di\s+|ke\s+)?|lapor\s+"
                             r"(?:ke\s+)?)?(?:kantor\s+)?$")


def official_route(text: str) -> bool:
    """Whether the offer names a licensed agency, a scheme or an official office to go through."""
    return any(not _SKIPPED_BEFORE.search(text[max(0, m.start() - 40): m.start()])
               for m in OFFICIAL.finditer(text))


_TRANSIT_BEFORE = re.compile(r"(?:via|lewat|melalui|transit|singgah|mampir|diturunkan|turun|"
                             r"nyebrang dari|menyeberang dari)(?:\s+(?:di|ke|lewat|via|dari))?"
                             r"\s+(?:(?:bandara|kota|negara|jalur|udara)\s+)?$")
_TRANSIT_AFTER = re.compile(r"^\s*(?:dulu|dlu|dahulu|->|sebelum)|^\s*,?\s*(?:lalu|terus|kemudian|"
                            r"lanjut|baru)\s+(?:\w+\s+){0,2}?(?:ke|naik|dibawa|diantar|dijemput|"
                            r"nyebrang|menyeberang|jalan|darat)(?!\w)")
_LANGUAGE_BEFORE = re.compile(r"(?<!\w)bahasa\s+$")
_DEST_BEFORE = re.compile(r"(?:kerja|bekerja|penempatan|ditempatkan|negara tujuan|lokasi kerja|"
                          r"lokasi|loker|lowongan|job)\s+(?:di\s+|ke\s+|:\s*)?$")


def places(text: str, matcher: CountryMatcher) -> tuple[str | None, list[str], list[str]]:
    """Destination, countries named as places to work, and transit countries."""
    work: list[tuple[bool, str]] = []
    transit: list[str] = []
    for name, start, end in matcher.mentions(text):
        before, after = text[max(0, start - 40): start], text[end: end + 40]
        if _LANGUAGE_BEFORE.search(before):
            continue  # "kursus bahasa Korea" names a language, not a place to work
        strong = bool(_DEST_BEFORE.search(before))
        if not strong and (_TRANSIT_BEFORE.search(before) or _TRANSIT_AFTER.search(after)):
            transit.append(name)
        else:
            work.append((strong, name))
    names = list(dict.fromkeys(name for _, name in work))
    strong_names = [name for strong, name in work if strong]
    destination = strong_names[0] if strong_names else (names[0] if names else None)
    transit = [t for t in dict.fromkeys(transit) if t not in names]
    return destination, names, transit


_VISA = [("turis", r"visa (?:turis|turist|wisata|tourist|tourism|holiday|liburan|pelancong|"
                   r"melancong|lancong|pelesir|jalan-jalan|liburan)|tourist visa|"
                   # a visit stamp, not "cap visa 14 hari" (how long stamping a work visa takes)
                   r"(?:cop|chop|cap|stempel|stamp)(?: (?:paspor|imigrasi|masuk|kedatangan|"
                   r"turis|wisata|bebas visa))? (?:\d+|tiga puluh) hari|"
                   r"(?:masuk|berangkat|pergi|terbang) (?:sebagai|pakai|dengan|modal|ngaku) "
                   r"(?:turis|wisatawan|pelancong)|"
                   r"(?:gaya|nyamar|menyamar|kayak|kaya|seperti|modus|status|kedok) (?:jadi |"
                   r"sebagai )?(?:turis|wisatawan|pelancong|orang liburan)|"
                   # "free visa" alone is a visa paid for; entering visa-free is how it's used
                   r"(?:masuk|pakai|pake|modal) free ?visa|"
                   r"(?:bebas|free) ?visa (?:\d+|tiga puluh|sebulan|satu bulan) ?(?:hari|bulan)?|"
                   r"(?:pakai|pake|dengan|modal|masuk|berangkat|dapat|dapet) visa "
                   r"(?:\d+ hari|sebulan|1 bulan|satu bulan)|"
                   r"visa (?:\d+ hari|sebulan|1 bulan|satu bulan) (?:dulu|aja|saja)|"
                   r"bebas visa|visa on arrival|voa|visa (?:ziarah|umroh|umrah|haji|melawat|"
                   r"lawatan)|(?:paspor|pas|izin masuk) (?:turis|wisata|lawatan)|"
                   r"social visit pass"),
         ("kunjungan", r"visa (?:kunjungan|visit|kunjung|bisnis|business)|visit visa|"
                       r"business visa"),
         ("pelajar", r"visa (?:pelajar|student|belajar|magang)|student visa"),
         ("kerja", r"visa kerja|working visa|work visa|work permit|permit kerja|calling visa|"
                   r"visa (?:resmi )?(?:tenaga kerja|pekerja)|e-?visa kerja")]
_VISA_RE = [(kind, re.compile(rf"(?<!\w)(?:{pat})(?!\w)")) for kind, pat in _VISA]


def visa_type(text: str) -> str | None:
    """The visa the offer uses; a tourist or visit visa wins over a mentioned work visa."""
    found = [kind for kind, pattern in _VISA_RE if next(positives(pattern, text), None)]
    return found[0] if found else None


_CHANNELS = {"facebook": "facebook", "fb": "facebook", "tiktok": "tiktok", "tik tok": "tiktok",
             "whatsapp": "whatsapp", "whatsap": "whatsapp", "wa": "whatsapp", "telegram":
             "telegram", "tele": "telegram", "instagram": "instagram", "ig": "instagram",
             "messenger": "facebook", "line": "line"}
_CHANNEL_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(_CHANNELS, key=len, reverse=True))
                         + r")(?!\w)")


def channel(text: str) -> str | None:
    """The first social platform or chat app named (where the offer is being spread)."""
    m = _CHANNEL_RE.search(text)
    return _CHANNELS[m.group(1)] if m else None


_HOLDERS = (r"(?:bos|boss|agen|agency|agensi|perusahaan|kantor|sponsor|mandor|leader|majikan|"
            r"calo|pt|atasan|admin)(?!\w)")
_PASSPORT = re.compile(
    r"paspor\s+(?:(?!tidak|tak|bukan|gak|jangan)\w+\s+){0,2}?(?:dipegang|ditahan|disimpan|"
    r"diserahkan|dititip\w*|dikumpul\w*|diamankan|disita)(?!\s+(?:oleh\s+)?"
    r"(?:sendiri|pekerja|masing|anda|kamu|pemilik))|(?:serahkan|titip\w*|kumpulkan|kasih\w*|"
    r"tinggalkan)\s+paspor|paspor\s+(?:kami|agen|bos|boss|perusahaan|sponsor|kantor)\s+"
    r"(?:yang\s+)?(?:pegang|simpan|tahan)|"
    # "paspor diambil perusahaan", "paspor ikut bos", "paspor sama mandor"
    rf"paspor\s+(?:\w+\s+)?(?:diambil(?:\s+alih)?\s+(?:oleh\s+)?|ikut\s+|sama\s+|pada\s+|"
    rf"di\s+tangan\s+)(?:pihak\s+)?{_HOLDERS}(?!\s+(?:yang\s+)?(?:urus|bikin|buat|bantu|bayar|"
    rf"tanggung|proses))")


_FOR_VISA = re.compile(r"^(?:[^.\n]{0,40}?)(?:untuk|buat|guna|selama|saat|waktu|ketika|sampai)"
                       r"\s+(?:\w+\s+)?(?:pengurusan|proses|diproses|urus|diurus|pembuatan|"
                       r"pengajuan|apply|stamping|pengecapan)\s+(?:\w+\s+)?visa"
                       r"(?!\w)(?!\s+(?:\w+\s+)?(?:dan|sampai|hingga|serta)\s+(?:selama\s+)?"
                       r"(?:kerja|kontrak|bekerja|di\s+sana))")


def passport_handover(text: str) -> bool:
    """Whether the recruiter, boss or company will hold the passport.

    Handing it over so the agency can apply for the work visa before departure is ordinary
    and not counted; keeping it is.
    """
    return any(not _FOR_VISA.search(text[m.end(): m.end() + 80])
               for m in positives(_PASSPORT, text))


_CONTRACT = re.compile(r"(?<!\w)(?:perjanjian kerja|kontrak kerja|kontrak|perjanjian penempatan|"
                       r"surat perjanjian|job ?order)(?!\w)")
_CONTRACT_LATER = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:nyusul|menyusul|di ?sana|di lokasi|setelah "
                             r"(?:sampai|tiba)|belakangan|nanti|lisan|secara lisan)(?!\w)")


# "kontrak nanti ditandatangani di LTSA sebelum berangkat": later, but before departure and
# in front of the officials, which is the official route (fact sheet 1d).
_SIGNED_BEFORE_DEPARTURE = re.compile(r"^[^.\n]{0,50}?(?:sebelum (?:berangkat|terbang|"
                                      r"keberangkatan)|di (?:ltsa|disnaker\w*|bp3mi))")


def contract(text: str) -> bool | None:
    """True when a written contract is mentioned, False when denied or "later", else None."""
    verdict: bool | None = None
    for m in _CONTRACT.finditer(text):
        after = text[m.end(): m.end() + 60]
        later = _CONTRACT_LATER.search(after[:30]) and not _SIGNED_BEFORE_DEPARTURE.search(after)
        if negated(text, m.start()) or later:
            return False
        verdict = True
    return verdict


_URGENT = re.compile(
    r"(?<!\w)(?:(?:berangkat|terbang|flight|mangkat)\s+(?:minggu ini|besok|lusa|cepat|segera|"
    r"langsung|secepatnya|bulan ini|hari ini|dalam \d+ hari|\d+ hari lagi|\d+ ?-? ?\d* hari)|"
    r"langsung (?:berangkat|terbang|flight)|proses (?:cepat|kilat|singkat|\d+ hari)|"
    r"urgent\w* (?:berangkat|terbang|flight)|cepat berangkat|jalur cepat|"
    r"siap berangkat (?:kapan saja|segera))(?!\w)")
# "berangkat cepat setelah visa kerja terbit": the departure waits for the checks it would skip.
_AFTER_THE_CHECKS = re.compile(r"^,?\s+(?:\w+\s+)?(?:setelah|sesudah|begitu|kalau|jika)\s+"
                               r"(?:visa kerja|opp|orientasi pra|dokumen (?:lengkap|selesai))")


def urgent(text: str) -> bool:
    """Whether the offer pushes a departure within days.

    Hurried hiring ("urgent", "butuh cepat 50 orang") is not a hurried departure; it is
    pressure_tactics' low sign, common in honest adverts too. Nor is a quick departure once
    the work visa or the orientation (OPP) is done: those are the official checks.
    """
    return any(not _AFTER_THE_CHECKS.search(text[m.end(): m.end() + 50])
               for m in positives(_URGENT, text))


_JOB = re.compile(
    r"(?<!\w)(customer service|cs online|operator (?:komputer|laptop|pc|online|chat|data|produksi|"
    r"mesin|forklift)|admin (?:online|sosmed|toko online|web|website|chat|judi|"
    r"slot|kantor|gudang)|admin|marketing|telemarketing|operator|"
    r"data entry|typing|kerja online|host live|live chat|call center|pabrik|factory|manufaktur|"
    r"perkebunan|kebun sawit|ladang|konstruksi|bangunan|abk|kapal pesiar|pelaut|nelayan|"
    r"caregiver|perawat|pengasuh \w+|asisten rumah tangga|art|prt|pembantu|domestic helper|"
    r"restoran|waiter|waitress|koki|juru masak|cook|chef|dapur|hotel|housekeeping|cleaning service|"
    r"cleaner|petugas kebersihan|sopir|driver|spa|terapis|pijat|karaoke|pemandu lagu|hostess|"
    r"welder|tukang las|teknisi|buruh \w+|petani|peternakan|manufacturing)(?!\w)")


def job(text: str) -> str | None:
    """The first job title mentioned."""
    m = _JOB.search(text)
    return m.group(1) if m else None


_COMPANY = re.compile(r"(?<!\w)(pt|cv)\.?\s+((?:[a-z0-9&'.-]+\s?){1,5})")
_STOP = {
    "butuh", "membutuhkan", "buka", "membuka", "lowongan", "loker", "mencari", "cari", "merekrut",
    "rekrut", "hiring", "untuk", "yang", "di", "ke", "berizin", "resmi", "dengan", "gaji",
    "kerja", "bekerja", "terdaftar", "sudah", "telah", "adalah", "menerima", "open", "siap",
    "job", "penempatan", "negara", "dan", "atau", "via", "lewat", "hubungi", "wa", "dm", "info",
    "kontak", "alamat", "no", "nomor", "izin", "sip3mi", "siskop2mi", "cabang", "kantor", "jl",
    "jalan", "tbk", "persero", "sedang", "segera", "kami", "pusat",
}


def company(text: str) -> str | None:
    """A named company ("PT Maju Jaya"), title-cased; None when the offer names none."""
    for m in _COMPANY.finditer(text):
        words = []
        for word in m.group(2).split():
            if word.strip(".,'") in _STOP:
                break
            words.append(word.strip(".,"))
        if words:
            return f"{m.group(1).upper()} " + " ".join(w.capitalize() for w in words)
    return None


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
    r"makan|sewa|rp|\d)[a-z]+){1,4}\s+(?:rp ?)?\d)|dp|deposit|admin fee|uang jaminan|"
    r"(?:beli|jual|harga|bayar) job|job (?:beli|berbayar)|agency fee|"
    r"(?:training|pelatihan|kursus|diklat|lpk|lembaga pelatihan)"
    r"(?=(?:\s+(?!gratis|free|ditanggung|dibayar\w*)\S+){0,6}"
    r"\s+(?:rp\.? ?\d|\d[\d.,]* ?(?:juta|jt|rb|ribu)(?!\w)))|"
    r"(?:bayar|transfer|tf|setor)\s+(?:dulu|di\s?muka|di\s?awal|ke|rp|\d+)|"
    # "bayar sponsor 8jt", "titip uang 10 juta ke saya": a sum handed to a go-between
    r"(?:bayar|setor|kasih|titip)\w*\s+(?:uang\s+)?(?:ke\s+|kepada\s+|sama\s+)?(?:agen|agensi|"
    r"sponsor|calo|perantara)(?=\s+(?:rp\.?\s?)?\d)|(?:titip|nitip)\s+uang)(?!\w)")
_DEDUCTED_BEFORE = re.compile(r"(?:(?:potong|dipotong|potongan)\s+gaji|gaji\s+(?:\S+\s+){0,3}?"
                              r"dipotong)(?:[^,.\n]|\.(?=\d)){0,40}$")
_FREE_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:ditanggung|gratis|free|dibayar(?:in)?\s+"
                         r"(?:perusahaan|majikan|pt|bos|user|pemberi kerja)|nol|0|tidak ada)")
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
        if _FREE_AFTER.search(text[m.end(): m.end() + 30]) or \
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
                        r"(?:agen|sponsor|calo|admin|bos|boss|pak|bu|mas|mbak|bang)|"
                        r"(?:bayar|setor|kasih|titip)\w*\s+(?:uang\s+)?(?:agen|agensi|sponsor|calo|"
                        r"perantara)(?!\w)|(?:titip|nitip|kasih|serahkan)\w*\s+uang(?:\s+\S+){0,4}"
                        r"\s+(?:ke|kepada|sama)\s+(?:saya|aku|kami|pak|bu|mas|mbak)(?!\w)|"
                        r"(?<!\w)(?:ke|kepada|sama|untuk|buat|lewat|melalui|via)\s+(?:pihak\s+)?"
                        r"(?:agen|agency|agensi|sponsor|calo|perantara)(?!\w)|"
                        r"(?<!\w)(?:fee|biaya|uang|duit|ongkos)\s+(?:agen|agency|agensi|sponsor|"
                        r"calo|perantara)(?!\w)|agency fee")),
    ("lembaga pelatihan", re.compile(r"(?<!\w)(?:lpk|lembaga (?:pelatihan|kursus)|balai "
                                     r"(?:latihan|pelatihan)|tempat (?:pelatihan|kursus)|"
                                     r"asrama pelatihan|(?:biaya|uang) (?:pelatihan|asrama|"
                                     r"kursus|training))(?!\w)")),
    ("bank", re.compile(r"(?<!\w)(?:bank|bni|teller)(?!\w)")),
]


def fee_receiver(text: str) -> str | None:
    """Who receives the money: a personal account or e-wallet is the dangerous answer."""
    for name, pattern in _RECEIVERS:
        if next(positives(pattern, text), None):
            return name
    return None
