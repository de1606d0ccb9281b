"""Where lessonkit depends on Manim's internals: the version they were checked against, and
every override of Manim's own code, each with one line saying why.

Two patches make files that several processes share safe (Manim's Typst SVG cache and its
SVG parse). The classes below are what lessonkit's drawing builds on: `PatchedMovingCamera`
(ZoomCamera in camera.py), `PatchedMovingCameraScene` (LessonScene, camera.py) and
`PatchedDecimalNumber` (LiveNumber, parts/nudge/live_number.py). Each override has a test
that compares it with plain Manim drawing (tests/test_draw_manim_compat.py, test_draw_camera.py
and test_faults.py). They were checked against Manim 0.22.x only, so importing this module
(importing the drawing layer does) with another minor version stops at once with one line
saying what to install, instead of drawing something subtly wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import cairo
import manim
import numpy as np
from manim import LEFT, DecimalNumber, MovingCamera, MovingCameraScene, VMobject, config

from lessonkit.base.errors import LessonError
from lessonkit.draw.hud import HUD_FLAG

__all__ = [
    "TESTED_MANIM",
    "check_manim_version",
    "atomic_typst_to_svg_file",
    "generate_mobject_privately",
    "install",
    "PatchedMovingCamera",
    "cached_subpaths",
    "PatchedMovingCameraScene",
    "PatchedDecimalNumber",
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


# first: the classes below read Manim 0.22's internals as they are defined
check_manim_version(manim.__version__)


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


# -- the camera ------------------------------------------------------------------------------
def _frame_prop(name: str) -> property:
    """MovingCamera's frame property `name`, read from the snapshot of one capture."""
    base: property = getattr(MovingCamera, name)

    def get(self: PatchedMovingCamera) -> Any:
        view = self._view
        return view[name] if view is not None else base.fget(self)  # type: ignore[misc]

    return property(get, base.fset)


