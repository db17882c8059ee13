"""The config reader: every problem collected as one line naming the file and the key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_duration(text: str) -> float:
    """'90s', '30m', '6h', '21d' -> seconds. Raises ValueError otherwise."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{text!r} is not a duration like '90s', '30m', '6h' or '21d'")
    return float(match.group(1)) * _UNITS[match.group(2)]


class Reader:
    """Walks the TOML tables, converting values and collecting problems with their keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def table(self, data: Any, key: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(key, "must be a table")
            return {}
        return data

    def unknown(self, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
        for name in data:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                self.problem(where, f"unknown key (allowed: {', '.join(allowed)})")

    def get(self, data: dict[str, Any], key: str, name: str, kind: type[T], default: T) -> T:
        if name not in data:
            return default
        value = data[name]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            self.problem(f"{key}.{name}", f"must be {_kind_name(kind)}, not {value!r}")
            return default
        return value

    def required(self, data: dict[str, Any], key: str, name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key}.{name}", "is required (a non-empty string)")
            return ""
        return value

    def duration(self, data: dict[str, Any], key: str, name: str, default: float) -> float:
        if name not in data:
            return default
        try:
            return parse_duration(data[name])
        except ValueError as exc:
            self.problem(f"{key}.{name}", str(exc))
            return default

    def url(self, data: dict[str, Any], key: str, name: str, *, required: bool = True) -> str:
        value = self.required(data, key, name) if required else self.get(data, key, name, str, "")
        if value and urlsplit(value).scheme not in ("http", "https"):
            self.problem(f"{key}.{name}", f"{value!r} is not an http(s) URL")
        elif value and not urlsplit(value).netloc:
            self.problem(f"{key}.{name}", f"{value!r} has no host")
        return value

    def choice(self, data: dict[str, Any], key: str, name: str, options: tuple[str, ...],
               default: str) -> str:
        value = self.get(data, key, name, str, default)
        if value not in options:
            self.problem(f"{key}.{name}", f"{value!r} is not one of {', '.join(options)}")
            return default
        return value

    def strings(self, data: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key}.{name}", "must be a list of strings")
            return ()
        return tuple(value)

    def entries(self, data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(name, [])
        if not isinstance(value, list):
            self.problem(name, "must be an array of tables ([[" + name + "]])")
            return []
        out = []
        for i, item in enumerate(value):
            key = f"{name}[{i}]"
            if isinstance(item, dict):
                out.append((key, item))
            else:
                self.problem(key, "must be a table")
        return out


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false",
            list: "a list"}.get(kind, kind.__name__)
