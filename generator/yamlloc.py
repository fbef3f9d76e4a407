"""YAML loading that remembers where every key and value came from.

PyYAML's composer keeps a mark on every node; we build plain dicts and lists from the nodes and
keep those marks beside them, so a validator can point at `file:line:column` of the bad value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import yaml

try:  # the C loader is several times faster on large banks and rosters
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import Diagnostics


class Pos(NamedTuple):
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
    mark = node.start_mark
    return Pos(mark.line + 1 + line_offset, mark.column + 1)


MAX_DEPTH = 100
# Values built from one document, counting every expansion of an alias: a few aliases of aliases
# ("billion laughs") would otherwise grow into more data than the machine holds.
MAX_NODES = 1_000_000
_STR = "tag:yaml.org,2002:str"


class _YamlShapeError(Exception):
    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos, self.message = pos, message


class _Builder:
    """Turns a composed node into located values; refuses cycles (an alias inside its own anchor),
    absurd nesting, which would otherwise exhaust Python's stack, and alias bombs."""

    def __init__(self, path: Path, diags: Diagnostics, off: int) -> None:
        self.path, self.diags, self.off = path, diags, off
        self.budget = MAX_NODES

    def build(self, node: yaml.Node, parents: tuple[int, ...] = (), top: Pos | None = None) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _YamlShapeError(top or _mark(node, self.off), "invalid YAML: aliases expand to too much data")
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            try:
                return _constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError) as exc:
                self.diags.error(self.path, *_mark(node, self.off), f"cannot read value: {exc}")
                return None
        if id(node) in parents:
            raise _YamlShapeError(top or _mark(node, self.off), "invalid YAML: an alias refers to the node that contains it")
        if len(parents) > MAX_DEPTH:
            raise _YamlShapeError(top or _mark(node, self.off), "invalid YAML: lists or mappings nested too deeply")
        parents = (*parents, id(node))
        off = self.off
        if isinstance(node, yaml.MappingNode):
            result = LDict()
            result.pos = _mark(node, off)
            key_pos: dict[str, Pos] = {}
            value_pos: dict[str, Pos] = {}
            result.key_pos, result.value_pos = key_pos, value_pos
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.diags.error(self.path, *_mark(key_node, off), "merge keys (<<) are not supported")
                    continue
                key = self.build(key_node, parents)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    self.diags.error(self.path, *_mark(key_node, off), f"a key must be text, not {key!r}")
                    continue
                key = str(key)
                if key in result:
                    self.diags.error(self.path, *_mark(key_node, off), f"duplicate key '{key}'")
                    continue
                where = _mark(value_node, off)
                result[key] = self.build(value_node, parents, top or where)
                key_pos[key] = _mark(key_node, off)
                value_pos[key] = where
            return result
        items = LList()
        items.pos = _mark(node, off)
        items.item_pos = []
        for child in node.value:
            where = _mark(child, off)
            items.append(self.build(child, parents, top or where))
            items.item_pos.append(where)
        return items


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
        return _Builder(path, diags, line_offset).build(node)
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
