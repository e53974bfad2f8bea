"""What a job offer says: destination, route, pay, visa, fees, passport, contract, urgency.

Each function reads the normalised offer text (see offers.normalize_offer) and returns one
fact; offers.read_facts puts them together into `OfferFacts` for the red-flag rules. Places
and the official route live in `places`, pay and fees in `payments`, negation in `negation`;
they are re-exported here so a caller reads every fact from one module.

Negation matters more than anywhere else here: "tanpa biaya" is the opposite of a fee and
"bukan visa turis" the opposite of a tourist visa, so matches go through `positives`.
"""

from __future__ import annotations

import re

from bot.domain.offers.negation import negated, positives
from bot.domain.offers.payments import fee_receiver, fees, pay_idr_month
from bot.domain.offers.places import CountryMatcher, official_route, places

__all__ = ["CountryMatcher", "channel", "company", "contract", "fee_receiver",
           "fees", "job", "negated", "official_route", "passport_handover", "pay_idr_month",
           "places", "positives", "trip_only", "urgent", "visa_type"]

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


# "kontrak kerja belum ada", "perjanjian kerja gak dikasih, cuma lisan": denied after the noun;
# "kontraknya baru dikasih pas di bandara": handed over only at departure, unread (UU 18/2017
# Pasal 13 lists the contract among the documents needed before placement, fact sheet 1b).
_CONTRACT_DENIED_AFTER = re.compile(
    r"^(?:nya)?\s*(?:\w+\s+)?(?:belum|tidak|tak|gak|ga|nggak)\s+(?:ada|dikasih|diberi\w*|dibuat|"
    r"ditandatangani|diteken|disiapkan|dikirim|pakai)(?!\w)(?!\s+(?:biaya|potongan|pungutan))|"
    r"^(?:nya)?\s*(?:\w+\s+)?(?:baru\s+)?(?:dikasih|diberi\w*|dikirim|diteken|ditandatangani)\s+"
    r"(?:pas|saat|waktu|di)\s+(?:di\s+)?(?:bandara|pesawat|hari keberangkatan)(?!\w)")


def contract(text: str) -> bool | None:
    """True when a written contract is mentioned, False when denied or "later", else None."""
    verdict: bool | None = None
    for m in _CONTRACT.finditer(text):
        after = text[m.end(): m.end() + 60]
        later = (_CONTRACT_LATER.search(after[:30]) or _CONTRACT_DENIED_AFTER.search(after)) \
            and not _SIGNED_BEFORE_DEPARTURE.search(after)
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
    # "nama PT menyusul", "PT-nya dirahasiakan": a company withheld is no company named
    "menyusul", "nyusul", "nanti", "belum", "rahasia", "dirahasiakan", "tidak",
    # "PT" as a common noun: "didaftarin ke PT wajib ikut pelatihan", "yang dikasih PT cuma
    # bahasa Inggris", "PT lengkap resmi": no name follows
    "wajib", "harus", "mesti", "cuma", "hanya", "lengkap", "ini", "itu", "tersebut", "bilang",
    "kasih", "minta", "suruh", "bisa", "mau", "akan", "juga", "saja", "sih", "nya", "lagi",
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



_TRIP = re.compile(r"(?<!\w)(?:paket (?:umroh|umrah|haji|wisata|tour|tur|liburan|honeymoon|trip|"
                   r"perjalanan)|open trip|trip|tour|tur wisata|wisata|liburan|berlibur|"
                   r"jalan-jalan|umroh|umrah|haji|ziarah|itinerary|\d+ ?d ?\d+ ?n|"
                   r"pulang bareng(?: rombongan)?|tiket (?:pesawat )?(?:pp|pulang pergi))(?!\w)")
_WORK = re.compile(
    r"(?<!\w)(?:kerja\w*|bekerja|pekerja\w*|karyawan|gaji\w*|upah|salary|income|penghasilan|"
    r"komisi|loker|lowongan|lowker|job\w*|vacancy|hiring|rekrut\w*|direkrut|majikan|bos|boss|"
    r"mandor|pabrik|kilang|penempatan|ditempatkan|disalurkan|dipekerjakan|pmi|cpmi|tki|tkw|"
    r"magang|operator|admin|posisi|lamar\w*|melamar|interview|wawancara|dibutuhkan|dicari|"
    r"(?:cari|dapat|dapet|menghasilkan|hasilkan) (?:duit|uang|nafkah|cuan)|cuan|peluang|"
    r"(?:/|per )(?:bulan|hari|jam|minggu))(?!\w)")


def trip_only(text: str) -> bool:
    """Whether the text sells a trip (a tour, umrah) and offers no work anywhere.

    A holiday or a pilgrimage with a return ticket is lawful (genuine tourists may leave,
    fact sheet 2b; umrah is a red flag only as cover for work, 5a). A trip named with any
    word of work, pay or recruitment ("umroh sambil kerja", "ketemu bos di sana") is not one:
    a negated mention ("bukan kerja") does not count as work.
    """
    return bool(_TRIP.search(text)) and next(positives(_WORK, text), None) is None
