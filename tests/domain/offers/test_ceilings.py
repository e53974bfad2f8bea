"""Pay ceilings come from wage facts: every currency has a rate, a wage changed in the fact
registry moves its ceiling, and a ceiling on a missing or replaced fact fails loudly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.prose import check_tree
from bot.domain.offers.assessment import assess, load_rules
from bot.domain.offers.ceilings import wage
from nlu.amounts import find_amounts, load_rates

RED_FLAGS = content_dir() / "id" / "offers" / "red_flags.yml"


def _params() -> dict:
    data = yaml.safe_load(RED_FLAGS.read_text(encoding="utf-8"))
    flag = next(f for f in data["flags"] if f["name"] == "pay_too_high_for_job")
    alternative = next(a for a in flag["patterns"] if a.get("check") == "pay_above_typical")
    return alternative["params"]


def test_every_ceiling_rests_on_a_current_wage_fact_in_a_currency_with_a_rate() -> None:
    params, rates = _params(), load_rates()
    registry = FactRegistry.load(content_dir() / "id" / "facts")
    entries = [params["default"], *params["by_destination"].values()]
    assert len(entries) >= 6
    for entry in entries:
        money = wage(registry, entry["fact"])  # raises for an unknown or replaced fact
        assert money.currency in rates, entry


@pytest.mark.parametrize(("text", "currency"), [
    ("gaji AED 3.000", "AED"), ("gaji QAR 2.500", "QAR"), ("gaji KWD 300", "KWD"),
    ("gaji BND 700", "BND"), ("gaji EUR 2.800", "EUR"), ("gaji € 2.800", "EUR"),
    ("gaji AUD 4.000", "AUD"), ("gaji 4.000 zloty", "PLN"), ("gaji 30.000 peso", "PHP"),
    ("gaji 1000 USDT", "USD"), ("gaji 200.000 yen", "JPY"), ("gaji 2.000 riyal qatar", "QAR"),
])
def test_every_currency_an_offer_pays_in_is_read_and_has_a_rate(text: str, currency: str) -> None:
    money = find_amounts(text)
    assert [m.currency for m in money] == [currency]
    assert currency in load_rates()


@pytest.mark.parametrize(("text", "flagged"), [
    ("Kerja pabrik Taiwan, gaji NT$34.000 termasuk lembur", False),  # the audit's false alarm
    ("Kerja pabrik Taiwan, gaji NT$80.000", True),
    ("Kerja kilang Malaysia, gaji RM1.900 sebulan", False),
    ("Kerja kilang Malaysia, gaji RM5.000 sebulan", True),
    ("PRT Hong Kong gaji HK$5.100", False),
    ("Kerja di luar negeri gaji 9 juta", True),  # the police's bait figure
    ("Perawat ke Jerman, gaji EUR 3.000", False),  # no sourced wage: not judged
])
def test_pay_is_compared_with_the_destinations_ceiling(text: str, flagged: bool) -> None:
    assert ("pay_too_high_for_job" in {f.name for f in assess(text).flags}) is flagged


def test_every_text_a_villager_reads_has_its_facts_filled_in() -> None:
    rules = load_rules()
    texts = [*(f.explain for f in rules.flags), *(f.label for f in rules.flags),
             *rules.summary.values(), *(step for steps in rules.advice.values() for step in steps)]
    assert [t for t in texts if "{fakta:" in t] == []
    assert any("110" in step for step in rules.advice["high"])


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def test_changing_a_wage_fact_moves_the_ceiling(tmp_path: Path) -> None:
    target = _copy_content(tmp_path)
    wages = target / "id" / "facts" / "wages.yml"
    text = wages.read_text(encoding="utf-8")
    assert 'value: "NT$34.900"' in text
    wages.write_text(text.replace('value: "NT$34.900"', 'value: "NT$70.000"'), encoding="utf-8")
    text = "Kerja pabrik Taiwan, gaji NT$80.000"
    assert "pay_too_high_for_job" in {f.name for f in assess(text).flags}
    path = target / "id" / "offers" / "red_flags.yml"
    assert "pay_too_high_for_job" not in {f.name for f in assess(text, rules_path=path).flags}


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("{fact: wage_tw_industry,", "{fact: wage_tw_nowhere,", "unknown fact"),
    ("{fact: wage_hk_maw,", "{fact: wage_hk_maw_2024,", "replaced"),
    ('value: "NT$34.900"', 'value: "34.900 kepeng"', "not one amount"),
])
def test_a_ceiling_on_a_missing_fact_or_an_unreadable_wage_fails(tmp_path: Path, old: str,
                                                                 new: str, problem: str) -> None:
    target = _copy_content(tmp_path)
    broken = target / "id" / "offers" / "red_flags.yml"
    changed = 0
    for path in (broken, target / "id" / "facts" / "wages.yml"):
        text = path.read_text(encoding="utf-8")
        changed += old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert changed == 1
    with pytest.raises(ValueError, match=problem) as error:
        load_rules(broken)
    assert "pay_too_high_for_job" in str(error.value)


def test_the_content_check_refuses_an_unsourced_number_in_a_red_flag(tmp_path: Path) -> None:
    target = _copy_content(tmp_path)
    registry = FactRegistry.load(target / "id" / "facts")
    assert [f for f in check_tree(target / "id", registry) if "offers" in f.where] == []
    rules_file = target / "id" / "offers" / "red_flags.yml"
    text = rules_file.read_text(encoding="utf-8")
    planted = text.replace("Korban di Kamboja diminta membayar puluhan juta rupiah",
                           "Korban di Kamboja diminta membayar Rp70 juta", 1)
    assert planted != text
    rules_file.write_text(planted, encoding="utf-8")
    findings = [str(f) for f in check_tree(target / "id", registry)]
    assert any("red_flags.yml" in f and "Rp70" in f for f in findings), findings


def test_a_pay_verdict_names_the_wage_fact_and_its_source() -> None:
    from bot.core.i18n import set_locale
    from bot.domain.offers.answers import offer_reply

    set_locale("id")
    registry = FactRegistry.load(content_dir() / "id" / "facts")
    fact = registry["wage_tw_industry"]
    reply = offer_reply(assess("Lowongan pabrik di Taiwan gaji NT$80.000 per bulan, tanpa "
                               "pengalaman, langsung berangkat"))
    line = next(x for x in reply.text.splitlines() if fact.value in x)
    assert "Pembanding" in line and fact.source.publisher in line and "± Rp" in line
    assert reply.sources[0].url == fact.source.url
