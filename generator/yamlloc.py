"""YAML loading that remembers where every key and value came from.

PyYAML's composer keeps a mark on every node; we build plain dicts and lists from the nodes and
keep those marks beside them, so a validator can point at `file:line:column` of the bad value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster on large banks and rosters
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import Diagnostics


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in a source file."""

    line: int
    column: int


class LDict(dict[str, Any]):
    """A mapping from YAML, with the position of itself, its keys and its values."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]


class LList(list[Any]):
    """A sequence from YAML, with the position of itself and of each item."""

    pos: Pos
    item_pos: list[Pos]


_constructor = yaml.constructor.SafeConstructor()


def _mark(node: yaml.Node, line_offset: int) -> Pos:
    return Pos(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


MAX_DEPTH = 100


class _YamlShapeError(Exception):
    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos, self.message = pos, message


def _build(node: yaml.Node, path: Path, diags: Diagnostics, off: int, parents: tuple[int, ...] = (),
           top: Pos | None = None) -> Any:
    """Turn a composed node into located values; refuse cycles (an alias inside its own anchor) and
    absurd nesting, which would otherwise exhaust Python's stack."""
    if id(node) in parents:
        raise _YamlShapeError(top or _mark(node, off), "invalid YAML: an alias refers to the node that contains it")
    if len(parents) > MAX_DEPTH:
        raise _YamlShapeError(top or _mark(node, off), "invalid YAML: lists or mappings nested too deeply")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        parents = (*parents, id(node))
    if isinstance(node, yaml.MappingNode):
        result = LDict()
        result.pos = _mark(node, off)
        result.key_pos = {}
        result.value_pos = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                diags.error(path, *_pos(key_node, off), "merge keys (<<) are not supported")
                continue
            key = _build(key_node, path, diags, off, parents)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                diags.error(path, *_pos(key_node, off), f"a key must be text, not {key!r}")
                continue
            key = str(key)
            if key in result:
                diags.error(path, *_pos(key_node, off), f"duplicate key '{key}'")
                continue
            result[key] = _build(value_node, path, diags, off, parents, top or _mark(value_node, off))
            result.key_pos[key] = _mark(key_node, off)
            result.value_pos[key] = _mark(value_node, off)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LList()
        items.pos = _mark(node, off)
        items.item_pos = []
        for child in node.value:
            items.append(_build(child, path, diags, off, parents, top or _mark(child, off)))
            items.item_pos.append(_mark(child, off))
        return items
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        diags.error(path, *_pos(node, off), f"cannot read value: {exc}")
        return None


def _pos(node: yaml.Node, off: int) -> tuple[int, int]:
    p = _mark(node, off)
    return p.line, p.column


def load_yaml(text: str, path: Path, diags: Diagnostics, line_offset: int = 0) -> Any:
    """Return the YAML document in `text` as LDict/LList/scalars, or None after an error."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 0
        col = mark.column + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(path, line, col, f"invalid YAML: {problem}")
        return None
    except yaml.YAMLError as exc:
        diags.error(path, 0, 0, f"invalid YAML: {exc}")
        return None
    if node is None:
        return None
    try:
        return _build(node, path, diags, line_offset)
    except _YamlShapeError as exc:
        diags.error(path, exc.pos.line, exc.pos.column, exc.message)
        return None
    except RecursionError:
        diags.error(path, 1, 1, "invalid YAML: lists or mappings nested too deeply")
        return None


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """Return a file's text as UTF-8 (a BOM is dropped), or None after reporting why not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(path, 0, 0, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(path, line, column, "file is not UTF-8 text; save it as UTF-8")
        return None


def load_yaml_file(path: Path, diags: Diagnostics) -> Any:
    """Read and parse one YAML file; None (with a reported error) if that fails."""
    text = read_text(path, diags)
    if text is None:
        return None
    return load_yaml(text, path, diags)
