"""The explorable twin as `export` writes it, in real headless Chromium: one page per nudge
part, linked from embed.html and the gallery, showing for any a and Δa exactly what
`lessonkit table` prints, and set by the video's chapters."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import FPS, SIZE
from test_web_bundle import tags

from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.maths.lookup import get_function
from lessonkit.maths.nudge import nudge
from lessonkit.web.bundle import Bundle, write_bundle

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
LESSON = """title = "Two slopes"
captions = ["en", "ko"]

[[part]]
function = "square"
points = [2]
nudges = [1, 0.1]

[[part]]
function = "log(a)"
name = "log"
points = [2]
nudges = [1, 0.01]
"""
KOREAN = {"Two slopes": "두 기울기"}
FIELDS = ("a", "f_a", "da", "f_a_plus_da", "df", "ratio", "slope")


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Bundle]:
    """The two-part lesson exported in English and in Korean (tiny, silent)."""
    from lessonkit.lesson.messages import lesson_messages, update_catalogue
    from lessonkit.render import RenderJob, render

    folder = tmp_path_factory.mktemp("lesson")
    path = folder / "two.toml"
    path.write_text(LESSON, encoding="utf-8")
    po = folder / "two.ko.po"
    update_catalogue(po, "ko", lesson_messages(path))
    text = po.read_text(encoding="utf-8")
    for en, ko in KOREAN.items():
        text = text.replace(f'msgid "{en}"\nmsgstr ""', f'msgid "{en}"\nmsgstr "{ko}"')
    po.write_text(text, encoding="utf-8")
    media = tmp_path_factory.mktemp("media")
    out = {}
    for lang in ("en", "ko"):
        job = RenderJob(load_lesson(path, lang), fps=FPS, size=SIZE, media_dir=media, stills=True)
        out[lang] = write_bundle(render(job))
    return out


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.lessonkitTwin !== undefined")
    return page, errors, requests


def test_one_page_per_part_listed_and_linked(bundles: dict[str, Bundle]) -> None:
    bundle = bundles["en"]
    pages = bundle.manifest["explore"]
    assert [p["file"] for p in pages] == ["explore.html", "explore-log.html"]
    assert [p["part"] for p in pages] == ["square", "log"]
    for p in pages:
        size = (bundle.folder / p["file"]).stat().st_size
        assert size < 60_000, (p["file"], size)
    listed = {f["name"]: f["role"] for f in bundle.manifest["files"]}
    assert listed["explore.html"] == listed["explore-log.html"] == "explore"
    embed = (bundle.folder / "embed.html").read_text(encoding="utf-8")
    links = [a["href"] for t, a in tags(embed) if t == "a"]
    assert "explore.html" in links and "explore-log.html" in links
    assert "Try it yourself:" in embed
    ko = (bundles["ko"].folder / "embed.html").read_text(encoding="utf-8")
    assert "직접 해 보기:" in ko


def random_pairs(fn_name: str, count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        a = Fraction(rng.randint(1 if fn_name != "square" else -400, 600), 100)
        da = Fraction(rng.choice([1, 2, 5, 25, 125]), 10 ** rng.randint(0, 6))
        pairs.append((str(float(a)) if a.denominator != 1 else str(a.numerator), _text(da)))
    return pairs


def _text(q: Fraction) -> str:
    from lessonkit.maths.numbers import Value

    return Value(q).text()


@pytest.mark.parametrize(("file", "fn_source"), [("explore.html", "square"),
                                                  ("explore-log.html", "log(a)")])
def test_the_page_shows_what_lessonkit_table_prints(
    bundles: dict[str, Bundle], browser: Any, file: str, fn_source: str
) -> None:
    """200 random (a, Δa) pairs per page: readouts() equals lessonkit's own rows (the code
    `lessonkit table` prints) at the lesson's 5 digits; a few through the real CLI."""
    page, errors, requests = open_page(browser, bundles["en"].folder / file)
    fn = get_function(fn_source)
    pairs = random_pairs(fn.name, 200, seed=len(file))
    shown = page.evaluate(
        """pairs => pairs.map(([a, da]) => { lessonkitTwin.set({a: a, da: da});
                                             return lessonkitTwin.readouts(); })""",
        pairs,
    )
    for (a, da), got in zip(pairs, shown, strict=True):
        row = nudge(fn, Fraction(a), Fraction(da), 5).as_text()
        want = {k: row[k if k != "f_a_plus_da" else "f_a_plus_da"].removeprefix("≈")
                for k in FIELDS}
        assert {k: got[k] for k in FIELDS} == want, (a, da)
    for a, da in pairs[:3]:
        proc = subprocess.run(
            [str(BIN / "lessonkit"), "table", fn_source, "--at", a, "--nudge", da,
             "--digits", "5", "--format", "json"],
            capture_output=True, text=True, timeout=60, check=True,
        )
        printed = json.loads(proc.stdout)["rows"][0]
        page.evaluate("p => lessonkitTwin.set(p)", {"a": a, "da": da})
        got = page.evaluate("lessonkitTwin.readouts()")
        assert got["ratio"] == printed["ratio"] and got["df"] == printed["df"]
    assert errors == []
    assert all(u.startswith("file://") for u in requests), requests


