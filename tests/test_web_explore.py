"""explore.html in real headless Chromium: drag, keys, the API, chapters and the video.

The page is built from a hand-made twin (a² at 2 and 5, nudges 1 ... 0.001) and the real
lessonkit/parts/nudge/twin/twin_math.js when there is one, else a float stand-in with the same API.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.parts.nudge.twin.page import (
    COLOURS,
    ENGLISH_WORDS,
    check_twin,
    explore_html,
    page_script,
)

REAL_MATH = Path(__file__).resolve().parents[1] / "lessonkit/parts/nudge/twin/twin_math.js"
VIDEO = "clip.mp4"

# LessonkitMath with floats: a polynomial spec {"coefficients": [c0, c1, ...]}, texts printed
# as `lessonkit table` prints them for values with at most 12 significant digits
STAND_IN_MATH = r"""
var LessonkitMath = (function () {
  function value(spec, x) {
    var y = 0, c = spec.coefficients;
    for (var i = c.length - 1; i >= 0; i--) y = y * x + c[i];
    return typeof x === "number" && isFinite(x) ? y : NaN;
  }
  function slope(spec, x) {
    var y = 0, c = spec.coefficients;
    for (var i = c.length - 1; i >= 1; i--) y = y * x + i * c[i];
    return y;
  }
  function plain(v) {  // no exponent: 4e-7 -> "0.0000004"
    var s = String(v), m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(s);
    return m ? m[1] + "0." + "0".repeat(Number(m[4]) - 1) + m[2] + (m[3] || "") : s;
  }
  function text(v, digits) {
    var s = plain(Number(v.toPrecision(12)));
    var sig = s.replace(/^-?0*\.?0*/, "").replace(".", "").length;
    return sig <= digits ? [s, false] : [plain(Number(v.toPrecision(digits))), true];
  }
  function parseDecimal(t) { return Number(t); }
  function row(spec, aText, daText, digits) {
    var a = Number(aText), da = Number(daText), fa = value(spec, a), fq = value(spec, a + da);
    if (!isFinite(fa) || !isFinite(fq)) throw new Error("outside the domain");
    var out = {a: text(a, 30)[0], da: text(da, 30)[0], rounded: []};
    var vals = {f_a: fa, f_a_plus_da: fq, df: fq - fa, ratio: (fq - fa) / da,
                slope: slope(spec, a), gap: (fq - fa) / da - slope(spec, a)};
    for (var k in vals) {
      var t = text(vals[k], digits);
      out[k] = t[0];
      if (t[1]) out.rounded.push(k);
    }
    return out;
  }
  return {row: row, value: value, parseDecimal: parseDecimal};
})();
"""

STEPS = [
    ("title", "The slope of a²", None, None),
    ("graph", "The curve f(a) = a²", None, None),
    ("slide-a2", "Point a = 2", "2", None),
    ("nudge-a2", "Nudge Δa = 1: Δf/Δa = 5", "2", "1"),
    ("shrink-a2-1", "Shrink Δa to 0.1: Δf/Δa = 4.1", "2", "0.1"),
    ("shrink-a2-2", "Shrink Δa to 0.01: Δf/Δa = 4.01", "2", "0.01"),
    ("shrink-a2-3", "Shrink Δa to 0.001: Δf/Δa = 4.001", "2", "0.001"),
    ("slide-a5", "Point a = 5", "5", None),
    ("nudge-a5", "Nudge Δa = 1: Δf/Δa = 11", "5", "1"),
    ("shrink-a5", "Shrink Δa to 0.001: Δf/Δa = 10.001", "5", "0.001"),
]
SECONDS = 1.0  # each step's length in the test video


def function_spec() -> Any:
    """The twin's function spec: the real one when twin.py and twin_math.js exist."""
    if REAL_MATH.exists():
        from lessonkit.maths.lookup import get_function
        from lessonkit.parts.nudge.twin.functions import twin_function  # type: ignore[import-not-found,unused-ignore]

        return twin_function(get_function("square"))
    return {"coefficients": [0, 0, 1]}


def math_js() -> str:
    return REAL_MATH.read_text(encoding="utf-8") if REAL_MATH.exists() else STAND_IN_MATH


