"""The Rasa training data and the held-out split keep the NLU contract (nlu/README.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from nlu.intents import ENTITIES, INTENTS
from nlu.training import strip_annotations

NLU_DIR = Path(__file__).resolve().parents[2] / "nlu"
DATA_FILES = sorted((NLU_DIR / "data").glob("*.yml"))
TEST_SPLIT = NLU_DIR / "tests" / "test_data.yml"
FRESH = NLU_DIR.parent / "tests" / "fixtures" / "nlu_fresh.yml"  # issue 15's held-out messages
SEALED = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed.yml"  # written after its changes
SEALED2 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed2.yml"  # nlu3, before its changes
DEV4 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_dev4.yml"  # brief nlu, before its changes
SEALED3 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed3.yml"  # brief heldout, run once
SEALED4 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed4.yml"  # fourth session, run once
DEV5 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_dev5.yml"  # fifth session, before its changes
SEALED5 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed5.yml"  # fifth session, run once
SEALED6 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed6.yml"  # sixth session, run once
DEV9 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_dev9.yml"  # brief nlu, before its changes
SEALED8 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed8.yml"  # ninth session, run twice
SEALED9 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_sealed9.yml"  # tenth session, run twice
DEV10 = NLU_DIR.parent / "tests" / "fixtures" / "nlu_dev10.yml"  # tenth session, unread
MIN_TRAIN, MIN_TEST, MIN_TEST_OUT_OF_SCOPE = 40, 12, 40
COUNTRIES = {
    "Kamboja", "Myanmar", "Laos", "Thailand", "Filipina", "Vietnam", "Malaysia", "Singapura",
    "Brunei", "Taiwan", "Hong Kong", "Korea Selatan", "Jepang", "Arab Saudi",
    "Uni Emirat Arab", "Qatar", "Jerman", "Australia", "Turki", "Polandia",
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _examples(paths: list[Path]) -> list[tuple[str, str, tuple]]:
    """(intent, annotated line, entities) of every intent example in `paths`."""
    rows = []
    for path in paths:
        for block in _load(path).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line:
                    assert line.startswith("- "), f"{path.name}: {line!r}"
                    text, entities = strip_annotations(line[2:])
                    rows.append((block["intent"], text, entities))
    return rows


def _key(text: str) -> str:
    return " ".join(text.lower().split())


TRAIN = _examples(DATA_FILES)
TEST = _examples([TEST_SPLIT])
FRESH_ROWS = _examples([FRESH])
SEALED_ROWS = _examples([SEALED])
SEALED2_ROWS = _examples([SEALED2])
DEV4_ROWS = _examples([DEV4])
SEALED3_ROWS = _examples([SEALED3])
SEALED4_ROWS = _examples([SEALED4])
DEV5_ROWS = _examples([DEV5])
SEALED5_ROWS = _examples([SEALED5])
SEALED6_ROWS = _examples([SEALED6])
DEV9_ROWS = _examples([DEV9])
SEALED8_ROWS = _examples([SEALED8])
SEALED9_ROWS = _examples([SEALED9])
DEV10_ROWS = _examples([DEV10])


@pytest.mark.parametrize("path", [*DATA_FILES, TEST_SPLIT], ids=lambda p: p.name)
def test_files_are_rasa_3_1(path: Path) -> None:
    data = _load(path)
    assert data["version"] == "3.1"
    assert isinstance(data["nlu"], list) and data["nlu"]


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_enough_training_examples(intent: str) -> None:
    assert Counter(i for i, _, _ in TRAIN)[intent] >= MIN_TRAIN


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_is_in_the_held_out_split(intent: str) -> None:
    floor = MIN_TEST_OUT_OF_SCOPE if intent == "out_of_scope" else MIN_TEST
    assert Counter(i for i, _, _ in TEST)[intent] >= floor


@pytest.mark.parametrize(("rows", "name"),
                         [(TRAIN, "training"), (TEST, "test"), (FRESH_ROWS, "fresh"),
                          (DEV4_ROWS, "dev4"), (SEALED3_ROWS, "sealed3"),
                          (SEALED4_ROWS, "sealed4"), (DEV5_ROWS, "dev5"),
                          (SEALED5_ROWS, "sealed5"), (SEALED6_ROWS, "sealed6"),
                          (DEV9_ROWS, "dev9"), (SEALED8_ROWS, "sealed8"),
                          (SEALED9_ROWS, "sealed9"), (DEV10_ROWS, "dev10")])
def test_only_contract_intents_and_entities(rows: list, name: str) -> None:
    assert {i for i, _, _ in rows} <= set(INTENTS), name
    assert {e for _, _, ents in rows for e, _, _ in ents} <= set(ENTITIES), name


@pytest.mark.parametrize(("rows", "name"),
                         [(TRAIN, "training"), (TEST, "test"), (FRESH_ROWS, "fresh"),
                          (DEV4_ROWS, "dev4"), (SEALED4_ROWS, "sealed4"),
                          (DEV5_ROWS, "dev5"), (SEALED5_ROWS, "sealed5"),
                          (SEALED6_ROWS, "sealed6"), (DEV9_ROWS, "dev9"),
                          (SEALED8_ROWS, "sealed8"), (SEALED9_ROWS, "sealed9"),
                          (DEV10_ROWS, "dev10")])
def test_no_duplicate_examples(rows: list, name: str) -> None:
    counts = Counter(_key(text) for _, text, _ in rows)
    assert [t for t, n in counts.items() if n > 1] == [], name


@pytest.mark.parametrize("rows", [TEST, FRESH_ROWS, SEALED_ROWS, SEALED2_ROWS, DEV4_ROWS,
                                  SEALED3_ROWS, SEALED4_ROWS, DEV5_ROWS, SEALED5_ROWS,
                                  SEALED6_ROWS, DEV9_ROWS, SEALED8_ROWS, SEALED9_ROWS,
                                  DEV10_ROWS],
                         ids=["test split", "fresh set", "sealed set", "second sealed set",
                              "dev4 set", "third sealed set", "fourth sealed set", "dev5 set",
                              "fifth sealed set", "sixth sealed set", "dev9 set", "sealed8 set",
                              "sealed9 set", "dev10 set"])
def test_held_out_split_never_appears_in_training(rows: list) -> None:
    training = {_key(text) for _, text, _ in TRAIN}
    assert [text for _, text, _ in rows if _key(text) in training] == []


def test_the_held_out_sets_do_not_overlap() -> None:
    split = {_key(text) for _, text, _ in TEST}
    fresh = {_key(text) for _, text, _ in FRESH_ROWS}
    assert [text for _, text, _ in FRESH_ROWS if _key(text) in split] == []
    sealed = {_key(text) for _, text, _ in SEALED_ROWS}
    assert [text for _, text, _ in SEALED_ROWS if _key(text) in split | fresh] == []
    assert [text for _, text, _ in SEALED2_ROWS if _key(text) in split | fresh | sealed] == []
    sealed2 = {_key(text) for _, text, _ in SEALED2_ROWS}
    earlier = split | fresh | sealed | sealed2
    assert [text for _, text, _ in DEV4_ROWS if _key(text) in earlier] == []
    later = earlier | {_key(text) for _, text, _ in DEV4_ROWS + SEALED3_ROWS + SEALED4_ROWS}
    assert [text for _, text, _ in DEV5_ROWS if _key(text) in later] == []
    # dev9 against every set but the unread sealed6 (which a failure here would print)
    later |= {_key(text) for _, text, _ in DEV5_ROWS + SEALED5_ROWS}
    assert [text for _, text, _ in DEV9_ROWS if _key(text) in later] == []


def test_country_synonyms_are_canonical() -> None:
    synonyms: dict[str, str] = {}
    for path in DATA_FILES:
        for block in _load(path)["nlu"]:
            if "synonym" in block:
                assert block["synonym"] in COUNTRIES
                for line in block["examples"].splitlines():
                    if line.strip():
                        surface = line.strip()[2:].lower()
                        assert synonyms.setdefault(surface, block["synonym"]) == block["synonym"]
    annotated = {surface.lower() for _, _, ents in TRAIN + TEST
                 for entity, surface, _ in ents if entity == "country"}
    assert sorted(annotated - synonyms.keys()) == []


def test_domain_lists_the_contract() -> None:
    domain = _load(NLU_DIR / "domain.yml")
    assert domain["version"] == "3.1"
    assert domain["intents"] == list(INTENTS)
    assert domain["entities"] == list(ENTITIES)
