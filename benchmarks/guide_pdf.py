"""How long the service guide of an 80-cadre township takes to render as PDF (target: under 5 s).

Copies the reference project, gives one township 80 cadres across 8 villages, fills a
demonstration ledger through the real exam path, then times `cadre guide --pdf` for that township.

    python benchmarks/guide_pdf.py [--cadres 80] [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0


def make_project(root: Path, cadres: int) -> None:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    posts = ["农村指导员", "企业助理", "平安助理", "科技助理", "金融助理"]
    electives = ["tea-garden-management", "rural-ecommerce", "farmer-cooperatives", "forest-fire-prevention"]
    roster = [
        {"id": f"bm-{i:03d}", "name": f"测试干部{i:03d}", "township": "云溪乡", "village": f"第{i % 8 + 1}村",
         "post": posts[i % len(posts)], "duties": "联系本村农户,负责产业指导、矛盾调解和政策宣传,每周三天驻村。",
         "phone": f"100-0001-{i:04d}", "electives": electives[i % 4: i % 4 + 2]}
        for i in range(cadres)
    ]
    (root / "content" / "cadres.yaml").write_text(yaml.safe_dump(roster, allow_unicode=True, sort_keys=False), "utf-8")


def _pages(pdf: Path) -> str:
    """The page count as pdfinfo reads it (poppler-utils), or '?' without it."""
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    return match.group(1) if match else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from generator.exams.demo import build_demo_ledger
    from generator.project import load_project
    from generator.render.printing import write_guides

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, args.cadres)
        started = time.perf_counter()
        build_demo_ledger(load_project(root))
        fill = time.perf_counter() - started
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            printed = write_guides(root, "云溪乡", True, "A5", root / "print", True, None)
            times.append(time.perf_counter() - started)
        pdf = printed[0].pdf
        assert pdf is not None
        pages = _pages(pdf)
        median = statistics.median(times)
        print(f"cadres in the township:      {printed[0].cadres}")
        print(f"demo ledger filled in:       {fill:.2f} s")
        print(f"guide PDF, median of {args.runs}:     {median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})")
        print(f"PDF size:                    {pdf.stat().st_size / 1024:.0f} KiB, {pages} pages")
        print(f"target {TARGET_SECONDS:.1f} s; ratio target/median: {TARGET_SECONDS / median:.2f}x "
              f"({'meets' if median < TARGET_SECONDS else 'MISSES'} the target)")


if __name__ == "__main__":
    main()
