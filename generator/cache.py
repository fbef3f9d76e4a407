"""What a build remembers for the next one: the content-hash cache behind warm rebuilds.

A `BuildState` holds, for every input file, its content hash; for every file loaded, Markdown
document rendered and practice page prepared, the result and the warnings it gave, under a key made
of the hashes of everything it was computed from; for every page, a fingerprint of its template and
data; and the digest of every output file. The next build (the next run of `cadre build`, kept in
`.cadre-cache/`, or the next rebuild of `cadre serve --watch`, kept in memory) reuses what still
matches, renders only pages whose fingerprint changed and writes only files whose bytes changed.

Nothing here decides what a page looks like: a warm build must produce the site a cold build
produces, byte for byte (tests/test_incremental.py holds that). Deleting `.cadre-cache/` is always
safe; it only makes the next build cold.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .errors import Diagnostic, Diagnostics

T = TypeVar("T")
CACHE_DIR = ".cadre-cache"
_FORMAT = 10


def digest(data: bytes | str) -> bytes:
    """Return a 16-byte BLAKE2b digest of `data` (text is hashed as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


# Results no page is given as they are, so nothing needs to know them by their key.
_UNSHOWN = frozenset({"roster", "qr", "bank"})


@functools.lru_cache(maxsize=1)
def _version() -> tuple[int, str, str]:
    """What a saved state must have been made by: this format, this release, and this very code
    (its modules, templates, scripts and messages), so that a changed cadre never reuses old results."""
    from . import __version__

    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".mjs", ".yaml") and "skeleton" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return (_FORMAT, __version__, h.hexdigest())


