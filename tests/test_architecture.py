"""The dependency rules of the layout (README, "Architecture"), checked on every import.

Every `import` and `from ... import` in the source tree is read with `ast`, including the ones
inside functions and under `TYPE_CHECKING`, so a lazy import cannot slip past the rules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.core.paths import ROOT

PACKAGES = ("bot", "nlu", "scheduler")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def all_modules() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path)
            for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            if "migrations" not in path.parts}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def face_of(name: str) -> str | None:
    parts = name.split(".")
    return ".".join(parts[:3]) if within(name, "bot.faces") and len(parts) >= 3 else None


def violations(modules: dict[str, set[str]]) -> list[str]:
    """Each broken rule as 'module imports target: rule'."""
    found = []
    for module, targets in modules.items():
        for target in targets:
            rule = broken_rule(module, target)
            if rule:
                found.append(f"{module} imports {target}: {rule}")
    return sorted(found)


def broken_rule(module: str, target: str) -> str | None:
    in_domain = within(module, "bot.domain") or within(module, "scheduler")
    if in_domain and (within(target, "telegram") or within(target, "bot.faces")
                      or target == "bot.main"):
        return "the domain imports nothing from telegram or a face"
    face = face_of(module)
    if face and (target == "bot.main" or (within(target, "bot.faces") and face_of(target)
                                           and face_of(target) != face)):
        return "faces never import each other"
    if within(module, "bot.emulator") and within(target, "bot") and not within(target,
                                                                                "bot.emulator"):
        return "the emulator imports nothing of the bot"
    if within(module, "nlu") and within(target, "bot"):
        return "nlu imports nothing of the bot"
    if within(module, "bot.core") and (within(target, "bot.domain") or within(target, "bot.faces")
                                       or within(target, "telegram") or target == "bot.main"):
        return "plumbing and storage import no domain or face module"
    return None


def test_the_tree_keeps_the_dependency_rules():
    modules = all_modules()
    assert len(modules) > 80, "the source tree was not found"
    assert violations(modules) == []


@pytest.mark.parametrize(("module", "target"), [
    ("bot.domain.tips.triage", "telegram"),
    ("bot.domain.offers.assessment", "bot.faces.telegram.handlers.render"),
    ("scheduler.ticker", "telegram.ext"),
    ("bot.faces.cli.doctor", "bot.faces.telegram.app"),
    ("bot.faces.telegram.handlers.triage", "bot.faces.web"),
    ("bot.faces.web.pages", "bot.main"),
    ("bot.emulator.methods", "bot.core.i18n"),
    ("nlu.embedded", "bot.core.paths"),
    ("bot.core.storage.models", "bot.domain.tips.submission"),
    ("bot.core.config", "bot.faces.telegram.app"),
])
def test_one_forbidden_import_is_caught(module, target):
    modules = all_modules()
    modules.setdefault(module, set()).add(target)
    assert violations(modules) == [f"{module} imports {target}: {broken_rule(module, target)}"]


@pytest.mark.parametrize(("module", "target"), [
    ("bot.faces.telegram.handlers.triage", "bot.domain.tips.triage"),
    ("bot.faces.telegram.handlers.chat", "bot.faces.telegram.handlers.render"),
    ("bot.main", "bot.faces.telegram.runner"),
    ("bot.domain.answers.retrieval", "nlu.scoring"),
    ("bot.core.storage.session", "bot.core.config"),
])
def test_allowed_imports_pass(module, target):
    assert broken_rule(module, target) is None
