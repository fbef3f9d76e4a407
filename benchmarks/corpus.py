"""A benchmark corpus: N skills of realistic Chinese training text, in cadre's, MkDocs' and Hugo's layouts.

The text is resampled (seeded) from the sentences of the reference curriculum, so it has the length,
headings, tables and lists of real modules. Every tenth skill is a bundle with two lessons; every
skill has a small bank with practice questions; the roster has a cadre per ten skills.

    python benchmarks/corpus.py 1000 /tmp/corpus     # writes /tmp/corpus/{cadre,mkdocs,hugo}
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CATEGORIES = [("economy", "发展经济"), ("stability", "维护社会稳定"), ("mass-work", "做好新时期群众和基层组织工作")]


def sentences() -> list[str]:
    found: list[str] = []
    for path in sorted((REPO / "content" / "skills").rglob("*.md")):
        body = path.read_text("utf-8").split("---", 2)[-1]
        for line in body.splitlines():
            line = line.strip()
            if not line or line[0] in "#|!-[`>" or line[0].isdigit():
                continue
            found += [s + "。" for s in re.split(r"[。!?]", line) if len(s) > 8 and "](" not in s and "[^" not in s]
    return found


def page(rng: random.Random, pool: list[str], sections: int = 4) -> str:
    out = []
    for s in range(sections):
        out.append(f"## 第{s + 1}部分 {rng.choice(pool)[:8]}\n")
        for _ in range(3):
            out.append("".join(rng.choice(pool) for _ in range(rng.randint(2, 4))) + "\n")
        if s == 1:
            out.append("| 项目 | 要求 | 说明 |\n|---|---|---|\n" + "".join(
                f"| {rng.choice(pool)[:6]} | {rng.choice(pool)[:10]} | {rng.choice(pool)[:14]} |\n" for _ in range(4)))
        if s == 2:
            out.append("".join(f"- {rng.choice(pool)[:20]}\n" for _ in range(4)))
    return "\n".join(out)


BANK = """skill: {id}
questions:
  - {{id: q1, level: 1, type: single, prompt: 这项技能的第一步是什么?, options: [登记, 调查, 回访], answer: A,
      explanation: 先登记。, practice: true}}
  - {{id: q2, level: 1, type: truefalse, prompt: 这项工作应当公开。, answer: true, explanation: 应当公开。, practice: true}}
  - {{id: q3, level: 1, type: fill, prompt: 每户每年至少走访 ____ 次。, answer: [["两", "2"]], explanation: 两次。}}
  - {{id: q4, level: 2, type: numeric, prompt: 公示期是几天?, answer: 7, unit: 天, explanation: 7 天。}}
"""


def generate(n: int, out: Path, seed: int = 6962) -> None:
    rng = random.Random(seed)
    pool = sentences()
    if out.exists():
        shutil.rmtree(out)
    cadre, mk, hugo = out / "cadre", out / "mkdocs", out / "hugo"
    (cadre / "content").mkdir(parents=True)
    (cadre / "quizzes").mkdir()
    (mk / "docs").mkdir(parents=True)
    (hugo / "content" / "skills").mkdir(parents=True)
    (cadre / "content" / "site.yaml").write_text("title: 基准测试\nbase_url: https://example.org/\n", "utf-8")
    curriculum = {"categories": [{"id": c, "title": t} for c, t in CATEGORIES], "required": {"all": ["skill-00000"]},
                  "electives": {"min": 0}}
    (cadre / "content" / "curriculum.yaml").write_text(yaml.safe_dump(curriculum, allow_unicode=True), "utf-8")
    nav = []
    for i in range(n):
        sid = f"skill-{i:05d}"
        cat = CATEGORIES[i % 3][0]
        title = f"{rng.choice(pool)[:6]}技能{i}"
        summary = rng.choice(pool)[:30]
        body = page(rng, pool)
        front = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ncategory: {cat}\n"
                 f"summary: {json.dumps(summary, ensure_ascii=False)}\nhours: 4\nlevels: [1, 2]\ntags: [基准]\n"
                 "updated: 2026-01-01\n---\n\n")
        folder = cadre / "content" / "skills" / cat
        lessons = [page(rng, pool, 3), page(rng, pool, 3)] if i % 10 == 0 else []
        if lessons:
            (folder / sid).mkdir(parents=True, exist_ok=True)
            (folder / sid / "index.md").write_text(front + body, "utf-8")
            for k, lesson in enumerate(lessons, 1):
                (folder / sid / f"0{k}-part{k}.md").write_text(f"---\ntitle: 第{k}课\n---\n\n{lesson}", "utf-8")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{sid}.md").write_text(front + body, "utf-8")
        (cadre / "quizzes" / f"{sid}.yaml").write_text(BANK.format(id=sid), "utf-8")
        text = body + "".join(lessons)
        quoted = json.dumps(title, ensure_ascii=False)
        (mk / "docs" / f"{sid}.md").write_text(f"---\ntitle: {quoted}\n---\n\n# {title}\n\n{summary}\n\n{text}", "utf-8")
        (hugo / "content" / "skills" / f"{sid}.md").write_text(
            f"---\ntitle: {quoted}\nsummary: {json.dumps(summary, ensure_ascii=False)}\n---\n\n{summary}\n\n{text}", "utf-8")
        nav.append(sid)
    roster = [{"id": f"c{i:05d}", "name": f"干部{i}", "township": f"第{i % 6}乡", "post": "农村指导员", "duties": "驻村",
               "phone": f"100-0000-{i % 10000:04d}"} for i in range(max(1, n // 10))]
    (cadre / "content" / "cadres.yaml").write_text(yaml.safe_dump(roster, allow_unicode=True), "utf-8")
    # MkDocs puts its whole navigation in every page, which grows as pages x pages; a nav of one
    # index page (the others are still built and searched) keeps MkDocs linear, its fastest setup.
    (mk / "docs" / "index.md").write_text("# 基准测试\n", "utf-8")
    settings = ("site_name: 基准测试\nuse_directory_urls: true\ntheme: mkdocs\nnav:\n  - index.md\n"
                "not_in_nav: |\n  /skill-*.md\n")
    (mk / "mkdocs.yml").write_text(settings, "utf-8")
    (mk / "mkdocs-nosearch.yml").write_text(settings + "plugins: []\n", "utf-8")
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "基准测试"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
        'hasCJKLanguage = true\n[markup.goldmark.renderer]\nunsafe = false\n', "utf-8")
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<!doctype html><html><head><title>{{ .Title }}</title></head>"
                                         "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n", "utf-8")
    (layouts / "list.html").write_text("<!doctype html><html><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                                       "{{ .Title }}</a></li>{{ end }}</ul></body></html>\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("skills", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    generate(args.skills, args.out)
    print(f"wrote {args.skills} skills to {args.out}/{{cadre,mkdocs,hugo}}")


if __name__ == "__main__":
    main()
