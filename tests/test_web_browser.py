"""The gallery end to end in real headless Chromium (Debian's /usr/bin/chromium via Playwright).

The web folder is served over http://127.0.0.1 by a threaded http.server and also opened
from file://; every video must load its metadata with the manifest's duration, its captions
and chapters tracks must hold cues, it must play, and the console must stay free of errors.
"""

from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from lessonkit.web.bundle import write_bundle
from lessonkit.web.gallery import build_site

SLUG = "square-a2-a5"

# record loadedmetadata for every <video> (media events do not bubble: listen in capture)
RECORD_METADATA = """
window.__metadata = {};
document.addEventListener("loadedmetadata", function (e) {
  window.__metadata[e.target.id || e.target.currentSrc] = e.target.duration;
}, true);
"""


@pytest.fixture(scope="module")
def site(web_render: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A media folder holding one bundle and the gallery over it."""
    media = tmp_path_factory.mktemp("media")
    write_bundle(web_render, root=media / "web")
    build_site(media)
    return media / "web"


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """http.server plus byte ranges (206), as real static hosts serve video: without
    them Chromium cannot seek."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self) -> Any:
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first = int(match.group(1) or 0)
        last = min(int(match.group(2) or size - 1), size - 1)
        if first > last:
            self.send_error(416)
            return None
        with open(path, "rb") as f:
            f.seek(first)
            body = f.read(last - first + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(StaticHost, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Page:
    """A page that records console errors, page errors and failed requests."""

    def __init__(self, browser: Any, url: str, page_icon: bool = True) -> None:
        self.errors: list[str] = []
        self.page_icon = page_icon
        self.page = browser.new_page(viewport={"width": 1100, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.add_init_script(RECORD_METADATA)
        self.page.goto(url)

    def _console(self, message: Any) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and (self.page_icon or not where.endswith("/favicon.ico")):
            self.errors.append(f"{message.text} at {where}")

    def _failed(self, request: Any) -> None:
        # a media request cancelled once the player has what it needs is not an error
        if request.failure != "net::ERR_ABORTED" or request.resource_type != "media":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


def manifest_of(site: Path) -> dict[str, Any]:
    import json

    return json.loads((site / SLUG / "manifest.json").read_text(encoding="utf-8"))


def wait_for_metadata(page: Page) -> dict[str, float]:
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].every("
        "v => (v.id || v.currentSrc) in window.__metadata)", timeout=20_000)
    return page.evaluate("() => window.__metadata")  # type: ignore[no-any-return]


def track_cues(page: Page, selector: str, kind: str) -> int:
    """Load a text track without showing it, then count its cues."""
    page.evaluate(
        """([sel, kind]) => { const v = document.querySelector(sel);
        for (const t of v.textTracks) if (t.kind === kind) t.mode = "hidden"; }""",
        [selector, kind])
    page.wait_for_function(
        """([sel, kind]) => { const v = document.querySelector(sel);
        const t = [...v.textTracks].find(t => t.kind === kind);
        return t && t.cues && t.cues.length > 0; }""", arg=[selector, kind], timeout=10_000)
    return page.evaluate(  # type: ignore[no-any-return]
        """([sel, kind]) => [...document.querySelector(sel).textTracks]
        .find(t => t.kind === kind).cues.length""", [selector, kind])


def assert_not_blank(path: Path) -> None:
    with Image.open(path) as im:
        gray = im.convert("L")
        lo, hi = gray.getextrema()  # type: ignore[misc]
        assert hi - lo > 60 and ImageStat.Stat(gray).stddev[0] > 5, f"{path} looks blank"


@pytest.mark.slow
def test_gallery_over_http_plays_with_captions_and_chapters(
    browser: Any, server: str, site: Path, tmp_path: Path
) -> None:
    m = manifest_of(site)
    page = Page(browser, f"{server}/index.html")
    durations = wait_for_metadata(page)
    assert set(durations) == {f"video-{SLUG}"}
    assert abs(durations[f"video-{SLUG}"] - m["duration"]) <= 1 / m["fps"]
    video = f"#video-{SLUG}"
    assert page.evaluate(f"document.querySelector('{video}').videoWidth") == m["width"]
    assert track_cues(page, video, "captions") == m["captions"]["cues"]
    assert track_cues(page, video, "chapters") == len(m["sections"])
    first_chapter = page.evaluate(
        f"""[...document.querySelector('{video}').textTracks].find(t => t.kind === 'chapters')
        .cues[0].text""")
    assert first_chapter == m["sections"][0]["title"]
    # the poster shows before playing: the player is not a black box
    page.locator(video).screenshot(path=str(tmp_path / "player.png"))
    assert_not_blank(tmp_path / "player.png")
    # play a moment (muted, so autoplay policy allows play()) and see time advance
    page.evaluate(f"() => {{ const v = document.querySelector('{video}'); v.muted = true; "
                  "return v.play(); }")
    page.wait_for_function(f"document.querySelector('{video}').currentTime > 0.6",
                           timeout=15_000)
    # the chapter list opens, and a chapter button seeks its video
    page.locator(f"#{SLUG} summary", has_text="Chapters").click()
    button = page.locator(f"#{SLUG} button[data-seek]").nth(8)
    assert m["sections"][8]["title"] in button.inner_text()
    button.click()
    page.wait_for_function(
        f"Math.abs(document.querySelector('{video}').currentTime - {m['sections'][8]['start']})"
        " < 1.5", timeout=10_000)
    page.screenshot(path=str(tmp_path / "gallery.png"), full_page=True)
    assert_not_blank(tmp_path / "gallery.png")
    assert page.errors == []
    page.close()


@pytest.mark.slow
def test_both_sources_decode_in_chromium(browser: Any, server: str, site: Path) -> None:
    m = manifest_of(site)
    # embed.html is a snippet, not a page: the course page it goes into has the icon
    page = Page(browser, f"{server}/{SLUG}/embed.html", page_icon=False)
    durations = wait_for_metadata(page)
    assert len(durations) == 1
    for kind in ("mp4", "webm"):
        src = f"{SLUG}/{m['video'][kind]['file']}"
        duration = page.evaluate(
            """src => new Promise((ok, fail) => { const v = document.createElement('video');
            v.preload = 'metadata'; v.muted = true; v.onloadedmetadata = () => ok(v.duration);
            v.onerror = () => fail(new Error('cannot play ' + src)); v.src = '/' + src; })""",
            src)
        assert abs(duration - m["duration"]) <= 1 / m["fps"], kind
        mime = f'video/{kind}; codecs="{m["video"][kind]["codec_string"]}"'
        assert page.evaluate("t => document.createElement('video').canPlayType(t)",
                             mime) == "probably", mime
    # the snippet's relative caption file loads when served over http
    assert track_cues(page, "video", "captions") == m["captions"]["cues"]
    assert page.errors == []
    page.close()


@pytest.mark.slow
def test_gallery_from_file_url(browser: Any, site: Path) -> None:
    m = manifest_of(site)
    page = Page(browser, (site / "index.html").as_uri())
    durations = wait_for_metadata(page)
    assert abs(durations[f"video-{SLUG}"] - m["duration"]) <= 1 / m["fps"]
    # tracks are inlined as data: URLs, which Chromium loads from file:// pages
    assert track_cues(page, f"#video-{SLUG}", "captions") == m["captions"]["cues"]
    assert page.errors == []
    page.close()


@pytest.mark.slow
def test_gallery_html_is_self_contained(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    urls = re.findall(r'(?:src|href|poster)="([^"]*)"', html)
    assert urls
    for url in urls:
        assert url.startswith(("data:", "#", f"{SLUG}/")), url  # inline or relative
        assert url.startswith("data:") or ("://" not in url and ".." not in url)
    assert "<script src" not in html and "@import" not in html
    assert re.findall(r"<link [^>]*>", html) == [f'<link rel="icon" href="{urls[0]}">']
    # the embed snippet is shown escaped, and unescapes to the bundle's embed.html
    snippet = re.search(r"<pre><code>(.*?)</code></pre>", html, re.S)
    assert snippet and "&lt;video controls playsinline" in snippet.group(1)
    assert unescape(snippet.group(1)) == (site / SLUG / "embed.html").read_text(encoding="utf-8")