@dataclass
class BuildState:
    """Everything one build hands to the next; see the module docstring."""

    version: tuple[int, str, str] = field(default_factory=lambda: _version())
    # path -> (mtime_ns, size, inode, digest): the stat decides when a file must be hashed again.
    files: dict[str, tuple[int, int, int, bytes]] = field(default_factory=dict)
    # (kind, name) -> (key, result, diagnostics it gave); kept in its own file (see `memo`)
    _memo: dict[tuple[str, str], tuple[Hashable, Any, tuple[Diagnostic, ...]]] | None = field(default=None, repr=False)
    # site path -> (fingerprint, digest of the bytes written)
    pages: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    # site path -> digest of every output file, and the identity of the folder they are in
    outputs: dict[str, bytes] = field(default_factory=dict)
    out: tuple[str, int] | None = None
    search: Any = None
    # (kind, name) -> (key, file under .cadre-cache/objects): large results kept out of this state
    stored: dict[tuple[str, str], tuple[Hashable, str]] = field(default_factory=dict)
    root: Path | None = None
    # not saved: what this build used, so entries of deleted files are dropped at the end, and the
    # fingerprints of results reused or made this build (id -> (object, its key))
    used: set[tuple[str, str]] = field(default_factory=set, repr=False)
    known: dict[int, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    pending: list[tuple[tuple[str, str], Hashable, Any]] = field(default_factory=list, repr=False)
    # not saved: what the last build in this process left for a rebuild of edited text (render.quick)
    snapshot: Any = field(default=None, repr=False)
    # written with the state, and with the snapshot a new process may start from (render.quick)
    token: bytes = b""

    @property
    def memo_loaded(self) -> bool:
        return self._memo is not None

    @property
    def memo(self) -> dict[tuple[str, str], tuple[Hashable, Any, tuple[Diagnostic, ...]]]:
        """The remembered results, read from `.cadre-cache/memo.pickle` the first time they are asked for
        (a rebuild of edited text never asks: it saves reading the largest part of the state)."""
        if self._memo is None:
            self._memo = {}
            if self.root is not None:
                with contextlib.suppress(Exception):  # a damaged or foreign memo only costs work
                    with open(self.root / CACHE_DIR / "memo.pickle", "rb") as fh:
                        version, memo = pickle.load(fh)
                    if version == self.version and isinstance(memo, dict):
                        self._memo = memo
        return self._memo

    # -- files -------------------------------------------------------------------------------------

    def file_digest(self, path: Path) -> bytes | None:
        """Return the content hash of `path` (None if it cannot be read); rehash only when its stat changed."""
        key = str(path)
        try:
            st = os.stat(path)
        except OSError:
            self.files.pop(key, None)
            return None
        known = self.files.get(key)
        if known and known[:3] == (st.st_mtime_ns, st.st_size, st.st_ino):
            return known[3]
        try:
            with open(path, "rb") as fh:
                value = digest(fh.read())
        except OSError:
            return None
        self.files[key] = (st.st_mtime_ns, st.st_size, st.st_ino, value)
        return value

    def files_key(self, paths: Iterable[Path]) -> tuple[Any, ...]:
        return tuple((str(p), self.file_digest(p)) for p in paths)

    # -- memo --------------------------------------------------------------------------------------

    def memo_call(self, kind: str, name: str, key: Hashable, diags: Diagnostics, compute: Callable[[], T],
                  keep: Callable[[T], T] | None = None) -> T:
        """Return compute()'s result, or the remembered one when `key` is unchanged.

        Diagnostics the computation reported are remembered with it and reported again on reuse.
        Results that came with errors are never remembered: the next build tries again. `keep`
        makes what is remembered from the result (a skill without its Markdown text, say).
        """
        slot = (kind, name)
        self.used.add(slot)
        hit = self.memo.get(slot)
        if hit is not None and hit[0] == key:
            diags.items.extend(hit[2])
            if kind not in _UNSHOWN:
                self.remember(hit[1], (kind, key))
            return hit[1]  # type: ignore[no-any-return]
        before = len(diags.items)
        result = compute()
        found = tuple(diags.items[before:])
        if any(d.severity == "error" for d in found):
            self.memo.pop(slot, None)
        else:
            kept = keep(result) if keep is not None else result
            self.memo[slot] = (key, kept, found)
            if kind not in _UNSHOWN:
                self.remember(result, (kind, key))
                if kept is not result:
                    self.remember(kept, (kind, key))
        return result

    def remember(self, result: Any, key: Hashable) -> None:
        """Note that `result` (and each part of it, if a tuple) is fully described by `key`."""
        # The digest is made only if a page's fingerprint asks for it (most are never asked).
        for i, part in enumerate(result if isinstance(result, tuple) else (result,)):
            if part is not None and not isinstance(part, (str, int, bool)):
                self.known[id(part)] = (part, (key, i))
                # and what it holds (a skill's lessons): the cache may keep them without their text
                lessons = getattr(part, "lessons", None) if dataclasses.is_dataclass(part) else None
                if isinstance(lessons, tuple):
                    for j, item in enumerate(lessons):
                        self.known[id(item)] = (item, (key, i, "lessons", j))

    # -- large results, each in its own file -----------------------------------------------------

    def fetch(self, kind: str, name: str, key: Hashable = None) -> Any:
        """Return the stored result for (kind, name) if it was made from `key` (None: whatever was
        stored last), else None."""
        slot = (kind, name)
        self.used.add(slot)
        entry = self.stored.get(slot)
        if entry is None or (key is not None and entry[0] != key) or self.root is None:
            return None
        try:
            with open(self.root / CACHE_DIR / "objects" / entry[1], "rb") as fh:
                return pickle.load(fh)
        except Exception:  # a missing or damaged entry is made again
            return None

    def store(self, kind: str, name: str, key: Hashable, result: Any) -> None:
        """Keep `result` in its own file under .cadre-cache/objects, written by `flush` once the
        project has passed its checks (a failed build writes nothing, not even to the cache)."""
        self.used.add((kind, name))
        self.pending.append(((kind, name), key, result))

    def flush(self) -> None:
        """Write the results kept by `store` (a state with no project folder keeps none: its builds
        render them again)."""
        pending, self.pending = self.pending, []
        if self.root is None:
            return
        objects = self.root / CACHE_DIR / "objects"
        for slot, key, result in pending:
            file = digest(repr((slot, key))).hex()
            path = objects / file
            try:
                if not path.exists():
                    objects.mkdir(parents=True, exist_ok=True)
                    write_pickle(path, result)
            except OSError:  # a cache that cannot be written only costs speed
                continue
            self.stored[slot] = (key, file)

    def _sweep_objects(self, folder: Path) -> None:
        """Remove object files no entry of the state names any more."""
        objects = folder / "objects"
        self.stored = {slot: entry for slot, entry in self.stored.items() if slot in self.used}
        keep = {name for _, name in self.stored.values()}
        if objects.is_dir():
            for entry in os.scandir(objects):
                if entry.name not in keep:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def forget_unused(self, kinds: Iterable[str]) -> None:
        """Drop remembered results of the given kinds that this build did not ask for."""
        kinds = set(kinds)
        for slot in [s for s in self.memo if s[0] in kinds and s not in self.used]:
            del self.memo[slot]
        for slot in [s for s in self.stored if s[0] in kinds and s not in self.used]:
            del self.stored[slot]

    # -- disk ----------------------------------------------------------------------------------------

    @classmethod
    def load(cls, root: Path) -> BuildState:
        """Return the state saved in `root/.cadre-cache`, or an empty one (missing, old or damaged)."""
        path = root / CACHE_DIR / "state.pickle"
        try:
            with open(path, "rb") as fh:
                state = pickle.load(fh)
        except Exception:  # a damaged or foreign cache only costs a cold build
            return cls(root=root)
        if not isinstance(state, cls) or state.version != _version():
            return cls(root=root)
        state.used, state.known, state.pending, state.snapshot, state._memo, state.root = set(), {}, [], None, None, root
        return state

    def save(self, root: Path, sweep: bool = True) -> None:
        """Write the state to `root/.cadre-cache` atomically; a cache that cannot be written is skipped.

        The remembered results go to their own file, rewritten only if they were read. With `sweep`,
        object files no entry names any more are removed (a rebuild of edited text does not sweep:
        it did not ask for the entries it did not need).
        """
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            readme = folder / "README"
            if not readme.exists():
                readme.write_text("cadre's build cache: safe to delete; the next build is then a cold one.\n", "utf-8")
            if sweep:
                self._sweep_objects(folder)
            if self._memo is not None:
                write_pickle(folder / "memo.pickle", (self.version, self._memo))
            kept = (self.used, self.known, self.pending, self.snapshot, self._memo)
            self.used, self.known, self.pending, self.snapshot, self._memo, self.root = set(), {}, [], None, None, None
            try:
                write_pickle(folder / "state.pickle", self)
            finally:
                (self.used, self.known, self.pending, self.snapshot, self._memo), self.root = kept, root
        except OSError:
            pass

    @staticmethod
    def discard(root: Path) -> None:
        """Forget the saved state (before changing the site in place, so a killed build is redone cold)."""
        with contextlib.suppress(OSError):
            (root / CACHE_DIR / "state.pickle").unlink(missing_ok=True)


def write_pickle(path: Path, value: Any) -> None:
    """Pickle `value` into `path` atomically (a temporary file renamed into place)."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- fingerprints of page data -----------------------------------------------------------------------

_LONG = 200


class Fingerprinter:
    """Hashes what a template is given, fast enough to decide for ten thousand pages what to render.

    Every value that can reach a template is covered: text, numbers, dates, paths, containers, and
    any other object (pickled, or field by field where that fails). Results the cache reused or made
    are known by their key; other shared objects are hashed once per build.
    """

    def __init__(self, known: dict[int, tuple[Any, Any]] | None = None) -> None:
        self._seen: dict[int, tuple[Any, bytes]] = {}
        self._known = known or {}

    def __call__(self, value: Any) -> bytes:
        return digest(self._repr(value))

    def _repr(self, value: Any) -> str:
        if value is None or isinstance(value, (bool, int, float, dt.date, dt.datetime)):
            return repr(value)
        if isinstance(value, str):
            return repr(value) if len(value) < _LONG else "h" + digest(value).hex()
        if isinstance(value, Path):
            return repr(str(value))
        # Containers are written out (they are small and rarely shared); objects are hashed once.
        if isinstance(value, dict):
            return "{" + ",".join(f"{self._repr(k)}:{self._repr(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self._repr(v) for v in value) + "]"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self._repr(v) for v in value)) + "}"
        key = id(value)
        seen = self._seen.get(key)
        if seen is not None and seen[0] is value:
            return seen[1].hex()
        known = self._known.get(key)
        if known is not None and known[0] is value:
            made = digest(repr(known[1]))
            self._seen[key] = (value, made)
            return made.hex()
        try:
            # Pickling runs in C; it is deterministic for what pages are given, and where it is
            # not (sets of text), a page is only rendered again for nothing.
            result = digest(pickle.dumps(value, protocol=5))
        except Exception:
            if dataclasses.is_dataclass(value):
                parts = [f"{f.name}={self._repr(getattr(value, f.name))}" for f in dataclasses.fields(value)]
                text = type(value).__name__ + "(" + ",".join(parts) + ")"
            elif hasattr(value, "__dict__"):
                text = type(value).__name__ + self._repr(vars(value))
            else:
                text = repr(value)
            result = digest(text)
        self._seen[key] = (value, result)
        return result.hex()


_TEMPLATE_REF = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def template_closure(source: Callable[[str], str], name: str) -> list[str]:
    """Return `name` and every template it extends, includes or imports, recursively."""
    found: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo += _TEMPLATE_REF.findall(source(current))
    return found
