"""The Rasa backend: a real Rasa server when CI provides one, and the fallback when it is down."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import pytest

from bot.core.paths import nlu_dir
from nlu.service import Understanding

RASA_URL = os.environ.get("RASA_URL")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-cache")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not RASA_URL and not os.environ.get("DESABOT_REQUIRE_RASA"),
                    reason="needs a Rasa server (RASA_URL); .ci/run starts one")
def test_the_bot_understands_through_a_real_rasa_server(cache: Path) -> None:
    assert RASA_URL, "DESABOT_REQUIRE_RASA is set but RASA_URL is not"
    understanding = Understanding.create(nlu_dir(), cache, "rasa", RASA_URL, rasa_timeout=10)
    try:
        result = understanding.parse("gimana cara bikin paspor buat kerja di malaysia")
        assert understanding.backend == "rasa"
        assert "text_tokens" in result  # only Rasa's answer carries its tokens
        assert result["intent"]["name"] in {"passport_info", "out_of_scope", "legal_route"}
        assert {"text", "intent", "intent_ranking", "entities"} <= set(result)
    finally:
        understanding.close()


def test_a_dead_rasa_server_costs_nothing_but_one_log_line(
        cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    understanding = Understanding.create(nlu_dir(), cache, "rasa", url, rasa_timeout=0.3)
    try:
        with caplog.at_level(logging.WARNING, logger="nlu.service"):
            results = [understanding.parse(text) for text in
                       ("bikin paspor butuh apa", "halo", "kuis dong")]
        assert [r["intent"]["name"] for r in results] == ["passport_info", "greet", "quiz_start"]
        assert understanding.backend == "embedded"
        assert len([r for r in caplog.records if "Rasa unavailable" in r.message]) == 1
    finally:
        understanding.close()
