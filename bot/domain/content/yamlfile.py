"""YAML loading that remembers where each mapping starts, for error messages with lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ContentError(Exception):
    """A content file is broken; the message names the file and the line."""


class Located(dict):
    """A mapping that knows the line it starts on in its file, and where each value starts."""

    line: int = 0
    value_lines: dict[str, int] = {}  # noqa: RUF012 - replaced per instance by the loader
    item_lines: dict[str, list[int]] = {}  # noqa: RUF012 - the lines of a list's items

    def line_of(self, key: str, text: str = "", offset: int = 0) -> int:
        """The line of `key`'s value, or of `offset` within that (string) value."""
        first = self.value_lines.get(key, 0)
        if not first:
            return self.line
        return first + text[:offset].count("\n")


# libyaml's parser (PyYAML's wheels include it) reads the content six times faster than the
# pure-Python one and gives the same nodes and marks; start-up reads every file (check_all).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    located = Located(loader.construct_mapping(node, deep=True))
    located.line = node.start_mark.line + 1
    located.value_lines = {
        str(key.value): value.start_mark.line + 1 + (value.style in ("|", ">"))
        for key, value in node.value if isinstance(value, yaml.ScalarNode)
    }
    located.item_lines = {
        str(key.value): [item.start_mark.line + 1 + (getattr(item, "style", None) in ("|", ">"))
                         for item in value.value]
        for key, value in node.value if isinstance(value, yaml.SequenceNode)
    }
    return located


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(path: Path) -> Any:
    """Load one YAML file; a syntax error becomes a ContentError with file and line."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise ContentError(f"{path}:{line}: {exc.problem}") from None
    except OSError as exc:
        raise ContentError(f"{path}: {exc.strerror}") from None


def where(path: Path, node: Any) -> str:
    """`file:line` for a loaded mapping (or just the file)."""
    line = getattr(node, "line", 0)
    return f"{path}:{line}" if line else str(path)


def key_line(node: Any, key: str) -> int:
    """The line where `key`'s value starts in a loaded mapping (0 when unknown)."""
    return node.line_of(key) if isinstance(node, Located) else 0
