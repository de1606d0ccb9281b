"""`lessonkit export`: a web bundle per clip (video, poster, GIF, captions, chapters, embed)."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.cli.common import (
    build_targets,
    failure_in_one_line,
    fps_option,
    friendly_errors,
    functions_argument,
    jobs_option,
    lang_option,
    lesson_option,
    nudges_option,
    output_dir_option,
    parse_size,
    planned,
    points_option,
    quality_option,
    side_option,
    size_option,
    steps_drawn,
    tell,
    voice_for,
    voice_option,
)
from lessonkit.cli.function_args import FunctionCommand
from lessonkit.lesson.spec import QUALITIES

__all__ = ["export_command"]


@click.command("export", cls=FunctionCommand)
@functions_argument
@points_option
@nudges_option
@side_option
@lesson_option
@lang_option
@voice_option
@quality_option
@fps_option
@output_dir_option
@size_option
@jobs_option
@click.option(
    "--gif-mb",
    type=click.FloatRange(0.1, 100),
    default=3.0,
    show_default=True,
    help="Largest GIF in MB; frame rate, width, then length are cut to fit.",
)
@click.option("--force", is_flag=True, help="Render again even if an identical render exists.")
@friendly_errors
def export_command(
    functions: tuple[str, ...],
    points: tuple[str, ...],
    nudges: str | None,
    side: str | None,
    lesson: bool,
    language: str | None,
    voice: str | None,
    quality: str,
    fps: int | None,
    output_dir: Path,
    size: str | None,
    jobs: int | None,
    gif_mb: float,
    force: bool,
) -> None:
    """Export web bundles: one folder per clip, ready to paste into a course page.

    Renders each clip (or reuses an identical finished render) and writes
    media/web/<slug>/ with <slug>.mp4 (H.264, fast start, AAC voice),
    <slug>.webm (VP9, Opus voice), poster.jpg, <slug>.gif (at most 480 px wide),
    captions.<lang>.vtt per caption language, chapters.vtt, explore.html (the
    explorable twin; a lesson adds explore-<part>.html per part), embed.html (a
    <video> snippet and links to the twins) and manifest.json (sizes and SHA-256
    of every file). With no FUNCTION, exports the lesson. Then run `lessonkit
    site` for a gallery page.

    \b
    Examples:
      lessonkit export square --at 2 --at 5
      lessonkit export square cube log --quality draft
      lessonkit export --lesson --output-dir site-media
      lessonkit export square --size 192x108 --fps 5
    """
    from lessonkit.render import RenderJob, render
    from lessonkit.web.bundle import write_bundle

    targets = build_targets(functions, points, nudges, lesson, language, side)
    frame_size = parse_size(size)
    for target in targets:
        job = RenderJob(
            target,
            QUALITIES[quality],
            fps,
            output_dir,
            "mp4",
            stills=True,
            size=frame_size,
            use_cache=not force,
            voice=voice_for(target, voice),
            jobs=jobs,
        )
        click.echo(f"rendering {target.slug} at {job.folder}: {planned(target)} ...", err=True)
        with failure_in_one_line(f"exporting {target.slug}"):
            result = render(job, say=tell)
            how = "reused identical render" if result.cached else "rendered" + steps_drawn(result)
            click.echo(f"{how} {target.slug} in {result.seconds:.1f} s; exporting ...", err=True)
            bundle = write_bundle(
                result,
                gif_bytes=int(gif_mb * 1_000_000),
                log=lambda line: click.echo(line, err=True),
            )
        click.echo(
            f"exported {bundle.folder}/ ({len(bundle.files)} files, "
            f"{bundle.total_bytes / 1e6:.1f} MB) in {bundle.seconds:.1f} s",
            err=True,
        )
        for path in bundle.files:
            click.echo(str(path))
    click.echo(
        "next: `lessonkit site"
        + ("" if output_dir == Path("media") else f" --output-dir {output_dir}")
        + "` writes the gallery page",
        err=True,
    )
