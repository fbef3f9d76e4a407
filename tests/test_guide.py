"""The printed service guide: the page, the PDF read back with poppler, and the QR codes decoded."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.project import load_project
from generator.render.guide import tel_digits
from generator.render.site import build_site, check_project

from .conftest import IN_CI, REPO, MakeProject, require_tool
from .examproject import FILES

SHOTS = Path(__file__).parent / "artifacts"
TOWNSHIP = "云溪乡"


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference township guide as PDF, from the demonstration ledger, written once."""
    for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"):
        require_tool(tool)
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        if IN_CI:
            pytest.fail("WeasyPrint is not installed (the README's test command installs it)")
        pytest.skip("WeasyPrint is not installed")
    out = tmp_path_factory.mktemp("print")
    result = CliRunner().invoke(main, ["guide", "--demo", "--pdf", "--township", TOWNSHIP, "-p", str(REPO), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # A missing glyph (tofu) is a WeasyPrint warning, printed by the command: there must be none.
    assert "warning" not in result.output, result.output
    return out / f"guide-{TOWNSHIP}.pdf"


def township_cadres() -> list:  # type: ignore[type-arg]
    return [c for c in load_project(REPO).cadres if c.township == TOWNSHIP]


def test_pdf_embeds_a_cjk_font(demo_pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(demo_pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip()), fonts


def test_pdf_names_every_cadre_and_is_numbered(demo_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(demo_pdf), "-"], capture_output=True, text=True, check=True).stdout
    missing = [c.name for c in township_cadres() if c.name not in text]
    assert missing == []
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(demo_pdf)], capture_output=True, text=True).stdout).group(1))  # type: ignore[union-attr]
    assert f"第 2 页 / 共 {pages} 页" in text and f"第 {pages} 页 / 共 {pages} 页" in text
    assert "干部技能服务指南" in text and "服务事项公开" in text and "\ufffd" not in text


def test_pdf_pages_are_a5(demo_pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(demo_pdf)], capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and all(abs(float(w) - 420) < 1 and abs(float(h) - 595) < 1 for w, h in sizes)


def test_qr_codes_decode_to_each_cadres_phone(demo_pdf: Path, tmp_path: Path) -> None:
    require_tool("zbarimg")
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(demo_pdf), str(tmp_path / "page")], check=True)
    decoded: set[str] = set()
    for png in sorted(tmp_path.glob("page-*.png")):
        run = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True, text=True)
        decoded |= {line.strip() for line in run.stdout.splitlines() if line.strip()}
    expected = {f"tel:{tel_digits(c.phone)}" for c in township_cadres() if c.phone}
    assert decoded == expected
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "3", "-l", "3", str(demo_pdf), str(SHOTS / "guide-page")], check=True)


def test_a4_option(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    require_tool("pdfinfo")
    result = CliRunner().invoke(main, ["guide", "--demo", "--pdf", "--paper", "A4", "--township", "石门镇", "-q", "-p", str(REPO),
                                       "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(tmp_path / "guide-石门镇.pdf")], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts" in info


def test_without_weasyprint_pdf_says_what_to_install(make_project: MakeProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = CliRunner().invoke(main, ["guide", "--pdf", "-p", str(make_project(FILES))], catch_exceptions=False)
    assert result.exit_code == 2
    assert "pip install 'cadre[pdf]'" in result.output and "libpango-1.0-0" in result.output and "fonts-noto-cjk" in result.output


def test_guide_page_prints_gaps_and_skips_empty_townships(make_project: MakeProject) -> None:
    roster = FILES["content/cadres.yaml"] + "- {id: c4, name: 赵无电, township: 石门镇, post: 平安助理, duties: 巡查}\n"  # type: ignore[operator]
    curriculum = ("categories:\n  - {id: economy, title: 发展经济}\n  - {id: stability, title: 维护社会稳定}\n"
                  "required:\n  all: [alpha]\n  townships:\n    空白乡: [alpha]\n")
    root = make_project({**FILES, "content/cadres.yaml": roster, "content/curriculum.yaml": curriculum})
    _, _, diags = check_project(root)
    warnings = [str(w) for w in diags.warnings]
    assert "content/cadres.yaml:4:3: warning: cadre 'c4' (赵无电) has no phone number; the guide will print a gap" in warnings
    assert any("township '空白乡' has required skills but no cadre in the roster" in w for w in warnings)
    build_site(root)
    assert sorted(p.name for p in (root / "site" / "guide").iterdir()) == ["云溪乡", "石门镇"]
    page = (root / "site" / "guide" / "石门镇" / "index.html").read_text("utf-8")
    assert "赵无电" in page and "电话待补" in page and page.count('class="qr"') == 1
    assert "size: A5;" in page and 'counter(page)' in page