class PatchedMovingCamera(MovingCamera):
    """MovingCamera with lessonkit's overrides of its drawing. ZoomCamera (camera.py) decides
    what is drawn, and how cheaply, through `draw_shown`, `shows` and `trace`."""

    _view: dict[str, Any] | None = None
    _on_hud = False

    # why: MovingCamera measures the frame's bounding box on every read, several per mobject
    frame_center = _frame_prop("frame_center")
    frame_width = _frame_prop("frame_width")
    frame_height = _frame_prop("frame_height")

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        # why: the frame cannot move during one capture, so its snapshot serves all of it
        self._view = {
            "frame_center": self.frame_center,
            "frame_width": self.frame_width,
            "frame_height": self.frame_height,
        }
        try:
            self.draw_shown(self.get_mobjects_to_display(mobjects, **kwargs))
        finally:
            self._view = None

    def draw_shown(self, shown: list[Any]) -> None:
        """Draw the mobjects of one capture, in order (ZoomCamera: the HUD from its layer)."""
        super().capture_mobjects(shown, include_submobjects=False)

    def _matrix(self, frame_width: float, frame_height: float) -> Any:
        """Scene units (relative to the frame's centre) to pixels, y pointing up."""
        pw, ph = self.pixel_width, self.pixel_height
        return cairo.Matrix(pw / frame_width, 0, 0, -(ph / frame_height), pw / 2, ph / 2)

    def get_cairo_context(self, pixel_array: Any) -> Any:
        # why: Cairo gets points relative to the view: small numbers, sharp glyphs at 1000x
        ctx = super().get_cairo_context(pixel_array)
        ctx.set_matrix(self._matrix(self.frame_width, self.frame_height))
        return ctx

    def display_vectorized(self, vmobject: Any, ctx: Any) -> Any:
        # why: Manim's Cairo camera has no fixed-in-frame mobjects: the HUD is drawn at the
        # home view, and what `shows` turns down is not drawn at all
        if getattr(vmobject, HUD_FLAG, False):
            ctx.save()
            ctx.set_matrix(self._matrix(config["frame_width"], config["frame_height"]))
            self._on_hud = True
            try:
                return super().display_vectorized(vmobject, ctx)
            finally:
                self._on_hud = False
                ctx.restore()
        if not self.shows(vmobject):
            return self
        return super().display_vectorized(vmobject, ctx)

    def shows(self, vmobject: Any) -> bool:
        """Whether a mobject outside the HUD is drawn (ZoomCamera: what the view can see)."""
        return True

    def transform_points_pre_display(self, mobject: Any, points: Any) -> Any:
        # why: the points drawn are relative to the view's centre (the HUD's to the home view's)
        points = super().transform_points_pre_display(mobject, points)
        return points if self._on_hud else points - self.frame_center

    def points_to_subpixel_coords(self, mobject: Any, points: Any) -> Any:
        # why: the base class subtracts the frame centre itself: undo ours first
        return super().points_to_subpixel_coords(mobject, np.asarray(points) + self.frame_center)

    def set_cairo_context_path(self, ctx: Any, vmobject: Any) -> Any:
        # why: Manim finds the subpaths again on every frame; they only change when the points
        # are replaced, so they are kept with the points they came from (`cached_subpaths`)
        points = vmobject.points
        ctx.new_path()
        if len(points) < 4 or len(points) % 4:
            return super().set_cairo_context_path(ctx, vmobject)
        shown = self.transform_points_pre_display(vmobject, points)
        self.trace(ctx, vmobject, shown[:, :2], cached_subpaths(vmobject, points, shown))
        return self

    def trace(
        self, ctx: Any, vmobject: Any, xy: np.ndarray, subpaths: list[tuple[int, int, bool]]
    ) -> None:
        """Trace the subpaths of `vmobject` (`xy`: its points as shown) into `ctx`, whole
        (ZoomCamera: a long stroke only near the view)."""
        flat = xy.tolist()
        move_to, curve_to, new_sub_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path
        for start, end, closed in subpaths:
            new_sub_path()
            move_to(*flat[start])
            for i in range(start, end - 3, 4):
                curve_to(*flat[i + 1], *flat[i + 2], *flat[i + 3])
            if closed:
                ctx.close_path()

    def apply_stroke(self, ctx: Any, vmobject: Any, background: bool = False) -> Any:
        # why: Manim's zoom correction divides the frame width by itself, so a stroke widens
        # with the zoom; scaled by the zoom here, it keeps its width in pixels
        if self._on_hud:
            return super().apply_stroke(ctx, vmobject, background)
        base = self.cairo_line_width_multiple
        self.cairo_line_width_multiple = base * self.frame_width / config["frame_width"]
        try:
            return super().apply_stroke(ctx, vmobject, background)
        finally:
            self.cairo_line_width_multiple = base


def cached_subpaths(
    vmobject: Any, points: np.ndarray, shown: np.ndarray
) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each subpath, cached until the points array is replaced.

    Moving, scaling or morphing a mobject assigns it a new array; the split structure
    of a kept array cannot change without a new array being assigned. Splits are found
    on the points as shown (frame-centre relative), where Manim's relative tolerance
    still tells a tiny glyph's strokes apart at 1000x.
    """
    cached = vmobject.__dict__.get("_lessonkit_subpaths")
    if cached is not None and cached[0] is points:
        return cached[1]  # type: ignore[no-any-return]
    split = vmobject.get_subpath_split_indices_from_points(shown, n_dims=2)
    subpaths = [
        (int(a), int(b), bool(vmobject.consider_points_equals_2d(shown[a], shown[b - 1])))
        for a, b in split
        if b - a >= 4
    ]
    vmobject.__dict__["_lessonkit_subpaths"] = (points, subpaths)
    return subpaths


# -- the scene -------------------------------------------------------------------------------
class PatchedMovingCameraScene(MovingCameraScene):
    """MovingCameraScene with lessonkit's overrides of its internals (LessonScene, camera.py)."""

    #: stills only: fades, writes and creations jump to their end (see `Cut`)
    cut_animations = False

    def get_moving_and_static_mobjects(self, animations: Any) -> tuple[list[Any], list[Any]]:
        # why: with animations cut there are no in-between frames, so no background worth
        # caching: Manim would draw it at every play of a storyboard only to throw it away
        moving, static = super().get_moving_and_static_mobjects(animations)
        if self.cut_animations:
            return moving + static, []
        return moving, static

    def frame_now(self) -> np.ndarray:
        """The picture as the scene stands now, also after plays whose animations were skipped."""
        if self.renderer.skip_animations or self.renderer.num_plays == 0:
            # why: the last play's cached background shows its first frame, not this one
            self.renderer.static_image = None
            self.renderer.update_frame(self)
        return self.renderer.get_frame()  # type: ignore[no-any-return]


