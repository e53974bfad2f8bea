"""The language rules a machine can check: one form of address, rupiah next to foreign
amounts, no bare English words; every problem named with its file and line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.language import check_catalog, check_language, problems_in

FACTS = content_dir() / "id" / "facts"


@pytest.mark.parametrize(("text", "rule"), [
    ("Kalau kamu ditawari kerja, cek dulu.", "Anda"),
    ("Jangan serahkan pasporMu.", "Anda"),
    ("Simpan paspormu sendiri.", "Anda"),
    ("Gajinya USD 600 per bulan.", "foreign amount"),
    ("Upah minimum RM1.700. Itu sekitar Rp6 juta.", "foreign amount"),  # another sentence
    ("Hubungi hotline KBRI.", "English"),
    ("Ia dipaksa jadi scammer.", "English"),
])
def test_a_broken_rule_is_found(text: str, rule: str) -> None:
    assert any(rule in found for _, found, _ in problems_in(text)), problems_in(text)


@pytest.mark.parametrize("text", [
    "Anda boleh bertanya kapan saja; ilmu ini untuk umum.",
    "Gajinya USD 600 (sekitar Rp9,8 juta) per bulan.",
    "Upah minimum RM1.700 per bulan, kira-kira Rp6 juta.",
    "Biaya ujiannya USD 28 (Rp459.526), dibayar lewat BNI.",
    "Tekan tombol darurat (panic button) di aplikasi Safe Travel.",
    'Iklan itu menulis "dicari customer service, gaji besar".',
])
def test_plain_text_passes(text: str) -> None:
    assert problems_in(text) == []


def test_the_content_and_the_catalog_keep_the_rules() -> None:
    root = content_dir() / "id"
    assert check_language(root, FactRegistry.load(FACTS)) == []
    assert check_catalog(root / "LC_MESSAGES" / "desabot.po") == []


def test_a_planted_problem_is_named_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "id"
    shutil.copytree(FACTS, root / "facts")
    (root / "lessons").mkdir()
    (root / "lessons" / "contoh.yml").write_text(textwrap.dedent("""\
        id: contoh
        title: Contoh
        text: |-
          Baris pertama baik.
          Gaji yang dijanjikan {fakta:pelajaran.kompleks.bavet_gaji_dijanjikan} per bulan.
        tips:
          - Jangan percaya kalau kamu dijanjikan gaji besar.
        """), encoding="utf-8")
    found = [str(p) for p in check_language(root, FactRegistry.load(root / "facts"))]
    path = root / "lessons" / "contoh.yml"
    assert any(f.startswith(f"{path}:5: foreign amount") and "USD 600" in f for f in found)
    assert any(f.startswith(f"{path}:7: address") for f in found), found
