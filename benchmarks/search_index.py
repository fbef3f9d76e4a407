"""The full build of the search index (build_index with no previous index): wall and CPU time, and
whether the files are byte for byte those of the committed implementation (git HEAD).

    python benchmarks/search_index.py /tmp/b1k/cadre --runs 5
    python benchmarks/search_index.py /tmp/b10k/cadre --runs 3 --docs /tmp/searchdocs-10k.pickle

The documents are made the way the build makes them (check_project, then search_docs). Checking a
10,000-skill project takes about half a minute: with --docs, they are read from that pickle if it
exists, else made and saved there. CPU time is this process's plus its workers' (each version
indexes on every core from its own PARALLEL_DOCS documents on). --head also times git HEAD's
version. With --memory, each version then builds the index once more in a new
process, writing the files into a new site folder as a cold build does (in a temporary folder,
removed after), and that process's resident memory before, the rise of its peak while indexing,
and its workers' largest peak are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.render import search  # noqa: E402
from generator.render.output import NewSite  # noqa: E402
from generator.render.search import SearchDoc  # noqa: E402


def load_docs(project: Path, cache: Path | None) -> list[SearchDoc]:
    if cache is not None and cache.exists():
        with open(cache, "rb") as fh:
            rows = pickle.load(fh)
    else:
        from generator.render.site import check_project, search_docs

        started = time.perf_counter()
        found, compiled, _ = check_project(project)
        rows = [(d.url, d.title, d.body()) for d in search_docs(found, compiled)]
        print(f"checked {project} in {time.perf_counter() - started:.1f} s")
        if cache is not None:
            with open(cache, "wb") as fh:
                pickle.dump(rows, fh)
    return [SearchDoc(url, title, text) for url, title, text in rows]


def head_module() -> ModuleType:
    """git HEAD's search.py, imported as a sibling of the current one (so its relative imports work)."""
    source = subprocess.run(["git", "show", "HEAD:generator/render/search.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory(prefix="search-head-") as folder:
        path = Path(folder) / "search_head.py"
        path.write_text(source, "utf-8")
        spec = importlib.util.spec_from_file_location("generator.render._search_head", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


def cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process, and by its children that have ended (the workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


def timed(module: ModuleType, docs: list[SearchDoc]) -> tuple[float, float, float, dict[str, bytes | None], object]:
    """Build the index; return wall time, CPU time of this process and of the workers, the files and the index."""
    wall, (main, workers) = time.perf_counter(), cpu()
    files, index = module.build_index(docs)
    main_after, workers_after = cpu()
    return (time.perf_counter() - wall, main_after - main, workers_after - workers, files,
            (index.urls, index.docs, index.shards))


def digests(files: dict[str, bytes | None]) -> dict[str, bytes]:
    return {name: hashlib.blake2b(data or b"", digest_size=16).digest() for name, data in files.items()}


def peak_rise(module: ModuleType, docs: list[SearchDoc]) -> str:
    """Build the index into a new site folder, as a cold build does (each file written as it is made);
    say in MiB what this process held before, how far its peak rose above that, and the largest peak
    of its pool workers (which start as copies of it)."""
    folder = Path(tempfile.mkdtemp(prefix="search-index-"))
    site = NewSite(folder / "site")
    before = _status("VmRSS")
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # the peak starts again from what is resident now
    try:
        module.build_index(docs, sink=site.put)
    finally:
        site.abort()
        shutil.rmtree(folder, ignore_errors=True)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (f"resident memory {before / 1024:.0f} MiB before indexing, peak {(_status('VmHWM') - before) / 1024:+.0f} MiB "
            f"while indexing; the workers' largest peak {workers / 1024:.0f} MiB")


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
    raise KeyError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project folder, e.g. /tmp/b10k/cadre")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--docs", type=Path, help="pickle of the documents (read if present, else written)")
    parser.add_argument("--head", action="store_true", help="time git HEAD's implementation too")
    parser.add_argument("--memory", action="store_true", help="measure the peak memory of one build each")
    parser.add_argument("--memory-of", choices=["HEAD", "working tree"], help=argparse.SUPPRESS)  # one, in this process
    args = parser.parse_args()

    docs = load_docs(args.project, args.docs)
    if args.memory_of:
        print(f"{args.memory_of}: {peak_rise(head_module() if args.memory_of == 'HEAD' else search, docs)}")
        return
    chars = sum(len(d.body()) for d in docs)
    print(f"{len(docs)} documents, {chars / len(docs):.0f} characters each on average")
    old = head_module()
    contenders = [("HEAD", old), ("working tree", search)] if args.head else [("working tree", search)]
    reference: dict[str, bytes] | None = None
    reference_index = None
    for name, module in contenders:
        walls, cpus, mains = [], [], []
        mine: dict[str, bytes] = {}
        index = None
        for _ in range(args.runs):
            wall, main, workers, files, index = timed(module, docs)
            walls.append(wall)
            cpus.append(main + workers)
            mains.append(main)
            mine = digests(files)
            del files
        wall, used = statistics.median(walls), statistics.median(cpus)
        print(f"{name}: wall {wall:.2f} s, CPU {used:.2f} s of which {statistics.median(mains):.2f} s in this process "
              f"(median of {args.runs}; wall {min(walls):.2f}-{max(walls):.2f}, CPU {min(cpus):.2f}-{max(cpus):.2f}), "
              f"{len(docs) / wall:.0f} documents/s wall, {len(docs) / used:.0f} per CPU second")
        if module is old:
            reference, reference_index = mine, index
    if reference is None:
        files, found = old.build_index(docs)
        reference, reference_index = digests(files), (found.urls, found.docs, found.shards)
        del files
    same = mine == reference and index == reference_index
    print(f"identical: {same}  ({len(mine)} files)")
    if not same:
        wrong = sorted(k for k in set(mine) | set(reference) if mine.get(k) != reference.get(k))
        print(f"  {len(wrong)} files differ, e.g. {wrong[:5]}; index equal: {index == reference_index}")
    if args.memory:
        # Each in a new process: one that has built an index already has room in its heap for another.
        del docs, mine, reference
        for name in ("HEAD", "working tree"):
            command = [sys.executable, __file__, str(args.project), "--memory-of", name]
            subprocess.run(command + (["--docs", str(args.docs)] if args.docs else []), check=True)


if __name__ == "__main__":
    main()
