"""Writing the site: into a temporary folder beside the old one, then swapped in at once."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from ..cache import BuildState, digest

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


class NewSite:
    """A site written file by file into a temporary folder beside `out`, then swapped in at once.

    Nothing in `out` changes until `commit`; a build killed midway leaves the old site as it was
    and at most a `.<name>.tmp-*` folder, removed by the next build. Pages can be written as they
    are rendered, so a large site is never held in memory whole.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        parent = out.parent
        parent.mkdir(parents=True, exist_ok=True)
        for stale in [*parent.glob(f".{out.name}.tmp-*"), *parent.glob(f".{out.name}.old-*")]:
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = parent / f".{out.name}.tmp-{os.getpid()}"
        self.tmp.mkdir()
        self.written: dict[str, bytes] = {}
        self._made: set[Path] = {self.tmp}

    def _place(self, rel: str) -> Path:
        target = self.tmp / rel
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def put(self, rel: str, data: bytes) -> None:
        _write(self._place(rel), data)
        self.written[rel] = digest(data)

    def copy(self, rel: str, source: Path, source_digest: bytes) -> None:
        shutil.copyfile(source, self._place(rel))
        self.written[rel] = source_digest

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def commit(self) -> dict[str, bytes]:
        """Swap the new site in for the old; return the digest of every file written."""
        out, tmp, parent = self.out, self.tmp, self.out.parent
        if out.is_dir() and not out.is_symlink():
            if _exchange(tmp, out):
                shutil.rmtree(tmp, ignore_errors=True)
                return self.written
            old = parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if out.exists() or out.is_symlink():
                out.unlink()
            tmp.rename(out)
        return self.written


def update_site(out: Path, files: dict[str, bytes | None], copies: dict[str, Path], previous: dict[str, bytes],
                state: BuildState) -> dict[str, bytes]:
    """Bring the site `out`, written by the build whose digests are `previous`, up to date in place;
    return the digest of every file.

    `files` maps site paths to bytes, or to None where the file already written is still right.
    Only files whose bytes differ are written, in two steps: every changed file is first written
    beside its old self under a temporary name, and only then are they all renamed over the old
    ones (each rename is atomic, so a reader never sees half a file) and the files the site no
    longer has removed. A build killed while writing leaves the old site as it was, with at most
    some `.*.tmp-<pid>` files that the next (cold) build sweeps away with the old folder.
    """
    now: dict[str, bytes] = {}
    made: set[Path] = set()
    staged: list[tuple[Path, Path]] = []

    def stage(rel: str, data: bytes | None, source: Path | None) -> None:
        target = out / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        staged.append((tmp, target))
        if source is not None:
            shutil.copyfile(source, tmp)
        else:
            _write(tmp, data or b"")

    try:
        for rel, data in sorted(files.items()):
            if data is None:
                now[rel] = previous[rel]
                continue
            now[rel] = digest(data)
            if previous.get(rel) != now[rel]:
                stage(rel, data, None)
        for rel, source in sorted(copies.items()):
            now[rel] = state.file_digest(source) or b""
            if previous.get(rel) != now[rel]:
                stage(rel, None, source)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    for rel in sorted(set(previous) - set(now), reverse=True):
        target = out / rel
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return now


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
