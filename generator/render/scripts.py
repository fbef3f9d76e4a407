"""The browser code: ES modules in generator/static/, bundled into one classic script for the site.

Chromium refuses ES modules loaded from file://, and the site must work opened from disk; so the
build concatenates the modules in dependency order, drops their import lines and export keywords,
wraps them in one function, and replaces messages.mjs with the site locale's messages.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from ..i18n import catalog

# Each bundle: the modules it holds, in dependency order, and what it runs once the page is parsed.
BUNDLES = {
    "assets/progress.js": (("progress.mjs",), ("initProgress",)),
    "assets/practice.js": (("grading.mjs", "progress.mjs", "widgets.mjs", "practice.mjs"), ("initProgress", "initPractice")),
    "assets/exam.js": (("widgets.mjs", "exam.mjs"), ("initExam",)),
    "assets/verify.js": (("verify.mjs", "registry.mjs"), ("initRegistry",)),
    "assets/search.js": (("search.mjs",), ("initSearch",)),
}
_IMPORT = re.compile(r"^import\s[^;]*;\s*$", re.M)
_EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?function|const|let|class)", re.M)


def module_source(name: str) -> str:
    return resources.files("generator").joinpath(f"static/{name}").read_text("utf-8")


def js_messages(locale: str) -> dict[str, str]:
    """Return the messages the browser code uses (catalog keys starting js_, without the prefix)."""
    return {k[3:]: v for k, v in sorted(catalog(locale).items()) if k.startswith("js_")}


def _strip(source: str) -> str:
    """Drop import lines, export keywords, comment-only lines and indentation: a light minify."""
    source = _EXPORT.sub("", _IMPORT.sub("", source))
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def bundle(locale: str, modules: tuple[str, ...], run: tuple[str, ...]) -> str:
    """Return one classic script holding `modules` (and the locale's messages), running `run`."""
    messages = json.dumps(js_messages(locale), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    parts = [_strip(module_source("messages.mjs")).replace("const MESSAGES = {};", f"const MESSAGES = {messages};")]
    parts += [_strip(module_source(name)) for name in modules]
    calls = "".join(f"{name}();" for name in run)
    head = '// cadre (built from generator/static/*.mjs)\n(function(){\n"use strict";\n'
    return head + "\n".join(parts) + f"\n{calls}\n}})();\n"


def scripts(locale: str) -> dict[str, bytes]:
    """Return every bundle of the site, keyed by its site path."""
    return {path: bundle(locale, modules, run).encode("utf-8") for path, (modules, run) in BUNDLES.items()}