# -- numbers ---------------------------------------------------------------------------------
class PatchedDecimalNumber(DecimalNumber):
    """DecimalNumber that shows a given text (`_shown`) and lays its glyphs out cheaply;
    LiveNumber (parts/nudge/live_number.py) gives it the text and the glyphs (`new_glyph`)."""

    _shown: str | None = None

    def new_glyph(self, char: str, styled: bool) -> VMobject:
        """A fresh glyph for `char`, in the number's colour when `styled`."""
        raise NotImplementedError("a PatchedDecimalNumber's subclass makes its glyphs")

    def _relayout(self, value: float) -> None:
        """DecimalNumber.set_value's layout (left edge and vertical centre kept, bottoms
        aligned, a minus sign raised to the digits' middle) for the text shown."""
        # why: set_value's per-glyph bounding-box queries, style matching and colour resets
        # cost about 4 times this (measured), for a readout that changes on most frames
        old = self.submobjects
        scale = self.height / self.initial_height if self.initial_height > 0 else 1.0
        anchor = self.get_edge_center(LEFT) if old else None
        style = old[0] if old else None
        glyphs = [self._string_to_mob(c, styled=style is None) for c in self._get_num_string(value)]
        buff = self.digit_buff_per_font_unit * self._font_size
        x = 0.0
        boxes = []
        for g in glyphs:
            lo, hi = g.points.min(axis=0), g.points.max(axis=0)
            g.points += np.array([x - lo[0], -lo[1], 0.0])
            boxes.append(hi - lo)
            x += hi[0] - lo[0] + buff
        for i, g in enumerate(glyphs[:-1]):
            if self._shown is not None and self._shown[i] == "-":
                # as DecimalNumber: top at the next glyph's top, then down half its height
                nxt = boxes[i + 1][1]
                g.points[:, 1] += nxt - boxes[i][1] - nxt / 2
        if style is not None:
            for g in glyphs:
                g.fill_rgbas = style.fill_rgbas.copy()
            for g in old:
                g.points = np.zeros((0, 3))  # animations holding the old glyphs draw nothing
        self.number = value
        self.submobjects = glyphs
        self.initial_height = self.height
        if anchor is not None:
            if scale != 1.0:
                self.scale(scale, about_point=np.zeros(3))
            self.move_to(anchor, LEFT)
        for g in glyphs:
            g.z_index = self.z_index  # the new digit glyphs keep the number's layer

    def _get_num_string(self, number: float | complex) -> str:
        # why: the digits shown are the text given (8.000012000006000001 digit for digit),
        # not Manim's formatting of a float
        return self._shown if self._shown is not None else super()._get_num_string(number)

    def _string_to_mob(
        self, string: str, mob_class: object = None, styled: bool = True, **kwargs: object
    ) -> VMobject:
        # why: DecimalNumber deep-copies a whole MathTypst mobject per digit (8.8 ms per
        # readout update at 1080p60, measured); `new_glyph` copies a bare outline
        return self.new_glyph(string, styled)
