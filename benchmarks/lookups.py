"""Village and agency lookups and imports at scale, against the old code as the baseline.

Prints, for each size, the median and p99 of one lookup (ms), the first lookup (which builds
the in-memory index), and the import's peak Python memory (tracemalloc), for the new code and,
where it finishes in reasonable time, the old code (read every row, score every row; import
everything into memory), measured in the same run on the same database.

    .venv/bin/python benchmarks/lookups.py                 # SQLite; about 6-10 minutes
    .venv/bin/python benchmarks/lookups.py --quick         # smaller sizes, ~1 minute
    .venv/bin/python benchmarks/lookups.py --postgres      # PostgreSQL (DESABOT_BENCH_POSTGRES_URL)

Queries are drawn at random (fixed seed) from the stored names, with one typo and the regency
or province as context, as villagers type them; none is hand-picked. Loopback only; the
databases are temporary and removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from benchlib import BenchDatabase, fmt, loadavg, percentile  # puts the root on sys.path
from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from bot.core.storage.models import Agency, Village
from bot.core.storage.session import Database
from bot.domain.agencies import register
from bot.domain.people import roles
from bot.domain.programme import gazetteer, villages
from bot.domain.programme.village_import import import_villages

TODAY = date(2026, 12, 1)
WORDS = ("maju", "jaya", "abadi", "sejahtera", "mandiri", "karya", "putra", "bangsa", "mitra",
         "sukses", "makmur", "sentosa", "nusantara", "global", "insani", "bahari", "cipta",
         "prima", "utama", "sarana", "tenaga", "kerja", "duta", "bina", "citra", "graha",
         "lintas", "samudra", "mulia", "harapan", "indah", "perkasa", "agung", "bumi", "langit")


def typo(word: str, rng: random.Random) -> str:
    """One random edit (delete, substitute, insert or swap) in a word of 5 letters or more."""
    if len(word) < 5:
        return word
    i = rng.randrange(len(word) - 1)
    op = rng.choice("dsit")
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return {"d": word[:i] + word[i + 1:], "s": word[:i] + letter + word[i + 1:],
            "i": word[:i] + letter + word[i:],
            "t": word[:i] + word[i + 1] + word[i] + word[i + 2:]}[op]


def timed(fn: Callable[[str], object], queries: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per query: wall clock, and this thread's CPU time (which other programs
    sharing the cores do not inflate)."""
    wall, cpu = [], []
    for q in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn(q)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def peak_mb(fn: Callable[[], object]) -> tuple[float, float]:
    """(peak Python memory in MB, seconds) while `fn` runs."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6, time.perf_counter() - start
    finally:
        tracemalloc.stop()


# -- the old code (before this change), kept here as the baseline ------------------------------
def old_village_search(db: Database, text: str, limit: int = 5) -> list[int]:
    """bot/domain/programme/villages.py before: every row read and scored on each query."""
    wanted = " ".join(text.lower().replace("desa ", " ").replace("kelurahan ", " ").split())
    with db.session() as session:
        rows = session.execute(select(Village.id, Village.name)).all()
    choices = {r.id: r.name.lower() for r in rows}
    found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit * 3,
                            score_cutoff=80)
    return [f[2] for f in found[:limit]]


def old_agency_lookup(db: Database, name: str) -> object:
    """bot/domain/agencies/register.py before: every agency loaded and scored."""
    wanted = register.match_name(name)
    with db.session() as session:
        agencies = list(session.scalars(select(Agency)))
    choices = {a.id: a.match_name for a in agencies}
    return process.extractOne(wanted, choices, scorer=fuzz.token_sort_ratio)


def old_village_import(db: Database, path: Path) -> None:
    """The old import's memory pattern: every row of the file in a list, every village loaded."""
    import csv

    from bot.domain.programme.village_import import _values

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(enumerate(csv.DictReader(fh), start=2))
    with db.session() as session:
        existing = {v.code: v for v in session.scalars(select(Village))}
        for number, row in rows:
            values = _values(row, {}, path, number)
            if values["code"] not in existing:
                village = Village(**values)
                session.add(village)
                existing[values["code"]] = village


# -- data ----------------------------------------------------------------------------------
def village_csv(path: Path, size: int) -> list[tuple[str, str]]:
    """`size` villages from the gazetteer (repeated with suffixes past its 82,503); returns
    (name, regency) of each for drawing queries."""
    entries = gazetteer._gazetteer().entries
    drawn = []
    with path.open("w", encoding="utf-8") as fh:
        fh.write("code,village,district,regency,province,timezone,office\n")
        for n in range(size):
            e = entries[n % len(entries)]
            suffix = "" if n < len(entries) else f" {('Baru', 'Lama', 'Satu', 'Dua')[n % 4]}"
            name = f"{e.village}{suffix}".replace(",", " ").replace('"', " ")
            regency = e.regency.replace(",", " ")
            fh.write(f"B.{n},{name},{e.district.replace(',', ' ')},{regency},"
                     f"{e.province},{e.zone},\n")
            drawn.append((name, regency))
    return drawn