def make_twin(video: bool = True, words: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "title": "The slope of a²",
        "language": "en",
        "digits": 10,
        "function": function_spec(),
        "formula": "a²",
        "derivative": "2a",
        "points": ["2", "5"],
        "schedule": ["1", "0.1", "0.01", "0.001"],
        "window": {"x0": 0, "x1": 6, "y0": 0, "y1": 36},
        "steps": [
            {"name": n, "title": t, "start": i * SECONDS, "end": (i + 1) * SECONDS, "a": a,
             "da": da}
            for i, (n, t, a, da) in enumerate(STEPS)
        ],
        "video": {
            "sources": [{"file": VIDEO, "type": 'video/mp4; codecs="avc1.42C00C"'}],
            "poster": None, "width": 64, "height": 36, "tracks": [],
        } if video else None,
        "words": words or {},
    }


def write_video(path: Path, seconds: float, fps: int = 10) -> None:
    """A tiny H.264 MP4 of solid frames, a shade per second."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        stream.options = {"g": str(fps)}  # a keyframe a second: seeks land where asked
        for i in range(int(seconds * fps)):
            frame = np.full((36, 64, 3), 20 + 20 * (i // fps), np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("explore")
    write_video(folder / VIDEO, len(STEPS) * SECONDS)
    with_video = folder / "explore.html"
    with_video.write_text(explore_html(make_twin(), math_js()), encoding="utf-8")
    alone = folder / "alone.html"
    alone.write_text(explore_html(make_twin(video=False), math_js()), encoding="utf-8")
    return {"video": with_video, "alone": alone}


class Page:
    """A page that records console errors, page errors and every request."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 800},
                                     reduced_motion="reduce")
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.documentElement.classList.contains('ready')")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def readouts(self) -> dict[str, str]:
        return self.page.evaluate("lessonkitTwin.readouts()")  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


@pytest.fixture()
def page(browser: Any, pages: dict[str, Path]) -> Iterator[Page]:
    p = Page(browser, pages["video"])
    yield p
    assert p.errors == []
    p.close()


def squared(a: str) -> str:
    """a² as `lessonkit table` prints it."""
    q = Fraction(a) ** 2
    text = f"{float(q):.12f}".rstrip("0").rstrip(".")
    assert Fraction(text) == q
    return text


# -- without a browser --------------------------------------------------------------------
def test_page_is_small_and_self_contained(pages: dict[str, Path]) -> None:
    for path in pages.values():
        html = path.read_text(encoding="utf-8")
        assert len(html.encode("utf-8")) < 60_000, path.name
        urls = re.findall(r'(?:src|href|poster)="([^"]*)"', html)
        assert all(u.startswith("data:") or "://" not in u for u in urls), urls
        assert "<script src" not in html and "@import" not in html
    script = page_script()
    for banned in ("eval(", "new Function", "fetch(", "XMLHttpRequest", "import(", "http://",
                   "https://"):
        assert banned not in script.replace('"http://www.w3.org/2000/svg"', ""), banned
    assert "lessonkitTwin.set" in script  # the API's documentation travels with the page


def test_twin_problems_name_the_key_and_the_fix() -> None:
    twin = make_twin()
    del twin["window"]
    with pytest.raises(LessonError, match="'window'"):
        check_twin(twin)
    with pytest.raises(LessonError, match=r"schedule holds '2'.*0 < Δa <= 1"):
        check_twin(make_twin() | {"schedule": ["2"]})
    with pytest.raises(LessonError, match="decimal string"):
        check_twin(make_twin() | {"points": [2]})
    bad_step = make_twin()
    del bad_step["steps"][0]["da"]
    with pytest.raises(LessonError, match="step 0 has no da.*null"):
        check_twin(bad_step)


def test_words_come_from_the_twin(pages: dict[str, Path]) -> None:
    korean = {"watch": "이 단계 보기", "type_value": "값을 입력하세요", "chapters": "장"}
    html = explore_html(make_twin(words=korean) | {"language": "ko"}, math_js())
    assert '<html lang="ko">' in html
    for word in korean.values():
        assert word in html
    assert ENGLISH_WORDS["watch"] not in html
    # the script safe inside <script>, the JSON unable to end its element
    tricky = explore_html(make_twin() | {"title": "a</script><b>"}, "/* </script> */")
    assert tricky.count("</script>") == 3 and "a</script><b>" not in tricky