def test_chapters_set_the_widget_to_the_videos_numbers(
    bundles: dict[str, Bundle], browser: Any
) -> None:
    """Each chapter of a part with a nudge sets a and Δa as the video shows them, and the
    readout Δf/Δa is the chapter title's."""
    bundle = bundles["en"]
    page, errors, _ = open_page(browser, bundle.folder / "explore-log.html")
    chapters = [c for c in bundle.manifest["sections"] if c["name"].startswith("log-")]
    shrink = [i for i, c in enumerate(chapters) if "-shrink-" in c["name"]]
    assert shrink
    for i in shrink:
        page.evaluate(f"lessonkitTwin.chapter({i})")
        got = page.evaluate("lessonkitTwin.readouts()")
        title = chapters[i]["title"]  # "log(a): Shrink Δa to 0.01: Δf/Δa ≈ 0.49875"
        assert f"to {got['da']}:" in title and title.endswith(got["ratio"]), (title, got)
    assert errors == []


def test_the_korean_twin_speaks_korean(bundles: dict[str, Bundle], browser: Any) -> None:
    page, errors, _ = open_page(browser, bundles["ko"].folder / "explore.html")
    assert page.evaluate("document.documentElement.lang") == "ko"
    body = page.inner_text("body")
    assert "이 장면 보기" in body and "Watch this step" not in body
    assert errors == []


def test_the_gallery_links_every_twin(bundles: dict[str, Bundle]) -> None:
    from lessonkit.web.gallery import build_site

    media = bundles["en"].folder.parent.parent
    site = build_site(media)
    html = site.index.read_text(encoding="utf-8")
    links = {a["href"] for t, a in tags(html) if t == "a"}
    for slug in ("two", "two-ko"):
        assert f"{slug}/explore.html" in links and f"{slug}/explore-log.html" in links


FUNCTIONS = ["square", "cube", "log", "linear", "sin(a)", "cos(a)", "exp(a)", "sqrt(a)", "1/a",
             "a^4 - 2a", "a*exp(-a)", "log(a, 10)", "2^a", "3a^2 + 1"]


@pytest.mark.parametrize("source", FUNCTIONS)
def test_every_function_in_the_browser_matches_the_table(
    browser: Any, tmp_path: Path, source: str
) -> None:
    """For registry functions and expressions alike, 200 random (a, Δa) pairs set through the
    page's API read back exactly as lessonkit's rows at the table's 10 digits."""
    from lessonkit.lesson.spec import clip_spec
    from lessonkit.parts.nudge.twin.functions import twin_function
    from lessonkit.parts.nudge.twin.page import explore_html
    from lessonkit.web.explore_bundle import MATH_JS

    spec = clip_spec(source)
    window = spec.window
    twin = {
        "title": source, "language": "en", "digits": 10,
        "function": twin_function(spec.function),
        "points": [_text(a) for a in spec.points], "schedule": ["1", "0.1", "0.01"],
        "window": {"x0": window.x_min, "x1": window.x_max, "y0": window.y_min,
                   "y1": window.y_max},
        "steps": [], "video": None, "words": {},
    }
    page_file = tmp_path / "explore.html"
    page_file.write_text(explore_html(twin, MATH_JS.read_text("utf-8")), encoding="utf-8")
    page, errors, requests = open_page(browser, page_file)
    rng = random.Random(source)
    pairs = []
    for _ in range(200):
        a = Fraction(rng.randint(5, 600), 100)  # 0.05 ... 6: inside every domain here
        da = Fraction(rng.choice([1, 2, 5, 25, 125]), 10 ** rng.randint(1, 6))
        pairs.append((_text(a), _text(da)))
    shown = page.evaluate(
        """pairs => pairs.map(([a, da]) => { lessonkitTwin.set({a: a, da: da});
                                             return lessonkitTwin.readouts(); })""",
        pairs,
    )
    wrong = []
    for (a, da), got in zip(pairs, shown, strict=True):
        row = nudge(spec.function, Fraction(a), Fraction(da), 10).as_text()
        want = {k: row[k].removeprefix("≈") for k in FIELDS}
        if {k: got[k] for k in FIELDS} != want:
            wrong.append((a, da, got, want))
    assert wrong == [], wrong[:2]
    assert errors == [] and all(u.startswith("file://") for u in requests)
