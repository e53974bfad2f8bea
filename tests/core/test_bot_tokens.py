"""BOT_TOKENS: regional bots from the environment, tokens never in an error or a URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.bot_tokens import webhook_path, webhook_secret_for
from bot.core.config import ConfigError, load_settings

SECRET_PART = "AAHsecretTokenPart"


def test_a_single_token_setup_is_one_default_bot() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "111:abc"})
    assert [(b.key, b.token) for b in settings.bots] == [("default", "111:abc")]
    assert load_settings({}).bots == ()  # the console
    assert webhook_path("default") == "/telegram"
    assert webhook_secret_for("s3cret", "default") == "s3cret"


def test_regional_bots_inline_and_from_a_file(tmp_path: Path) -> None:
    inline = load_settings({"TELEGRAM_BOT_TOKEN": "111:abc",
                            "BOT_TOKENS": "jatim=222:def, ntb=333:ghi"})
    assert [b.key for b in inline.bots] == ["default", "jatim", "ntb"]
    listing = tmp_path / "bots.txt"
    listing.write_text("# one bot a line\njatim=222:def\n\nntb = 333:ghi  # BP3MI NTB\n")
    from_file = load_settings({"BOT_TOKENS": str(listing)})
    assert from_file.bot_key == "jatim" and from_file.token == "222:def"  # the first leads
    assert [b.key for b in from_file.bots] == ["jatim", "ntb"]
    assert webhook_path("ntb") == "/telegram/ntb"
    derived = {webhook_secret_for("s3cret", k) for k in ("jatim", "ntb")}
    assert len(derived) == 2 and "s3cret" not in derived


@pytest.mark.parametrize("raw, said", [
    (f"jatim=222:{SECRET_PART},jatim=333:x", "given twice"),
    (f"Jatim Timur=222:{SECRET_PART}", "expected key=token"),
    (f"jatim=notatoken{SECRET_PART}", "does not look like a BotFather token"),
    (f"default=222:{SECRET_PART}", "default bot's"),
    ("/nonexistent/bots.txt", "cannot read the file"),
])
def test_a_bad_entry_is_one_line_without_the_token(raw: str, said: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({"TELEGRAM_BOT_TOKEN": "111:abc", "BOT_TOKENS": raw})
    assert said in str(error.value) and SECRET_PART not in str(error.value)
    assert "\n" not in str(error.value)


def test_tokens_and_derived_secrets_are_masked_in_logs() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "111:abc", "BOT_TOKENS": "ntb=333:ghi",
                              "WEBHOOK_SECRET_TOKEN": "s3cret"})
    assert {"111:abc", "333:ghi", "s3cret", webhook_secret_for("s3cret", "ntb")} <= \
        set(settings.secrets())
    assert "333:ghi" not in repr(settings.regional_bots)
