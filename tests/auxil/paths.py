"""Where the test fixtures live, wherever a test module sits in the tree."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
