"""Checks Bot API requests against the published specification.

The emulator answers the bot the way Telegram would, so a request that Telegram would reject
(an unknown method, a missing or unknown field, a value of the wrong type) must be rejected
here too; otherwise the tests would pass on requests that fail in production.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

PRIMITIVES = {"Integer", "Float", "Boolean", "String", "InputFile"}


class BadRequest(Exception):
    """A request Telegram would answer with 400 Bad Request."""

    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


@dataclass(frozen=True)
class Field:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


class ApiSpec:
    """The Bot API methods and types, loaded from the vendored `api.json`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods = {name: self._fields(m) for name, m in data["methods"].items()}
        self.types = {name: self._fields(t) for name, t in data["types"].items()}
        self._canonical = {name.lower(): name for name in self.methods}

    @staticmethod
    def _fields(entry: dict[str, Any]) -> dict[str, Field]:
        return {
            f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]))
            for f in entry.get("fields", [])
        }

    def canonical_method(self, name: str) -> str:
        """Telegram matches method names case-insensitively; unknown names are a 404."""
        try:
            return self._canonical[name.lower()]
        except KeyError:
            raise BadRequest("Not Found", code=404) from None

    def parse(self, method: str, raw: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """Decode the raw form or JSON values of a request and validate them.

        Args:
            method: canonical method name.
            raw: parameter values as sent: strings from a form, or decoded JSON values.
            files: uploaded multipart files by part name (for `attach://` and InputFile).

        Returns:
            The parameters as Python values.
        """
        fields = self.methods[method]
        unknown = sorted(set(raw) - set(fields) - set(files))
        if unknown:
            raise BadRequest(f"Bad Request: unknown parameter {unknown[0]!r} for {method}")
        params: dict[str, Any] = {}
        for name, spec in fields.items():
            if name in raw:
                params[name] = self._decode(raw[name], spec.types, f"{method}.{name}", files)
            elif name in files:
                params[name] = {"attach": name}
            elif spec.required:
                raise BadRequest(f"Bad Request: parameter {name!r} is required for {method}")
        return params

    def _decode(self, value: Any, types: tuple[str, ...], where: str, files: dict) -> Any:
        errors = []
        for type_name in types:
            try:
                return self._as_type(value, type_name, where, files)
            except BadRequest as exc:
                errors.append((self._closeness(value, type_name), exc.description))
        return _raise_closest(errors)

    def _closeness(self, value: Any, type_name: str) -> int:
        """How well a value fits a type it failed: the error of the best fit is reported."""
        fields = self.types.get(type_name)
        if not fields:
            return 0
        try:
            obj = self._json(value, "")
        except BadRequest:
            return 0
        if not isinstance(obj, dict):
            return 0
        required = {n for n, f in fields.items() if f.required}
        return 2 if required and required <= set(obj) else 1

    def _as_type(self, value: Any, type_name: str, where: str, files: dict) -> Any:
        if type_name.startswith("Array of "):
            items = self._json(value, where)
            if not isinstance(items, list):
                raise BadRequest(f"Bad Request: {where} must be an array")
            inner = type_name.removeprefix("Array of ")
            return [self._as_type(item, inner, f"{where}[]", files) for item in items]
        if type_name in PRIMITIVES:
            return _primitive(value, type_name, where, files)
        return self._object(value, type_name, where, files)

    def _object(self, value: Any, type_name: str, where: str, files: dict) -> dict[str, Any]:
        obj = self._json(value, where)
        if not isinstance(obj, dict):
            raise BadRequest(f"Bad Request: {where} must be a JSON object of type {type_name}")
        fields = self.types.get(type_name)
        if fields is None or not fields:
            return obj  # abstract unions (InputMedia, BotCommandScope, ...): accept as sent
        unknown = sorted(set(obj) - set(fields))
        if unknown:
            raise BadRequest(f"Bad Request: unknown field {unknown[0]!r} in {type_name}")
        for name, spec in fields.items():
            if name in obj:
                obj[name] = self._decode(obj[name], spec.types, f"{where}.{name}", files)
            elif spec.required:
                raise BadRequest(f"Bad Request: field {name!r} of {type_name} is required")
        return obj

    @staticmethod
    def _json(value: Any, where: str) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise BadRequest(f"Bad Request: can't parse {where} as JSON") from None


def _raise_closest(errors: list[tuple[int, str]]) -> Any:
    """Raise the error of the alternative type that fitted the value best."""
    errors.sort(key=lambda e: -e[0])
    raise BadRequest(errors[0][1])


def _primitive(value: Any, type_name: str, where: str, files: dict) -> Any:
    """Decode one primitive value the way the Bot API accepts it from a form or JSON."""
    if type_name == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise BadRequest(f"Bad Request: {where} must be a string")
    if type_name == "Integer":
        if isinstance(value, bool):
            raise BadRequest(f"Bad Request: {where} must be an integer")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise BadRequest(f"Bad Request: {where} must be an integer") from None
    if type_name == "Float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise BadRequest(f"Bad Request: {where} must be a number") from None
    if type_name == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        raise BadRequest(f"Bad Request: {where} must be a boolean")
    # InputFile: an uploaded part, or a reference to one.
    if isinstance(value, str) and value.startswith("attach://"):
        part = value.removeprefix("attach://")
        if part not in files:
            raise BadRequest(f"Bad Request: {where}: file {part!r} was not attached")
        return {"attach": part}
    raise BadRequest(f"Bad Request: {where} must be an uploaded file")


@lru_cache(maxsize=1)
def load_spec() -> ApiSpec:
    """Load the vendored specification once per process (it is 850 kB of JSON)."""
    text = resources.files("bot.emulator").joinpath("data/api.json").read_text("utf-8")
    return ApiSpec(json.loads(text))
