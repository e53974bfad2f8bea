"""A local Telegram Bot API server: the bot's tests, console and benchmarks run against it."""

from bot.emulator.emulator import Emulator
from bot.emulator.limits import FloodLimits
from bot.emulator.people import Person

__all__ = ["Emulator", "FloodLimits", "Person"]
