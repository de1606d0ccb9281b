"""Shared CLI pieces: turning library errors into one-line messages, and shared options."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from lessonkit.base.errors import LessonError
from lessonkit.base.failures import failure_in_one_line
from lessonkit.lesson.narration import voice_for
from lessonkit.lesson.spec import (
    QUALITIES,
    ClipSpec,
    LessonSpec,
    clip_spec,
    parse_schedule,
    parse_size,
)

if TYPE_CHECKING:  # the CLI starts without the narration modules (`table` stays instant)
    pass

__all__ = [
    "planned",
    "friendly_errors",
    "points_option",
    "functions_argument",
    "build_targets",
    "parse_size",
    "lesson_option",
    "lang_option",
    "voice_option",
    "voice_for",
    "nudges_option",
    "side_option",
    "output_dir_option",
    "size_option",
    "jobs_option",
    "steps_drawn",
    "quality_option",
    "fps_option",
    "failure_in_one_line",
    "tell",
]

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Run a command so that a LessonError (bad input) becomes `Error: ...` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LessonError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None
        except BrokenPipeError:
            # the reader went away (`lessonkit table ... | head`): nothing left to say to it
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            raise SystemExit(1) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("LESSONKIT_DEBUG"):
                raise
            # a bug, not bad input: still one line (LESSONKIT_DEBUG=1 shows the traceback)
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {str(exc)[:200]} "
                "(rerun with LESSONKIT_DEBUG=1 for details)"
            ) from None

    return wrapper  # type: ignore[return-value]


def tell(message: str) -> None:
    """A progress or warning line for the user, on stderr (stdout carries the results)."""
    click.echo(message, err=True)


points_option = click.option(
    "--at",
    "points",
    multiple=True,
    metavar="A",
    help="A point to nudge from (repeatable); default: the function's lesson points.",
)

functions_argument = click.argument("functions", nargs=-1, metavar="[FUNCTION|LESSON.toml ...]")


def build_targets(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    lesson: bool,
    language: str | None = None,
    side: str | None = None,
) -> list[ClipSpec | LessonSpec]:
    """What a render/preview/export command asked for: one clip per FUNCTION, one lesson
    per lesson file (a path ending in .toml), or the shipped lesson; in `language` if given
    (else each lesson's own, and English for clips), nudged from `side` if given."""
    from lessonkit.lesson.lessonfile import is_lesson_path, load_lesson, shipped_lesson_path

    files = [f for f in functions if is_lesson_path(f)]
    if lesson:
        if functions or points or nudges or side:
            raise LessonError(
                "--lesson renders the shipped lesson: drop FUNCTION, --at, --nudges and --side"
            )
        return _drawable([load_lesson(shipped_lesson_path(), language)])
    if not functions:
        if points or nudges or side:
            raise LessonError("name a FUNCTION for --at/--nudges/--side (see `lessonkit list`)")
        return _drawable([load_lesson(shipped_lesson_path(), language)])
    if files and (points or nudges or side):
        raise LessonError(
            "a lesson file sets its own points, nudges and sides: drop --at, --nudges and --side"
        )
    schedule = parse_schedule(nudges) if nudges is not None else None
    return _drawable(
        [
            load_lesson(f, language)
            if is_lesson_path(f)
            else clip_spec(f, list(points) or None, list(schedule or ()), language, side=side)
            for f in functions
        ]
    )


def _drawable(targets: list[ClipSpec | LessonSpec]) -> list[ClipSpec | LessonSpec]:
    """The targets, once their languages' fonts are known to be installed: a missing font
    is reported before the first render starts, not after some have finished."""
    from lessonkit.draw.fonts import require_font

    for target in targets:
        require_font(target.words)
    return targets


lesson_option = click.option("--lesson", is_flag=True, help="The full lesson instead of clips.")
voice_option = click.option(
    "--voice",
    default=None,
    metavar="VOICE",
    help="none, espeak, piper or a folder of recordings (STEP.wav); default: the lesson's "
    "voice, none for preview.",
)


lang_option = click.option(
    "--lang",
    "language",
    default=None,
    metavar="LANG",
    help="Language of the words (captions, cards, chapters), e.g. ko; default: the lesson's.",
)
nudges_option = click.option(
    "--nudges",
    metavar="LIST",
    default=None,
    help="Comma-separated shrinking nudges, e.g. 1,0.1,0.01 (default 1,0.1,0.01,0.001).",
)
side_option = click.option(
    "--side",
    type=click.Choice(["right", "left", "both"]),
    default=None,
    help="Nudge from the right (Δa > 0), the left, or both (default: both at a kink).",
)
output_dir_option = click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="Media folder to write into.",
)
size_option = click.option(
    "--size",
    metavar="WxH",
    default=None,
    help="Override the frame size (even numbers), e.g. 192x108 for quick checks.",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    metavar="N",
    help="Processes that render steps at once (default: one per core, fewer for a short "
    "render). Steps rendered before are reused from media/cache/steps/.",
)
quality_option = click.option(
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default="production",
    show_default=True,
    help="preview 480p15, draft 720p30, production 1080p60, 4k 2160p60.",
)
fps_option = click.option(
    "--fps", type=click.IntRange(1, 120), default=None, help="Override the frame rate."
)


def steps_drawn(result: Any) -> str:
    """' (3 of 42 steps drawn, 39 from the step cache)' when some came from the cache."""
    from lessonkit.lesson.storyboard import steps_for
    from lessonkit.render import by_steps

    if result.cached or not by_steps(result.job):
        return ""
    total = len(steps_for(result.job.target))
    drawn = len(result.rendered_steps)
    if drawn == total:
        return ""
    return f" ({drawn} of {total} steps drawn, {total - drawn} from the step cache)"


def planned(target: ClipSpec | LessonSpec) -> str:
    """'23 steps, 1:22 of video'; refused (one line) when longer than lessonkit renders or
    with a point it cannot draw."""
    from lessonkit.lesson.storyboard import check_length, length_text, steps_for

    for clip in target.clips if isinstance(target, LessonSpec) else (target,):
        clip.check_drawable()
    steps = steps_for(target)
    check_length(steps)
    return length_text(steps)
