"""The bundle folder as a whole: its files, poster, embed snippet, atomic writes, re-exports."""

from __future__ import annotations

import os
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import clip_spec
from lessonkit.render import RenderResult
from lessonkit.web.bundle import Bundle, write_bundle
from lessonkit.web.chapters import converged_step
from lessonkit.web.files import atomic_path, write_text
from lessonkit.web.preview import is_blank

SLUG = "square-a2-a5"


@pytest.fixture(scope="module")
def result(web_render: RenderResult) -> RenderResult:
    return web_render


class Tags(HTMLParser):
    """Start tags with their attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.slow
def test_bundle_holds_exactly_the_promised_files(bundle: Bundle) -> None:
    assert bundle.folder.name == SLUG
    names = sorted(p.name for p in bundle.folder.iterdir())
    assert names == sorted([f"{SLUG}.mp4", f"{SLUG}.webm", f"{SLUG}.gif", "poster.jpg",
                            "captions.en.vtt", "chapters.vtt", "embed.html", "explore.html",
                            "manifest.json"])
    assert [p.name for p in bundle.files][-1] == "manifest.json"  # written last
    assert bundle.total_bytes == sum(p.stat().st_size for p in bundle.folder.iterdir())


@pytest.mark.slow
def test_poster_is_a_telling_frame_not_a_blank_one(bundle: Bundle) -> None:
    with Image.open(bundle.folder / "poster.jpg") as im:
        assert im.format == "JPEG" and im.size == (192, 108)
        assert not is_blank(im)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50


@pytest.mark.slow
def test_embed_snippet(bundle: Bundle) -> None:
    html = (bundle.folder / "embed.html").read_text(encoding="utf-8")
    found = tags(html)
    video = next(a for t, a in found if t == "video")
    for flag in ("controls", "playsinline"):
        assert flag in video
    assert video["preload"] == "metadata" and video["poster"] == "poster.jpg"
    assert "width:100%" in (video["style"] or "")  # responsive
    sources = [a for t, a in found if t == "source"]
    assert {s["src"] for s in sources} == {f"{SLUG}.mp4", f"{SLUG}.webm"}
    types = {s["src"]: s["type"] for s in sources}
    assert types[f"{SLUG}.mp4"].startswith('video/mp4; codecs="avc1.')  # type: ignore[union-attr]
    assert types[f"{SLUG}.webm"] == 'video/webm; codecs="vp9"'
    tracks = {a["kind"]: a for t, a in found if t == "track"}
    assert tracks["captions"]["srclang"] == "en" and "default" in tracks["captions"]
    assert tracks["captions"]["src"] == "captions.en.vtt"
    assert tracks["chapters"]["src"] == "chapters.vtt"
    links = [a["href"] for t, a in found if t == "a"]
    assert f"{SLUG}.mp4" in links  # the fallback link
    assert "://" not in html.replace("file://", "")  # relative links only


@pytest.mark.slow
def test_re_export_replaces_files_and_removes_stale_ones(result: RenderResult,
                                                         tmp_path: Path) -> None:
    root = tmp_path / "web"
    first = write_bundle(result, root=root)
    stale = first.folder / f"{SLUG}.webp"
    stale.write_bytes(b"old")
    (first.folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = (first.folder / "poster.jpg").stat().st_ino
    second = write_bundle(result, root=root)
    assert not stale.exists()
    assert (second.folder / "notes.txt").exists()  # not ours: left alone
    assert (second.folder / "poster.jpg").stat().st_ino != before  # replaced, not rewritten
    assert not [p for p in second.folder.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_missing_sections_file_is_a_lesson_error(result: RenderResult, tmp_path: Path) -> None:
    broken = replace(result, sections=tmp_path / "nope.json")
    with pytest.raises(LessonError, match="sections"):
        write_bundle(broken, root=tmp_path / "web")


@pytest.mark.slow
def test_blank_still_falls_back_to_the_video_frame(result: RenderResult, tmp_path: Path) -> None:
    blank = tmp_path / "10-shrink-a5-d0.001.png"
    Image.new("RGB", (192, 108), (11, 13, 18)).save(blank)
    bundle = write_bundle(replace(result, stills=[blank]), root=tmp_path / "web")
    assert bundle.manifest["poster"]["from"] == "video"
    with Image.open(bundle.folder / "poster.jpg") as im:
        assert not is_blank(im)


def test_atomic_path_leaves_the_old_file_on_error(tmp_path: Path) -> None:
    target = write_text(tmp_path / "a.vtt", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["a.vtt"]


def test_atomic_path_keeps_the_suffix(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "clip.webm") as tmp:
        assert tmp.suffix == ".webm" and tmp.parent == tmp_path and tmp.name.startswith(".")
        tmp.write_bytes(b"x")
    assert (tmp_path / "clip.webm").read_bytes() == b"x"


def test_converged_step_choice() -> None:
    assert converged_step(clip_spec("square")).name == "shrink-a5-d0.001"
    assert converged_step(clip_spec("cube")).name == "shrink-a2-d0.001"
    assert converged_step(clip_spec("square", ["2"], ["1"])).name == "slope-a2"  # no shrink
    assert converged_step(default_lesson()).name == "square-shrink-a5-d0.001"
