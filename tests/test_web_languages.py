"""A lesson exported in Korean with English captions too (and the other way round): one VTT
per language timed by the same sections, every track in the embed snippet, the video's own
language the default, and the gallery's labels in the clip's language."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import srt
from babel.messages.pofile import read_po, write_po
from conftest import FPS, SIZE
from test_web_bundle import tags

from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.messages import lesson_messages, update_catalogue
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.web.bundle import Bundle, write_bundle

pytestmark = pytest.mark.slow

LESSON = """title = "Slopes"
captions = ["en", "ko"]

[[part]]
function = "square"
points = [2]
nudges = [1, 0.1]
label = "Squares"

[[part]]
card = "text"
heading = "Remember"
lines = ["The derivative is the slope."]
"""
KOREAN = {
    "Slopes": "기울기",
    "Squares": "제곱",
    "Remember": "기억하기",
    "The derivative is the slope.": "도함수는 기울기입니다.",
}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def lesson_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small lesson and its Korean catalogue, written as an author and translator would."""
    folder = tmp_path_factory.mktemp("lesson")
    path = folder / "slopes.toml"
    path.write_text(LESSON, encoding="utf-8")
    po = folder / "slopes.ko.po"
    update_catalogue(po, "ko", lesson_messages(path))
    with open(po, "rb") as fh:
        cat = read_po(fh)
    for message in cat:
        if message.id:
            message.string = KOREAN[message.id]
    out = io.BytesIO()
    write_po(out, cat)
    po.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def export(
    lesson_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Bundle]:
    """`export(lang)`: the lesson rendered tiny in `lang` and exported (once per language)."""
    from lessonkit.lesson.spec import QUALITIES
    from lessonkit.render import RenderJob, render

    media = tmp_path_factory.mktemp("media")
    made: dict[str, Bundle] = {}

    def get(lang: str) -> Bundle:
        if lang not in made:
            lesson = load_lesson(lesson_file, lang)
            job = RenderJob(lesson, QUALITIES["preview"], FPS, media, size=SIZE, stills=True)
            made[lang] = write_bundle(render(job))
        return made[lang]

    return get


def vtt_cues(path: Path) -> list[tuple[str, str, str]]:
    """(start, end, text) of each cue of a WebVTT file."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    cues = []
    for block in blocks:
        lines = [x for x in block.strip().split("\n") if x]
        timing = next(i for i, x in enumerate(lines) if "-->" in x)
        start, end = lines[timing].split(" --> ")
        cues.append((start, end, "\n".join(lines[timing + 1:])))
    return cues


def test_korean_video_carries_korean_and_english_captions(
    export: Callable[[str], Bundle], lesson_file: Path
) -> None:
    bundle = export("ko")
    folder, manifest = bundle.folder, bundle.manifest
    assert folder.name == "slopes-ko" and manifest["language"] == "ko"
    assert manifest["title"] == "기울기"
    tracks = manifest["caption_tracks"]
    assert [(t["file"], t["lang"], t["label"], t["default"]) for t in tracks] == [
        ("captions.ko.vtt", "ko", "한국어", True),
        ("captions.en.vtt", "en", "English", False),
    ]
    assert manifest["captions"] == tracks[0]
    ko, en = vtt_cues(folder / "captions.ko.vtt"), vtt_cues(folder / "captions.en.vtt")
    # the same times, cue for cue; the words of each language's storyboard
    assert [c[:2] for c in ko] == [c[:2] for c in en] and len(ko) == tracks[0]["cues"]
    english = [s.caption for s in lesson_steps(load_lesson(lesson_file, "en"))]
    korean = [s.caption for s in lesson_steps(load_lesson(lesson_file, "ko"))]
    assert [c[2] for c in en] == english and [c[2] for c in ko] == korean
    assert all(HANGUL.search(c[2]) for c in ko)
    # the Korean track is the render's own captions, made into WebVTT
    video = folder.parent.parent / "videos"  # media/videos/slopes-ko/...
    srt_files = list(video.rglob("slopes-ko.srt"))
    assert [s.content for s in srt.parse(srt_files[0].read_text("utf-8"))] == korean
    # chapters in Korean, with the same numbers
    chapters = (folder / "chapters.vtt").read_text(encoding="utf-8")
    assert "제곱: Δa를 0.1까지 줄이기: Δf/Δa = 4.1" in chapters
    listed = {f["name"]: f["role"] for f in manifest["files"]}
    assert listed["captions.ko.vtt"] == listed["captions.en.vtt"] == "captions"


def test_embed_lists_every_track_with_the_video_language_default(
    export: Callable[[str], Bundle],
) -> None:
    html = (export("ko").folder / "embed.html").read_text(encoding="utf-8")
    found = [a for t, a in tags(html) if t == "track"]
    assert [(a["kind"], a["srclang"], a["label"], a["src"], "default" in a) for a in found] == [
        ("captions", "ko", "한국어", "captions.ko.vtt", True),
        ("captions", "en", "English", "captions.en.vtt", False),
        ("chapters", "ko", "챕터", "chapters.vtt", False),
    ]
    assert "이 브라우저에서는 영상을 재생할 수 없습니다." in html


def test_english_video_defaults_to_english(export: Callable[[str], Bundle]) -> None:
    bundle = export("en")
    tracks = bundle.manifest["caption_tracks"]
    assert bundle.folder.name == "slopes" and bundle.manifest["language"] == "en"
    assert [(t["lang"], t["default"]) for t in tracks] == [("en", True), ("ko", False)]
    html = (bundle.folder / "embed.html").read_text(encoding="utf-8")
    found = [a for t, a in tags(html) if t == "track"]
    assert [(a["srclang"], "default" in a) for a in found] == [
        ("en", True), ("ko", False), ("en", False)
    ]


def test_gallery_labels_each_clip_in_its_language(export: Callable[[str], Bundle]) -> None:
    from lessonkit.web.gallery import build_site

    ko, _ = export("ko"), export("en")
    media = ko.folder.parent.parent
    site = build_site(media)
    assert site.warnings == []
    html = site.index.read_text(encoding="utf-8")
    articles = {a["id"]: a for t, a in tags(html) if t == "article"}
    assert articles["slopes-ko"]["lang"] == "ko" and articles["slopes"]["lang"] == "en"
    korean = html.split('id="slopes-ko"')[1].split("</article>")[0]
    english = html.split('id="slopes"')[1].split("</article>")[0]
    for label in ("챕터 (", "이 클립 삽입하기", "자막 (ko)", "자막 (en)", "포스터", "클립 1개"):
        assert label in korean, label
    for label in ("Chapters (", "Embed this clip", "captions (ko)", "poster", "1 clip ·"):
        assert label in english, label
    # every caption track of both clips is inlined for file:// viewing
    assert korean.count('kind="captions"') == 2 and english.count('kind="captions"') == 2
    assert ko.manifest["poster"]["file"] == "poster.jpg"


def test_manifest_round_trips(export: Callable[[str], Bundle]) -> None:
    data: dict[str, Any] = json.loads((export("ko").folder / "manifest.json").read_text("utf-8"))
    assert data["language"] == "ko" and len(data["caption_tracks"]) == 2
