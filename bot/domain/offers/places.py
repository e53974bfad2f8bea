"""Where an offer sends the worker, and through whom: countries, transit and the official route.

Place names are the costliest thing to miss (a missed "Kamboja" lets a scam compound
through), so countries are found by every spelling, city, flag emoji and near-typo, and each
mention is read as a place to work, a transit stop or a language ("kursus bahasa Korea").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

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

