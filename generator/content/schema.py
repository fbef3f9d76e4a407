"""A small typed reader over located YAML mappings that reports every problem it meets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import Diagnostics
from ..yamlloc import LDict, LList, Pos

_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
    dt.date: "a date (YYYY-MM-DD)",
}


def describe(value: Any) -> str:
    """Return a short human name for the type of a YAML value."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


_NOWHERE = Pos(0, 0)


def pos_of(container: Any, default: Pos = _NOWHERE) -> Pos:
    """Return the position of a located YAML container, or `default`."""
    return getattr(container, "pos", default)


class Fields:
    """Reads one mapping: unknown keys, missing keys and wrong types become located errors."""

    def __init__(
        self,
        diags: Diagnostics,
        path: Path,
        data: Any,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        at: Pos | None = None,
    ) -> None:
        self.diags = diags
        self.path = path
        self.what = what
        self.ok = True
        is_mapping = isinstance(data, dict)
        if not is_mapping:
            where = at or pos_of(data)
            diags.error(path, where.line, where.column, f"{what} must be a mapping of keys to values, not {describe(data)}")
            data = LDict()
            data.pos, data.key_pos, data.value_pos = where, {}, {}
            self.ok = False
        self.data: LDict = data
        allowed_set = set(allowed)
        for key in data:
            if key not in allowed_set and key != "extra":
                p = data.key_pos.get(key, pos_of(data))
                hint = _closest(key, allowed_set)
                extra = f"; did you mean '{hint}'?" if hint else f"; allowed keys: {', '.join(sorted(allowed_set))}"
                diags.error(path, p.line, p.column, f"unknown key '{key}' in {what}{extra}")
                self.ok = False
        # Something that is not a mapping has no keys to miss: one mistake, one error.
        for key in required if is_mapping else ():
            if (key not in data or data[key] is None or data[key] == "") and not self.unreadable(key):
                p = data.key_pos.get(key, pos_of(data))
                diags.error(path, p.line, p.column, f"{what} is missing required key '{key}'")
                self.ok = False

    def unreadable(self, key: str) -> bool:
        """Return whether `key` is written but its value could not be read (that error is already reported)."""
        p = self.data.value_pos.get(key)
        return p is not None and self.data.get(key) is None and self.diags.has_error_at(self.path, p.line, p.column)

    def at(self, key: str) -> Pos:
        """Return where the value of `key` is, or the mapping itself when it is absent."""
        return self.data.value_pos.get(key) or self.data.key_pos.get(key) or pos_of(self.data)

    def fail(self, key: str, message: str) -> None:
        """Report `message` at the value of `key`, unless that value could not be read (reported already)."""
        self.ok = False
        if self.unreadable(key):
            return
        p = self.at(key)
        self.diags.error(self.path, p.line, p.column, message)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, default: str = "") -> str:
        """Return text; numbers are accepted and written as text (phone numbers, years)."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text, not {describe(value)}")
            return default
        return str(value).strip()

    def integer(self, key: str, default: int = 0, minimum: int | None = None) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"'{key}' must be a whole number, not {describe(value)}")
            return default
        if minimum is not None and value < minimum:
            self.fail(key, f"'{key}' must be at least {minimum}, not {value}")
            return default
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        self.fail(key, f"'{key}' must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def text_list(self, key: str) -> tuple[tuple[str, Pos], ...]:
        """Return a list of texts, each with its position."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, like [a, b], not {describe(value)}")
            return ()
        out: list[tuple[str, Pos]] = []
        positions = getattr(value, "item_pos", [])
        for i, item in enumerate(value):
            p = positions[i] if i < len(positions) else self.at(key)
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or str(item).strip() == "":
                self.diags.error(self.path, p.line, p.column, f"each item of '{key}' must be text, not {describe(item)}")
                self.ok = False
                continue
            out.append((str(item).strip(), p))
        return tuple(out)

    def int_list(self, key: str) -> tuple[tuple[int, Pos], ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, like [1, 2], not {describe(value)}")
            return ()
        out: list[tuple[int, Pos]] = []
        positions = getattr(value, "item_pos", [])
        for i, item in enumerate(value):
            p = positions[i] if i < len(positions) else self.at(key)
            if isinstance(item, bool) or not isinstance(item, int):
                message = f"each item of '{key}' must be a whole number, not {describe(item)}"
                self.diags.error(self.path, p.line, p.column, message)
                self.ok = False
                continue
            out.append((item, p))
        return tuple(out)

    def mapping(self, key: str) -> LDict | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LDict):
            self.fail(key, f"'{key}' must be a mapping of keys to values, not {describe(value)}")
            return None
        return value

    def sequence(self, key: str) -> LList | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LList):
            self.fail(key, f"'{key}' must be a list, not {describe(value)}")
            return None
        return value


def _closest(key: str, allowed: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.75)
    return match[0] if match else None
