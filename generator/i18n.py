"""One message catalog per locale (generator/locales/<locale>.yaml); zh-CN is the default."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def catalog(locale: str) -> dict[str, str]:
    """Return the messages of `locale` as a flat mapping of key to text."""
    text = resources.files("generator").joinpath(f"locales/{locale}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {str(k): str(v) for k, v in data.items()}


class Translator:
    """Looks messages up in one locale; `t('hours', n=3)` formats the message with its fields."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.messages = catalog(locale)

    def __call__(self, key: str, **fields: Any) -> str:
        message = self.messages[key]
        return message.format(**fields) if fields else message
