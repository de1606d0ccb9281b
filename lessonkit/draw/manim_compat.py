"""Where lessonkit depends on Manim's internals: the version they were checked against,
and the two patches lessonkit applies to Manim's own code, both about files that several
processes share.

lessonkit subclasses or reaches into Manim in a few places (ZoomCamera in camera.py: the
frame's properties, context path and static image; readouts.py: DecimalNumber's glyph
layout), each with a test that compares it with plain drawing. Those were checked against
Manim 0.22.x only, so importing the drawing layer with another minor version stops at once
with one line saying what to install, instead of drawing something subtly wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError

__all__ = [
    "TESTED_MANIM",
    "check_manim_version",
    "atomic_typst_to_svg_file",
    "generate_mobject_privately",
    "install",
]

#: The Manim minor version lessonkit's overrides were written and tested against.
TESTED_MANIM = "0.22"


def check_manim_version(version: str) -> None:
    """Refuse a Manim whose minor version differs from the tested one."""
    if ".".join(version.split(".")[:2]) != TESTED_MANIM:
        raise LessonError(
            f"lessonkit draws with Manim {TESTED_MANIM}.x, but Manim {version} is installed: "
            f"pip install 'manim[typst]>={TESTED_MANIM},<0.{int(TESTED_MANIM.split('.')[1]) + 1}'"
        )


def _valid_svg(path: Path) -> bool:
    """A whole SVG file: not empty, and it closes its root element (a full disk or a killed
    process can leave a file that is neither)."""
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64))
            tail = f.read()
    except OSError:
        return False
    return size > 0 and b"</svg>" in tail


def atomic_typst_to_svg_file(typst_code: str, preamble: str = "", **kwargs: Any) -> Path:
    """Manim's Typst compile, made safe for several processes sharing one SVG cache:
    each writes its own temporary files and renames the finished SVG into place, and a
    damaged cache entry (empty, cut short) is compiled again instead of being read.

    Why an override: Manim writes `<hash>.typ` and `<hash>.svg` in place, so two renders
    compiling the same text collide, and a failed write poisons the cache for good.
    """
    import typst as typst_compiler
    from manim import config
    from manim.utils import typst_file_writing as manim_typst

    text_size = kwargs.get("text_size", manim_typst.TYPST_COMPILATION_FONT_SIZE)
    font_paths = kwargs.get("font_paths") or []
    full_source = manim_typst.TYPST_TEMPLATE.format(
        text_size=text_size, preamble=preamble, body=typst_code
    )
    content_hash = manim_typst._typst_hash(full_source)
    folder = Path(config.get_dir("tex_dir"))
    folder.mkdir(parents=True, exist_ok=True)
    svg_file = folder / f"{content_hash}.svg"
    if svg_file.exists() and _valid_svg(svg_file):
        return svg_file
    pid = os.getpid()
    typ_file = folder / f"{content_hash}.{pid}.typ"
    tmp_svg = folder / f".{content_hash}.{pid}.svg.tmp"
    try:
        typ_file.write_text(full_source, encoding="utf-8")
        svg_bytes = typst_compiler.compile(str(typ_file), format="svg", font_paths=font_paths)
        tmp_svg.write_bytes(svg_bytes)
        os.replace(tmp_svg, svg_file)
    finally:
        typ_file.unlink(missing_ok=True)
        tmp_svg.unlink(missing_ok=True)
    return svg_file


def generate_mobject_privately(self: Any) -> Any:
    """Manim's SVGMobject.generate_mobject with a temporary file of this process's own.

    Why an override: Manim dumps the modified SVG to `<name>_.svg` beside the cached file
    and deletes it after parsing, so two renders drawing the same glyph delete each
    other's file mid-parse (FileNotFoundError). The drawing is unchanged.
    """
    import xml.etree.ElementTree as ET

    import svgelements as se
    from manim import RIGHT

    file_path = Path(self.get_file_path())
    new_tree = self.modify_xml_tree(ET.parse(file_path))
    private = file_path.with_name(f".{file_path.stem}.{os.getpid()}.{id(self)}_.svg")
    try:
        new_tree.write(private)
        svg = se.SVG.parse(private)
    finally:
        private.unlink(missing_ok=True)
    mobjects, mobject_dict = self.get_mobjects_from(svg)
    self.add(*mobjects)
    self.id_to_vgroup_dict = mobject_dict
    self.flip(RIGHT)  # Flip y
    return self


_installed = False
_original_generate_mobject: Any = None  # Manim's own, kept for the test that compares


def install() -> None:
    """Check the Manim version and apply the patch (once per process)."""
    global _installed
    if _installed:
        return
    import manim
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import typst_mobject

    check_manim_version(manim.__version__)
    global _original_generate_mobject
    _original_generate_mobject = SVGMobject.generate_mobject
    typst_mobject.typst_to_svg_file = atomic_typst_to_svg_file  # type: ignore[assignment]
    SVGMobject.generate_mobject = generate_mobject_privately  # type: ignore[method-assign]
    _installed = True
