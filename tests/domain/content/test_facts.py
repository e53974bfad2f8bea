"""The fact registry: content states a fact by id, with the fact's source, or not at all."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.domain.answers.book import AnswerBook
from bot.domain.content.facts import FactRegistry
from bot.domain.content.prose import check_file, require_backed, unbacked
from bot.domain.content.yamlfile import ContentError

SOURCE = """
      source:
        publisher: Kompas TV
        title: Pemerintah rilis tarif paspor terbaru
        url: https://kompas.tv/nasional/548302/pemerintah-rilis-tarif-paspor-terbaru-ini-rinciannya
        date: t.t."""


def _facts(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "facts"
    folder.mkdir(exist_ok=True)
    (folder / "paspor.yml").write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def _fee_facts(tmp_path: Path, extra: str = "") -> FactRegistry:
    return FactRegistry.load(_facts(tmp_path, f"""
    facts:
    - id: paspor.biaya.elektronik_10_tahun
      value: Rp950.000
      statement: Paspor elektronik 10 tahun Rp950.000 (PP 45/2024).{SOURCE}
    - id: paspor.biaya.elektronik_2023
      value: Rp655.000
      statement: Tarif lama paspor elektronik 48 halaman.
      replaced_by: paspor.biaya.elektronik_10_tahun{SOURCE}
    {extra}"""))


def test_render_gives_the_value_and_the_fact(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path)
    rendered = registry.render("Biaya paspor elektronik {fakta:paspor.biaya.elektronik_10_tahun}.",
                               "here")
    assert rendered.text == "Biaya paspor elektronik Rp950.000."
    assert [f.source.publisher for f in rendered.facts] == ["Kompas TV"]


def test_a_replaced_fact_cannot_be_used(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path)
    with pytest.raises(ContentError, match=r"replaced by 'paspor.biaya.elektronik_10_tahun'"):
        registry.render("Dulu {fakta:paspor.biaya.elektronik_2023}.", "answers/x.yml:3")


def test_an_unknown_fact_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"unknown fact 'paspor.biaya.tidak_ada'"):
        _fee_facts(tmp_path).render("{fakta:paspor.biaya.tidak_ada}", "x")


def test_a_fact_without_its_source_does_not_load(tmp_path: Path) -> None:
    folder = _facts(tmp_path, """
    facts:
    - id: kontak.polri
      value: "110"
      statement: Polri Contact Center 110, gratis dan 24 jam.
    """)
    with pytest.raises(ContentError, match=r"paspor.yml:3: fact 'kontak.polri' lacks its source"):
        FactRegistry.load(folder)


def test_the_questions_villagers_ask_for_a_fact_become_its_answer_variants(
        tmp_path: Path) -> None:
    from bot.domain.answers.factentries import fact_entries

    registry = FactRegistry.load(_facts(tmp_path, f"""
    facts:
    - id: paspor.biaya.contoh_uji
      value: Rp950.000
      statement: Paspor elektronik 10 tahun Rp950.000 (PP 45/2024).{SOURCE}
      asked:
      - brp ongkos bikin paspor chip yg 10 thn
      - harga e-paspor skrg
    """))
    book = AnswerBook.load(Path(__file__).parents[3] / "content" / "id" / "answers")
    entries = fact_entries(registry, book.answers)
    (entry,) = entries.values()
    assert "harga e-paspor skrg" in entry.questions
    assert "brp ongkos bikin paspor chip yg 10 thn" in entry.questions


def test_a_written_entry_is_reached_by_the_questions_of_the_fact_it_answers() -> None:
    from dataclasses import replace

    content = Path(__file__).parents[3] / "content" / "id"
    registry = FactRegistry.load(content / "facts")
    book = AnswerBook.load(content / "answers", registry)
    entry = next(e for a in book.answers.values() for e in a.entries.values() if e.primary)
    fact = registry[entry.primary[0]]
    question = "pertanyaan contoh dari warga yang belum ada di mana pun"
    registry.facts[fact.id] = replace(fact, asked=(question,))
    again = AnswerBook.load(content / "answers", registry)
    assert question in again.entry(entry.intent, entry.id).questions
    assert question not in entry.questions


def test_no_two_facts_of_the_registry_are_asked_for_the_same_way() -> None:
    # one question leading to two facts' entries lets the wrong figure answer it
    registry = FactRegistry.load(Path(__file__).parents[3] / "content" / "id" / "facts")
    seen: dict[str, str] = {}
    twice = []
    for fact in registry.facts.values():
        for question in fact.asked:
            key = " ".join(question.lower().split())
            if seen.setdefault(key, fact.id) != fact.id:
                twice.append(f"{question!r}: {seen[key]} and {fact.id}")
    assert not twice


@pytest.mark.parametrize("asked", ["asked: satu pertanyaan saja",
                                   "asked:\n      - '" + "x" * 201 + "'"])
def test_asked_must_be_a_list_of_short_questions(tmp_path: Path, asked: str) -> None:
    folder = _facts(tmp_path, f"""
    facts:
    - id: paspor.biaya.elektronik_10_tahun
      value: Rp950.000
      statement: Paspor elektronik 10 tahun Rp950.000 (PP 45/2024).{SOURCE}
      {asked}
    """)
    with pytest.raises(ContentError, match=r"paspor.yml:3: fact 'paspor.biaya.elektronik_10_tahun'"
                                           r": (asked must be a list|a question in asked)"):
        FactRegistry.load(folder)


def test_a_fact_defined_twice_names_both_places(tmp_path: Path) -> None:
    twice = f"""
    - id: paspor.biaya.elektronik_10_tahun
      value: Rp950.000
      statement: Lagi.{SOURCE}"""
    with pytest.raises(ContentError, match=r"already defined in .*paspor.yml:3"):
        _fee_facts(tmp_path, twice)


@pytest.mark.parametrize("text", [
    "Biaya paspor sekarang Rp400.000.",
    "Hubungi 0811-2222-333 kapan saja.",
    "Menurut Pasal 99 semua boleh.",
    "Lihat www.contoh-lowongan.com untuk daftar.",
    "Sudah 12.500 orang dipulangkan.",
])
def test_a_number_phone_article_or_url_without_a_fact_is_found(text: str) -> None:
    assert unbacked(text)


@pytest.mark.parametrize("text", [
    "Biaya {fakta:paspor.biaya.elektronik_10_tahun}.",
    "Langkahnya:\n1. daftar di LTSA\n2. ikut OPP di BP3MI",
    "Cek perusahaan P3MI di SISKOP2MI atau tanya KP2MI.",
])
def test_fact_references_list_numbers_and_acronyms_are_not_findings(text: str) -> None:
    assert unbacked(text) == []


def test_check_file_names_the_line_of_a_planted_number(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path)
    path = tmp_path / "answer.yml"
    path.write_text(textwrap.dedent("""\
    intent: passport_info
    short: |-
      Paspor elektronik: {fakta:paspor.biaya.elektronik_10_tahun}.
      Paspor biasa: Rp300.000.
    """), encoding="utf-8")
    [finding] = check_file(path, registry)
    assert str(finding).startswith(f"{path}:4: short: 'Rp300.000' has no fact behind it")


def test_a_structured_field_must_name_a_current_fact(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path)
    path = tmp_path / "flags.yml"
    path.write_text("ceilings:\n  - country: Taiwan\n    fact: paspor.biaya.elektronik_2023\n",
                    encoding="utf-8")
    [finding] = check_file(path, registry)
    assert str(finding).startswith(f"{path}:2: ") and "replaced by" in str(finding)


def test_an_expired_fact_in_use_fails_the_check(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path, f"""
    - id: korea.eps.biaya_ujian
      value: USD 28
      statement: Biaya ujian EPS-TOPIK 2025.
      valid_until: "2025-12-31"{SOURCE}""")
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "eps.yml").write_text("text: Ujian {fakta:korea.eps.biaya_ujian}.\n",
                                     encoding="utf-8")
    assert require_backed(tmp_path, registry, date(2025, 6, 1)) == 1
    with pytest.raises(ContentError, match=r"'korea.eps.biaya_ujian' expired on 2025-12-31"):
        require_backed(tmp_path, registry, date(2026, 12, 1))


def test_an_answer_names_the_source_of_the_fact_it_states(tmp_path: Path) -> None:
    real = Path(__file__).parents[3] / "content" / "id"
    shutil.copytree(real / "answers", tmp_path / "answers")
    shutil.copytree(real / "facts", tmp_path / "facts")
    (tmp_path / "facts" / "uji.yml").write_text(textwrap.dedent(f"""
    facts:
    - id: uji.paspor_elektronik
      value: Rp950.000
      statement: Paspor elektronik 10 tahun Rp950.000 (PP 45/2024).{SOURCE}
    """), encoding="utf-8")
    path = tmp_path / "answers" / "passport_info.yml"
    planted = "  Paspor elektronik 10 tahun {fakta:uji.paspor_elektronik}.\n"
    text = path.read_text(encoding="utf-8").replace("short: |-\n", "short: |-\n" + planted, 1)
    path.write_text(text, encoding="utf-8")
    variant = AnswerBook.load(tmp_path / "answers")["passport_info"].text
    assert "Paspor elektronik 10 tahun Rp950.000." in variant.short
    assert variant.short_sources[0].publisher == "Kompas TV"
    assert variant.facts[0] == "uji.paspor_elektronik"


@pytest.mark.parametrize(("relative", "line"), [
    ("answers/passport_info.yml", 85),  # an entry's full text, deep in the file
    ("lessons/paspor.yml", 14),
    ("quizzes/biaya-visa.yml", 24),  # a quiz explanation
])
def test_a_broken_reference_is_named_with_the_line_it_is_on(tmp_path: Path, relative: str,
                                                             line: int) -> None:
    from bot.core.paths import content_dir
    from bot.domain.programme.library import Library

    root = tmp_path / "id"
    for folder in ("answers", "lessons", "quizzes", "facts"):
        shutil.copytree(content_dir() / "id" / folder, root / folder)
    path = root / relative
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert "{fakta:" in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace("{fakta:", "{fakta:tidak.ada_", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        if relative.startswith("answers"):
            AnswerBook.load(root / "answers")
        else:
            Library.load(root)
    assert str(raised.value).startswith(f"{path}:{line}: "), str(raised.value)
    with pytest.raises(ContentError) as checked:
        require_backed(root, FactRegistry.load(root / "facts"), date(2026, 12, 1))
    assert str(checked.value).startswith(f"{path}:{line}: "), str(checked.value)


@pytest.mark.parametrize("fact_id", ["statistik.30", "negara.2025_2", "hak.11"])
def test_an_id_made_of_the_value_alone_is_refused(tmp_path: Path, fact_id: str) -> None:
    with pytest.raises(ContentError, match="names a value"):
        _fee_facts(tmp_path, f"""- id: {fact_id}
      value: "30"
      statement: Tiga puluh.{SOURCE}""")


def test_no_fact_id_in_the_registry_is_a_bare_value() -> None:
    from bot.core.paths import content_dir

    registry = FactRegistry.load(content_dir() / "id" / "facts")
    assert all(not fid.rsplit(".", 1)[-1].replace("_", "").isdigit() for fid in registry.facts)


def test_every_use_of_a_replaced_fact_is_listed_with_its_line(tmp_path: Path) -> None:
    registry = _fee_facts(tmp_path)
    path = tmp_path / "answer.yml"
    path.write_text(textwrap.dedent("""\
    intent: passport_info
    short: |-
      Dulu {fakta:paspor.biaya.elektronik_2023}.
    full: |-
      Baris lain.
      Tarif lama {fakta:paspor.biaya.elektronik_2023}.
    """), encoding="utf-8")
    found = [str(f) for f in check_file(path, registry)]
    assert [f.split(": ")[0] for f in found] == [f"{path}:3", f"{path}:6"]
    assert all("replaced by 'paspor.biaya.elektronik_10_tahun'" in f for f in found)