def agency_csv(path: Path, size: int, rng: random.Random) -> list[str]:
    """`size` agencies named from common words (many near-duplicates, as in real registers)."""
    names = []
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,licence_number,valid_until,province,address,status\n")
        for n in range(size):
            name = "PT " + " ".join(rng.sample(WORDS, 3)).title() + f" {n}"
            fh.write(f"{name},B/{n:08d},2030-12-31,Bali,Jl. Contoh {n},aktif\n")
            if n % max(1, size // 2000) == 0:
                names.append(name)
    return names


def village_queries(drawn: list[tuple[str, str]], count: int, rng: random.Random) -> list[str]:
    """Random villages with one typo and the regency as context ("desa klong kab bintan")."""
    out = []
    for name, regency in rng.sample(drawn, count):
        words = name.split()
        k = rng.randrange(len(words))
        words[k] = typo(words[k], rng)
        context = regency.replace("Kabupaten ", "kab ").replace("Kota ", "kota ")
        out.append(f"desa {' '.join(words)} {context}")
    return out


# -- one run -------------------------------------------------------------------------------
def report(label: str, values: tuple[list[float], list[float]]) -> None:
    """Two lines: median and p99 in ms, wall clock and CPU."""
    for kind, numbers in zip(("wall", "cpu"), values, strict=True):
        print(f"  {label + ' ' + kind:<46} median {fmt(statistics.median(numbers), 2):>8} ms   "
              f"p99 {fmt(percentile(numbers, 99), 2):>8} ms   (n={len(numbers)})")


def first_ms(start: float) -> None:
    """The first lookup of a process builds the index."""
    print(f"  first lookup (builds the index)            "
          f"{1000 * (time.perf_counter() - start):8.0f} ms")


def bench_villages(url: str, size: int, tmp: Path, rng: random.Random, old_runs: int) -> None:
    """Import `size` villages (new code, then the old import's memory) and time lookups."""
    db = Database(url)
    roles.add_office(db, "bench", "Benchmark office", default=True)
    path = tmp / f"villages_{size}.csv"
    drawn = village_csv(path, size)
    mem, secs = peak_mb(lambda: import_villages(db, path))
    print(f"villages: {size:,}")
    print(f"  import (new, streamed)                         peak {mem:8.1f} MB   {secs:6.1f} s")
    with fresh_database(False, tmp / f"old_{size}") as old_url:
        old_db = Database(old_url)
        mem, secs = peak_mb(lambda: old_village_import(old_db, path))
        print(f"  import (old, all rows in memory)               peak {mem:8.1f} MB   "
              f"{secs:6.1f} s")
        old_db.dispose()
    with db.session() as session:
        assert session.scalar(select(func.count(Village.id))) == size
    queries = village_queries(drawn, 300, rng)
    start = time.perf_counter()
    villages.search(db, queries[0])
    first_ms(start)
    for _ in range(2):  # warm
        timed(lambda q: villages.search(db, q), queries[:20])
    report("lookup (new: index + 1 version read)", timed(lambda q: villages.search(db, q),
                                                         queries))
    if old_runs:
        report("lookup (old: read and score every row)",
               timed(lambda q: old_village_search(db, q), queries[:old_runs]))
    db.dispose()


def bench_gazetteer(url: str, rng: random.Random) -> None:
    """The full gazetteer (82,503 villages), in memory; the database is only asked for the
    programme status of the hits."""
    db = Database(url)
    start = time.perf_counter()
    count = gazetteer.count()
    print(f"gazetteer: {count:,} villages")
    print(f"  load and index (once per process)          {time.perf_counter() - start:8.2f} s")
    entries = gazetteer._gazetteer().entries
    queries = village_queries([(e.village, e.regency) for e in entries], 300, rng)
    timed(lambda q: gazetteer.search(db, q, 10), queries[:20])
    report("gazetteer.search (index + programme status)",
           timed(lambda q: gazetteer.search(db, q, 10), queries))
    index = gazetteer._gazetteer().index
    report("name index alone", timed(lambda q: index.search(q, 10), queries))
    db.dispose()


def bench_agencies(url: str, size: int, tmp: Path, rng: random.Random, old_runs: int) -> None:
    """Import `size` agencies (streamed) and time lookups, old and new."""
    db = Database(url)
    path = tmp / f"agencies_{size}.csv"
    names = agency_csv(path, size, rng)
    mem, secs = peak_mb(lambda: register.import_register(db, path))
    print(f"agencies: {size:,}")
    print(f"  import (new, streamed via a staging table)     peak {mem:8.1f} MB   {secs:6.1f} s")
    queries = [" ".join(typo(w, rng) if i == 1 else w for i, w in enumerate(n.split()))
               for n in rng.sample(names, min(300, len(names)))]
    start = time.perf_counter()
    register.lookup(db, queries[0], TODAY)
    first_ms(start)
    timed(lambda q: register.lookup(db, q, TODAY), queries[:20])
    report("lookup (new)", timed(lambda q: register.lookup(db, q, TODAY), queries))
    if old_runs:
        report("lookup (old: load and score every agency)",
               timed(lambda q: old_agency_lookup(db, q), queries[:old_runs]))
    else:
        print("  lookup (old)                                   not run at this size "
              "(26 s a lookup in the review)")
    db.dispose()


@contextlib.contextmanager
def fresh_database(postgres: bool, folder: Path) -> Iterator[str]:
    """A new, migrated database (benchlib's), removed afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    bench = BenchDatabase("postgres" if postgres else "sqlite", folder)
    try:
        yield bench.url
    finally:
        bench.drop()


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 / 20,000 rows only")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args(argv)
    rng = random.Random(20261201)
    sizes = ((1_000, 20_000), (20_000,)) if args.quick else ((1_000, 100_000),
                                                             (100_000, 1_000_000))
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; "
          f"python {sys.version.split()[0]}; load average {loadavg()}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        with fresh_database(args.postgres, tmp / "g") as url:
            bench_gazetteer(url, rng)
        for size in sizes[0]:
            with fresh_database(args.postgres, tmp / f"v{size}") as url:
                bench_villages(url, size, tmp, rng, old_runs=30 if size <= 1_000 else 5)
        for size in sizes[1]:
            with fresh_database(args.postgres, tmp / f"a{size}") as url:
                bench_agencies(url, size, tmp, rng, old_runs=3 if size <= 100_000 else 0)
    print(f"load average at the end {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