def test_colours_are_the_videos() -> None:
    from lessonkit.draw import palette

    assert COLOURS == {
        "bg": palette.BACKGROUND, "curve": palette.CURVE, "point": palette.POINT,
        "nudge-a": palette.NUDGE_A, "nudge-f": palette.NUDGE_F, "slope": palette.SLOPE,
        "text": palette.TEXT, "muted": palette.MUTED, "panel": palette.PANEL_FILL,
    }


# -- in Chromium --------------------------------------------------------------------------
@pytest.mark.slow
def test_loads_from_file_without_errors_or_network(browser: Any, pages: dict[str, Path]) -> None:
    p = Page(browser, pages["alone"])
    assert p.readouts() == {"a": "2", "f_a": "4", "da": "1", "f_a_plus_da": "9", "df": "5",
                            "ratio": "5", "slope": "4"}
    assert p.evaluate("lessonkitTwin.relations().ratio") == "="
    assert p.inner_text("#twin-v-ratio") == "5" and p.inner_text("#twin-r-ratio") == "="
    assert p.get_attribute("#twin-readouts", "aria-live") == "polite"
    p.wait_for_timeout(300)
    assert p.requests == [pages["alone"].as_uri()]
    assert p.errors == []
    p.close()


@pytest.mark.slow
def test_dragging_the_point_moves_a_along_the_curve(page: Page) -> None:
    box = page.locator("#twin-point").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x + 12 * step, y - 40 * step)  # y from the curve, not the pointer
    page.wait_for_timeout(100)
    # while dragging the view holds still: the point stays under the pointer
    after = page.locator("#twin-point").bounding_box()
    assert abs(after["x"] + after["width"] / 2 - (x + 60)) < 4
    page.mouse.up()
    shown = page.readouts()
    assert Fraction(shown["a"]) > 2 and shown["f_a"] == squared(shown["a"])
    assert Fraction(shown["slope"]) == 2 * Fraction(shown["a"])
    assert Fraction(shown["df"]) == Fraction(shown["f_a_plus_da"]) - Fraction(shown["f_a"])


@pytest.mark.slow
def test_arrow_keys_move_the_point_and_the_nudge(page: Page) -> None:
    page.focus("#twin-point")
    page.keyboard.press("ArrowRight")
    assert page.readouts()["a"] == "2.1"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.readouts()["a"] == "1.9" and page.readouts()["f_a"] == "3.61"
    assert page.get_attribute("#twin-point", "aria-valuetext") == "a = 1.9, f(a) = 3.61"
    page.focus("#twin-da-slider")
    page.keyboard.press("ArrowRight")
    assert page.readouts()["da"] == "0.1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.readouts()["da"] == "0.001"
    page.keyboard.press("ArrowLeft")
    assert page.readouts()["da"] == "0.01"
    # the table gained a row per chosen Δa, largest first, closed by f'(a)
    assert page.evaluate("lessonkitTwin.table()") == [
        {"da": "1", "ratio": "4.8", "relation": "="},
        {"da": "0.1", "ratio": "3.9", "relation": "="},
        {"da": "0.01", "ratio": "3.81", "relation": "="},
        {"da": "0.001", "ratio": "3.801", "relation": "="},
        {"slope": "3.8", "relation": "="},
    ]
    assert page.inner_text("#twin-table-slope") == "f'(1.9) = 3.8"
    assert page.inner_text("#twin-table-rows tr.now") == "0.01\t3.81"


@pytest.mark.slow
def test_the_api_sets_and_reads_the_readouts(page: Page) -> None:
    assert page.evaluate('lessonkitTwin.set({a: "2", da: "0.001"})') == {
        "a": "2", "f_a": "4", "da": "0.001", "f_a_plus_da": "4.004001", "df": "0.004001",
        "ratio": "4.001", "slope": "4"}
    assert page.evaluate('lessonkitTwin.set({a: "5"})')["ratio"] == "10.001"
    assert page.readouts()["f_a_plus_da"] == "25.010001"
    assert page.inner_text("#twin-v-df") == "0.010001"
    error = page.evaluate(
        '() => { try { lessonkitTwin.set({da: "a lot"}); } catch (e) { return e.message; } }')
    assert error.startswith("da must be a decimal")
    assert page.readouts()["da"] == "0.001"  # unchanged by the bad call
    # typed values: quantised into the slider's range, a bad one said beside its field
    page.fill("#twin-a-input", "3.25")
    page.press("#twin-a-input", "Enter")
    assert page.readouts()["a"] == "3.25" and page.readouts()["f_a"] == "10.5625"
    page.fill("#twin-da-input", "0.123456")
    page.press("#twin-da-input", "Enter")
    assert page.readouts()["da"] == "0.123"
    page.fill("#twin-da-input", "lots")
    page.press("#twin-da-input", "Enter")
    assert page.inner_text("#twin-da-error") == ENGLISH_WORDS["invalid"]
    page.click("#twin-schedule button[data-da='0.01']")
    assert page.readouts()["da"] == "0.01"
    assert page.get_attribute("#twin-schedule button[data-da='0.01']", "aria-pressed") == "true"


