"""Fixtures for the tests that watch the running bot handle odd updates."""

from __future__ import annotations

import pytest

from tests.auxil.harness import Harness
from tests.auxil.watching import Finished


@pytest.fixture
async def finished(harness: Harness) -> Finished:
    """Install the watcher before the test sends anything."""
    return Finished(harness.app)


@pytest.fixture
def no_flood_limits(harness: Harness) -> None:
    """One villager pressing many buttons quickly: 429 waits would only slow the test down."""
    harness.emu.limits.enabled = False
