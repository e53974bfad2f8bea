"""The `desabot` command line, run in-process as an operator or content author would."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from bot.core.paths import content_dir
from bot.domain.answers.book import SHORT_MAX, AnswerBook
from bot.main import main
from tests.auxil.paths import FIXTURES

REGISTER = FIXTURES / "agencies_fictional.csv"
BOOK = AnswerBook.load(content_dir() / "id" / "answers")

HIGH_RISK = ("LOWONGAN ADMIN ONLINE KAMBOJA gaji 15jt, berangkat pakai visa turis, tiket "
             "ditanggung, paspor dipegang agen selama kontrak. WA 0812-0000-7777")
CAREFUL = "Kerja pabrik Taiwan, gaji NT$28.000. Biaya admin 5jt ditransfer dulu ke agen."
OFFICIAL = ("Lowongan resmi G to G Korea via SISKOP2MI, pendaftaran online, ujian EPS-TOPIK, "
            "biaya ujian USD 28 dibayar via BNI.")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the run, so the NLU model is trained once and cached."""
    return tmp_path_factory.mktemp("cli-data")


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path) -> None:
    monkeypatch.setenv("DESABOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("DESABOT_CONTENT_DIR", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("NLU_BACKEND", "embedded")


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# -- desabot ask -------------------------------------------------------------------------------
def test_ask_one_question_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "gimana cara bikin paspor", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    reply = json.loads(out)
    assert reply["intent"] == "passport_info"
    assert reply["text"].startswith(BOOK["passport_info"].text.short[:40])
    assert "Sumber:" in reply["text"]
    labels = [b["label"] for row in reply["buttons"] for b in row]
    assert labels[0] == "Selengkapnya" and labels[-1] == "Menu"
    assert all(b["data"] for row in reply["buttons"] for b in row)
    assert reply["sources"]
    assert all(s["publisher"] and s["url"].startswith("https://") for s in reply["sources"])


def test_ask_reads_one_question_per_stdin_line(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    questions = ["gimana cara bikin paspor", "", "syarat jd tki apa aja min",
                 "nomor hotline bp2mi brp", "jual pulsa murah kak"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--json"]) == 0
    replies = _json_lines(capsys.readouterr().out)
    assert [r["intent"] for r in replies] == ["passport_info", "pmi_requirements",
                                              "contact_info", "out_of_scope"]
    assert all(r["text"] and r["buttons"] for r in replies)
    assert replies[-1]["sources"] == []


def test_ask_without_json_prints_text_and_numbered_buttons(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "gimana cara bikin paspor"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(BOOK["passport_info"].text.short[:40])
    assert "[1] Selengkapnya" in out


# -- desabot offer assess ----------------------------------------------------------------------
def test_offer_assess_one_json_line_per_offer(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{HIGH_RISK}\n\n{CAREFUL}\n{OFFICIAL}\n"))
    assert main(["offer", "assess"]) == 0
    results = _json_lines(capsys.readouterr().out)
    assert len(results) == 3
    for result in results:
        assert set(result) == {"risk", "flags", "summary"}
        assert result["risk"] in {"high", "medium", "low"} and result["summary"]
    high, careful, official = results
    assert high["risk"] == "high"
    assert {"tourist_visa", "passport_handover", "no_placement_agreement_country"} <= set(
        high["flags"])
    assert careful["risk"] in {"high", "medium"} and careful["flags"]
    assert official["risk"] == "low"


# -- desabot agencies --------------------------------------------------------------------------
def test_agencies_import_then_reimport_reports_the_changes(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["agencies", "import", str(REGISTER)]) == 0
    out = capsys.readouterr().out
    assert "imported 4 agencies: 4 added, 0 removed, 0 changed" in out
    assert "  added: PT Contoh Sejahtera Mandiri (FIKTIF)" in out

    lines = REGISTER.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    changed = [rows[0].replace(",aktif", ",dicabut"), *rows[1:3],
               "PT Tambahan Baru Sentosa (FIKTIF),FIKTIF/005/2025,2031-01-01,Bali,"
               "Jl. Fiktif No. 5 Denpasar,aktif"]
    second = tmp_path / "agencies_changed.csv"
    second.write_text("\n".join([header, *changed]) + "\n", encoding="utf-8")
    assert main(["agencies", "import", str(second)]) == 0
    out = capsys.readouterr().out
    assert "imported 4 agencies: 1 added, 1 removed, 1 changed" in out
    assert "  added: PT Tambahan Baru Sentosa (FIKTIF)" in out
    assert "  removed: PT Percontohan Migran Jaya (FIKTIF)" in out
    assert "  changed: PT Contoh Sejahtera Mandiri (FIKTIF)" in out

    assert main(["agencies", "check", "PT Contoh Sejahtera Mandiri (FIKTIF)"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["verdict"] == "revoked" and found["licence_number"] == "FIKTIF/001/2024"


def test_agencies_import_of_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    assert main(["agencies", "import", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("desabot: cannot read") and "Traceback" not in err


# -- desabot content check / i18n check --------------------------------------------------------
def test_content_check_passes_on_the_real_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert f"answers: {len(BOOK.answers)} intents" in out
    assert out.strip().splitlines()[-1] == "content ok"


def test_content_check_names_the_file_with_a_too_long_answer(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(content_dir(), copy)
    broken = copy / "id" / "answers" / "passport_info.yml"
    text = broken.read_text(encoding="utf-8")
    long_short = ("Kalimat yang terlalu panjang untuk layar pertama. " * 20)[:899] + "."
    assert len(long_short) == 900 > SHORT_MAX
    text, count = re.subn(r"(?ms)^short: \|-\n.*?(?=^full:)",
                          lambda _m: f"short: |-\n  {long_short}\n", text)
    assert count == 1
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DESABOT_CONTENT_DIR", str(copy))

    assert main(["content", "check"]) == 2
    captured = capsys.readouterr()
    assert "content ok" not in captured.out
    err = captured.err.strip()
    assert err.startswith("desabot: content error: ")
    assert re.search(re.escape(str(broken)) + r":\d+: ", err), err
    assert "short is 900 characters" in err and "Traceback" not in err


def test_content_check_fails_on_a_planted_unsourced_number(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """A fee typed into an answer instead of taken from the fact registry is refused."""
    copy = tmp_path / "content"
    shutil.copytree(content_dir(), copy)
    broken = copy / "id" / "answers" / "passport_info.yml"
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("short: |")) + 1
    lines.insert(at, "  Biaya paspor sekarang Rp400.000 saja.\n")
    broken.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("DESABOT_CONTENT_DIR", str(copy))

    assert main(["content", "check"]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:{at + 1}: short: 'Rp400.000' has no fact behind it" in err, err


def test_i18n_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "check"]) == 0
    assert "catalogs ok" in capsys.readouterr().out
