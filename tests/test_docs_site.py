"""The docs site: mkdocs.yml and docs/ build with --strict, offline, and the README points there.

The build runs the venv's own `mkdocs` (beside this Python) into a temporary folder, so
nothing is written into the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: Every page of the site, as a file under docs/.
PAGES = [
    "index.md",
    "lesson-files.md",
    "commands.md",
    "languages.md",
    "narration.md",
    "twin.md",
    "batch.md",
    "faults.md",
    "speed.md",
    "architecture.md",
]


def built_page(site: Path, page: str) -> Path:
    """Where mkdocs writes a page with directory URLs: index.html, or <name>/index.html."""
    name = page.removesuffix(".md")
    return site / "index.html" if name == "index" else site / name / "index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site built once for this module, and what mkdocs printed."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    assert mkdocs.exists(), "mkdocs is not installed in the venv (pip install -e '.[test]')"
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [str(mkdocs), "build", "--strict", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc.stdout + proc.stderr


def test_the_site_builds_strictly_with_no_warning(site: tuple[Path, str]) -> None:
    _, log = site
    assert "WARNING" not in log and "ERROR" not in log, log


def test_every_page_is_in_the_nav_and_the_site(site: tuple[Path, str]) -> None:
    out, _ = site
    assert sorted(p.name for p in (ROOT / "docs").glob("*.md")) == sorted(PAGES)
    config = (ROOT / "mkdocs.yml").read_text()
    nav = re.findall(r"^  - [^:\n]+: (\S+\.md)$", config, flags=re.M)
    assert nav == PAGES
    for page in PAGES:
        html = built_page(out, page)
        assert html.is_file(), f"{page} was not built"
        assert "<h1" in html.read_text(), f"{page} has no title"


def test_the_site_needs_no_network(site: tuple[Path, str]) -> None:
    """No web fonts and no script or stylesheet from elsewhere: the pages work from disk."""
    config = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^  font: false$", config, flags=re.M)
    out, _ = site
    for page in PAGES:
        html = built_page(out, page).read_text()
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", tag), (page, tag)


def test_the_cli_reference_is_on_the_commands_page(site: tuple[Path, str]) -> None:
    out, _ = site
    html = built_page(out, "commands.md").read_text()
    assert "Usage: lessonkit [OPTIONS] COMMAND [ARGS]..." in html
    assert "Usage: lessonkit render [OPTIONS]" in html


def test_the_architecture_page_keeps_a_part_kinds_section() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    assert "\n## Part kinds\n" in text
    assert "base < maths < lesson < draw < parts < scenes < render/web < batch < cli" in text
    assert "`lessonkit.parts`" in text and "`lessonkit/parts/`" in text


def test_the_readme_is_short_and_links_every_page() -> None:
    readme = README.read_text()
    assert len(readme.splitlines()) <= 250
    for page in PAGES:
        assert f"](docs/{page})" in readme, f"the README does not link docs/{page}"
    for heading in ("## Quick start", "## A five-minute tour", "## Where to go next"):
        assert f"\n{heading}\n" in readme
