"""manifest.json: the maths, the measured video facts, and every file's size and hash."""

from __future__ import annotations

import hashlib
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import default_lesson
from lessonkit.lesson.spec import clip_spec
from lessonkit.web.bundle import Bundle
from lessonkit.web.manifest import SCHEMA, file_problems, read_manifest, target_facts
from lessonkit.web.media import probe


def on_disk(bundle: Bundle) -> dict[str, object]:
    return json.loads((bundle.folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_manifest_on_disk_is_the_returned_one_and_valid(bundle: Bundle) -> None:
    m = read_manifest(bundle.folder / "manifest.json")
    assert m["schema"] == SCHEMA and m["generator"].startswith("lessonkit ")
    assert {k: v for k, v in m.items() if k not in ("schema", "generator")} == bundle.manifest


@pytest.mark.slow
def test_every_file_listed_with_true_size_and_sha256(bundle: Bundle) -> None:
    m = on_disk(bundle)
    names = {f["name"] for f in m["files"]}  # type: ignore[index]
    on_folder = {p.name for p in bundle.folder.iterdir()} - {"manifest.json"}
    assert names == on_folder
    for entry in m["files"]:  # type: ignore[union-attr]
        data = (bundle.folder / entry["name"]).read_bytes()
        assert entry["bytes"] == len(data) > 0
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert file_problems(bundle.folder, m) == []  # type: ignore[arg-type]
    roles = {f["role"] for f in m["files"]}  # type: ignore[union-attr]
    assert roles == {"video/mp4", "video/webm", "poster", "animation", "captions", "chapters",
                     "embed", "explore"}


@pytest.mark.slow
def test_maths_comes_from_the_spec(bundle: Bundle) -> None:
    m = bundle.manifest
    spec = clip_spec("square")
    assert (m["slug"], m["title"], m["kind"]) == (spec.slug, spec.title, "clip")
    assert m["function"] == "square" and m["points"] == ["2", "5"]
    assert m["nudges"] == ["1", "0.1", "0.01", "0.001"]
    values = [d["value"] for d in m["derivatives"]]
    assert values == [spec.function.derivative(a).text() for a in spec.points] == ["4", "10"]
    assert [d["text"] for d in m["derivatives"]] == ["f'(2) = 4", "f'(5) = 10"]


@pytest.mark.slow
def test_video_facts_are_measured(bundle: Bundle) -> None:
    m = bundle.manifest
    info = probe(bundle.folder / m["video"]["mp4"]["file"])
    assert (m["width"], m["height"], m["fps"], m["frames"]) == (192, 108, 5, info.frames)
    assert abs(m["duration"] - info.duration) <= 1 / info.fps
    assert isinstance(m["fps"], int)


@pytest.mark.slow
def test_sections_tile_the_video(bundle: Bundle) -> None:
    m = bundle.manifest
    sections = m["sections"]
    assert sections[0]["start"] == 0
    assert abs(sections[-1]["end"] - m["duration"]) <= 1 / m["fps"]
    for a, b in zip(sections, sections[1:], strict=False):
        assert a["end"] == b["start"] and a["start"] < a["end"]
    assert sum(s["frames"] for s in sections) == m["frames"]
    for s in sections:
        assert s["title"] and s["caption"] and s["name"]
        assert s["start"] == round(s["start_frame"] / m["fps"], 3)


@pytest.mark.slow
def test_poster_is_the_converged_nudge(bundle: Bundle) -> None:
    poster = bundle.manifest["poster"]
    assert poster["section"] == "shrink-a5-d0.001"  # the last shrink step of the clip
    section = next(s for s in bundle.manifest["sections"] if s["name"] == poster["section"])
    assert section["start"] <= poster["time"] <= section["end"]
    assert poster["from"] == "still"


@pytest.mark.slow
def test_file_problems_finds_a_changed_file(bundle: Bundle, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundle.folder, copy)
    (copy / "chapters.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (copy / "poster.jpg").unlink()
    m = read_manifest(copy / "manifest.json")
    problems = file_problems(copy, m)
    assert any(p.startswith("chapters.vtt:") for p in problems)
    assert "poster.jpg: missing" in problems


def test_read_manifest_rejects_foreign_json(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text('{"name": "something else"}', encoding="utf-8")
    with pytest.raises(LessonError, match="not a lessonkit web bundle"):
        read_manifest(path)
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(LessonError, match="cannot read"):
        read_manifest(path)
    path.write_text(json.dumps({"schema": SCHEMA, "slug": "x"}), encoding="utf-8")
    with pytest.raises(LessonError, match="lacks"):
        read_manifest(path)


def test_rounded_derivatives_say_so() -> None:
    facts = target_facts(clip_spec("log", ["3"]))
    (d,) = facts["derivatives"]  # type: ignore[misc]
    assert d["fraction"] == "1/3" and d["exact"] is False
    assert d["text"].startswith("f'(3) ≈ 0.333333")
    assert Fraction(d["fraction"]) == Fraction(1, 3)


def test_lesson_facts_list_every_clip() -> None:
    facts = target_facts(default_lesson())
    assert facts["kind"] == "lesson" and facts["slug"] == "more-derivative-examples"
    assert "function" not in facts
    clips = facts["clips"]
    assert [c["function"] for c in clips] == ["linear", "square", "cube", "log"]  # type: ignore[union-attr]
    assert clips[1]["derivatives"][1]["value"] == "10"  # type: ignore[index]
