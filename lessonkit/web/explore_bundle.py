"""The explorable twins of a bundle: one page per nudge part, from the same spec as the video.

A clip gets `explore.html`; a lesson gets `explore.html` for its first nudge part and
`explore-<part>.html` for each other one. Each page holds the part's function (as lessonkit
parsed it, for the page's own exact evaluator), its points, nudges and plotting window, the
video's chapters of that part with the a and Δa each shows, and the page's words in the
lesson's language: the numbers a student sees there are the video's numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lessonkit.base.fsutil import write_text
from lessonkit.lesson.i18n import Words
from lessonkit.lesson.spec import ClipSpec, LessonSpec
from lessonkit.lesson.storyboard import Step
from lessonkit.maths.numbers import Value
from lessonkit.parts.nudge.twin.functions import twin_function
from lessonkit.parts.nudge.twin.page import ENGLISH_WORDS, EXPLORE_FILE, explore_html
from lessonkit.web.chapters import Chapter
from lessonkit.web.embed import sources

__all__ = ["MATH_JS", "write_explore_pages", "twin_of"]

MATH_JS = Path(__file__).parents[1] / "parts" / "nudge" / "twin" / "twin_math.js"


def _parts(target: ClipSpec | LessonSpec) -> list[tuple[str, str, ClipSpec]]:
    """(part name, label, clip) of every nudge part; a clip is its own one part."""
    if isinstance(target, LessonSpec):
        return [(p.name, p.label, p.clip) for p in target.nudge_parts]
    return [("", target.function.formula, target)]


def page_name(index: int, part: str) -> str:
    """explore.html for the first part, explore-<part>.html for the others."""
    return EXPLORE_FILE if index == 0 else f"explore-{part}.html"


def twin_of(
    clip: ClipSpec,
    title: str,
    words: Words,
    steps: list[tuple[Chapter, Step]],
    manifest: dict[str, Any],
) -> dict[str, Any]:
    """The twin dict explore_html draws (see lessonkit.parts.nudge.twin.page)."""
    fn = clip.function
    points = [Value(a).text() for a in clip.points]
    schedule = [Value(d).text() for d in clip.schedule]
    window = clip.window
    chapters = []
    for chapter, step in steps:
        a = Value(step.spec.points[step.point_index]).text() if step.spec is not None else None
        chapters.append(
            {
                "name": chapter.name,
                "title": chapter.title,
                "start": round(chapter.start, 3),
                "end": round(chapter.end, 3),
                "a": a if step.kind not in ("graph", "rule") else None,
                "da": step.row.da.text() if step.row is not None else None,
            }
        )
    tracks = [
        {
            "file": t["file"],
            "kind": "captions",
            "lang": t["lang"],
            "label": t["label"],
            "default": t["default"],
        }
        for t in manifest.get("caption_tracks", [])
    ]
    chapters_file = manifest["chapters"]["file"]
    tracks.append({"file": chapters_file, "kind": "chapters", "lang": words.language})
    return {
        "title": title,
        "language": words.language,
        "digits": clip.digits,
        "function": twin_function(fn),
        "formula": fn.formula,
        "derivative": fn.derivative_formula,
        "points": points,
        "schedule": schedule,
        "start": {"a": points[0], "da": schedule[0]},
        "window": {
            "x0": window.x_min,
            "x1": window.x_max,
            "y0": window.y_min,
            "y1": window.y_max,
        },
        "steps": chapters,
        "video": {
            "sources": [{"file": s["file"], "type": s["type"]} for s in sources(manifest)],
            "poster": manifest["poster"]["file"],
            "width": manifest["width"],
            "height": manifest["height"],
            "tracks": tracks,
        },
        "words": {key: words(text) for key, text in ENGLISH_WORDS.items()},
    }


def write_explore_pages(
    target: ClipSpec | LessonSpec,
    chapters: list[Chapter],
    steps: list[Step],
    manifest: dict[str, Any],
    folder: Path,
) -> list[dict[str, Any]]:
    """Write every explore page of the bundle into `folder`; what the manifest lists."""
    math = MATH_JS.read_text(encoding="utf-8")
    by_name = {s.name: s for s in steps}
    words = target.words
    pages = []
    for index, (part, label, clip) in enumerate(_parts(target)):
        own = [
            (c, by_name[c.name])
            for c in chapters
            if c.name in by_name and (not part or by_name[c.name].part == part)
        ]
        title = manifest["title"] if not part else f"{label} · {manifest['title']}"
        twin = twin_of(clip, title, words, own, manifest)
        name = page_name(index, part)
        write_text(folder / name, explore_html(twin, math))
        pages.append({"file": name, "part": part or None, "title": title})
    return pages