@pytest.mark.slow
def test_the_triangle_stays_in_view_at_every_nudge(page: Page) -> None:
    for k in range(7):
        page.focus("#twin-da-slider")
        page.evaluate(f"document.getElementById('twin-da-slider').value = {k}")
        page.dispatch_event("#twin-da-slider", "input")
        box = page.evaluate(
            "(() => { const b = document.querySelector('#twin-scene .tri').getBBox();"
            " return [b.x, b.y, b.width, b.height]; })()")
        x, y, w, h = box
        assert page.readouts()["da"] == ("1" if k == 0 else f"0.{'0' * (k - 1)}1")
        assert 44 <= x and x + w <= 630 and 10 <= y and y + h <= 372, (k, box)
        assert max(w, h * 640 / 400) > 0.12 * 640, (k, box)  # about a quarter, as the video
        zoom = page.text_content("#twin-scene .zoom") if k else ""
        assert k == 0 or zoom.startswith("zoom × "), zoom


@pytest.mark.slow
def test_chapters_set_the_widget_and_watch_seeks_the_video(page: Page) -> None:
    page.wait_for_function("document.getElementById('twin-video').readyState >= 1",
                           timeout=10_000)
    page.click("#twin-chapters button[data-step='5']")
    shown = page.readouts()
    assert (shown["a"], shown["da"], shown["ratio"]) == ("2", "0.01", "4.01")
    assert page.inner_text("#twin-step-title") == STEPS[5][1]
    page.evaluate("document.getElementById('twin-video').muted = true")
    page.click("#twin-watch")
    page.wait_for_function(
        "Math.abs(document.getElementById('twin-video').currentTime - 5) < 0.5", timeout=10_000)
    assert page.readouts()["da"] == "0.01"  # the seek lands in the chosen chapter
    # the video moving into another chapter sets the widget to that step
    page.evaluate("() => { const v = document.getElementById('twin-video'); v.pause();"
                  " v.currentTime = 8.5; }")
    page.wait_for_function("lessonkitTwin.readouts().a === '5'", timeout=10_000)
    assert page.readouts()["da"] == "1" and page.readouts()["ratio"] == "11"
    current = page.locator("#twin-chapters button[aria-current]")
    assert current.get_attribute("data-step") == "8"
    # a chapter that shows no nudge leaves the widget as it was
    page.click("#twin-chapters button[data-step='0']")
    assert page.readouts()["a"] == "5"
    assert all(u.startswith("file://") for u in page.requests)


@pytest.mark.slow
@pytest.mark.parametrize("width", [375, 1280])
def test_layout_has_no_overflow_and_is_screenshotted(
    browser: Any, pages: dict[str, Path], tmp_path: Path, width: int
) -> None:
    p = Page(browser, pages["video"], width=width)
    p.evaluate('lessonkitTwin.set({a: "2", da: "0.1"}); lessonkitTwin.set({da: "0.001"})')
    assert p.evaluate("document.documentElement.scrollWidth") <= width
    clipped = p.evaluate(
        "[...document.querySelectorAll('.readouts span, td, button, label, h1, p')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !="
        " 'inline').map(e => e.id || e.textContent)")
    assert clipped == []
    plot = p.locator("#twin-plot").bounding_box()
    panel = p.locator(".panel").bounding_box()
    if width >= 900:  # side by side
        assert plot["x"] + plot["width"] <= panel["x"] and abs(plot["y"] - panel["y"]) < 2
    else:  # stacked, the plot first
        assert plot["y"] + plot["height"] <= panel["y"] and plot["width"] <= width
    shot = tmp_path / f"explore-{width}.png"
    p.screenshot(path=str(shot), full_page=True)
    shutil.copy(shot, f"/tmp/explore-{width}.png")
    assert p.errors == []
    p.close()
