"""manifest.json: what a web bundle holds, for people, course tools and `lessonkit site`.

The manifest states the maths (function, points, exact derivative values), the video's
measured facts (duration, size, frame rate, sections with start and end times) and every
other file of the bundle with its byte size and SHA-256. It is written last, so a bundle
with a manifest is complete.

For a clip, `function`, `points`, `nudges` and `derivatives` sit at the top level; every
bundle (the lesson too) also lists its clips under `clips`, in playing order.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.lesson.spec import ClipSpec, LessonSpec
from lessonkit.maths.numbers import Value
from lessonkit.web.files import sha256_file, write_text

__all__ = [
    "SCHEMA",
    "REQUIRED",
    "clip_facts",
    "target_facts",
    "number",
    "write_manifest",
    "read_manifest",
    "file_problems",
]

SCHEMA = "lessonkit-web-bundle/1"
REQUIRED = (
    "schema",
    "slug",
    "title",
    "duration",
    "width",
    "height",
    "fps",
    "sections",
    "files",
    "video",
    "poster",
    "captions",
    "chapters",
    "animation",
)


def number(q: Fraction | float) -> int | float:
    """A JSON number: an int when whole (30, not 30.0), else a float."""
    f = Fraction(q) if not isinstance(q, float) else Fraction(q).limit_denominator(1_000_000)
    return int(f) if f.denominator == 1 else round(float(f), 6)


def _derivative(spec: ClipSpec, a: Fraction) -> dict[str, object]:
    v = spec.function.derivative(a)
    at = Value(a).text()
    return {
        "a": at,
        "value": v.text(),
        "exact": v.shows_exactly,
        "fraction": str(v.q),
        "text": f"f'({at}) {'=' if v.shows_exactly else '≈'} {v.text()}",
    }


def clip_facts(spec: ClipSpec) -> dict[str, object]:
    """A clip's maths: function, points, nudges and f'(a) at each point, exact numbers as text."""
    fn = spec.function
    return {
        "slug": spec.slug,
        "title": spec.title,
        "function": fn.name,
        "formula": fn.formula,
        "derivative_formula": fn.derivative_formula,
        "points": [Value(a).text() for a in spec.points],
        "nudges": [Value(d).text() for d in spec.schedule],
        "derivatives": [_derivative(spec, a) for a in spec.points],
    }


def target_facts(target: ClipSpec | LessonSpec) -> dict[str, object]:
    """The manifest's head: slug, title, kind, the clip's maths (top level) and `clips`."""
    if isinstance(target, LessonSpec):
        clips = list(target.clips)
        return {
            "slug": target.slug,
            "title": target.title,
            "kind": "lesson",
            "clips": [clip_facts(c) for c in clips],
        }
    facts = clip_facts(target)
    head = {k: facts[k] for k in ("slug", "title")}
    rest = {
        k: facts[k]
        for k in ("function", "formula", "derivative_formula", "points", "nudges", "derivatives")
    }
    return {**head, "kind": "clip", **rest, "clips": [facts]}


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    """Write the manifest atomically, with the schema and generator first."""
    ordered = {"schema": SCHEMA, "generator": f"lessonkit {__version__}", **manifest}
    return write_text(path, json.dumps(ordered, indent=2, ensure_ascii=False) + "\n")


def read_manifest(path: Path) -> dict[str, Any]:
    """A bundle's manifest, checked for the fields a gallery and embed need."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LessonError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise LessonError(f"{path} is not a lessonkit web bundle manifest ({SCHEMA})")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise LessonError(f"{path} lacks {', '.join(missing)}; export the clip again")
    return data


def file_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Files the manifest lists that are missing or differ in size or hash (empty: all good)."""
    problems = []
    for entry in manifest.get("files", []):
        path = folder / str(entry["name"])
        if not path.is_file():
            problems.append(f"{entry['name']}: missing")
        elif path.stat().st_size != entry["bytes"]:
            problems.append(
                f"{entry['name']}: {path.stat().st_size} bytes, manifest says {entry['bytes']}"
            )
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{entry['name']}: sha256 differs from the manifest")
    return problems
