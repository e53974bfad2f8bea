"""Hotlines in interface strings come from the fact registry, never typed into a catalog."""

from __future__ import annotations

from pathlib import Path

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.numbers import emergency_numbers, hardcoded_contacts

FACTS = content_dir() / "id" / "facts"
CATALOG = content_dir() / "id" / "LC_MESSAGES" / "desabot.po"


def test_no_catalog_string_spells_out_a_contact_number() -> None:
    assert hardcoded_contacts(CATALOG, FactRegistry.load(FACTS)) == []


def test_a_hotline_typed_into_a_catalog_string_is_named_with_its_line(tmp_path: Path) -> None:
    planted = tmp_path / "desabot.po"
    planted.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "Call {police} now."\nmsgstr "Telepon {police} sekarang."\n\n'
                       'msgid "Call the police."\nmsgstr "Telepon polisi di 110 atau '
                       '0-800-1000."\n', encoding="utf-8")
    problems = hardcoded_contacts(planted, FactRegistry.load(FACTS))
    assert len(problems) == 2
    assert all(p.startswith(f"{planted}:8:") for p in problems)
    assert any("kanal.polisi" in p for p in problems)


def test_the_emergency_numbers_are_the_registry_values() -> None:
    registry = FactRegistry.load(FACTS)
    assert emergency_numbers() == {"police": registry["kanal.polisi"].value,
                                   "kp2mi": registry["kanal.kp2mi_call_center"].value}
