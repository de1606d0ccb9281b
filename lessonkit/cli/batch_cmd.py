"""`lessonkit batch`: every video of a course file, rendered step by step on a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.cli.common import friendly_errors, output_dir_option, tell

__all__ = ["batch_command"]


@click.command("batch")
@click.argument("course_file", metavar="COURSE.toml", type=click.Path(path_type=Path))
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a cluster of "
    "worker processes on this machine).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    metavar="N",
    help="Worker processes of the local cluster (default: one per core).",
)
@output_dir_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="Where to write the JSON report (default: <output-dir>/batch-report.json).",
)
@click.option("--force", is_flag=True, help="Render every step again, cached or not.")
@friendly_errors
def batch_command(
    course_file: Path,
    scheduler: str | None,
    workers: int | None,
    output_dir: Path,
    report_path: Path | None,
    force: bool,
) -> None:
    """Render a course: every lesson and clip of COURSE.toml in each of its languages,
    qualities and formats, one Dask task per step, and with `export = true` the web
    bundles and the gallery.

    Steps already in <output-dir>/cache/steps/ are not rendered again, so a second
    run only joins (or reuses) the videos. On a cluster (--scheduler) every worker and
    this machine must see the same --output-dir path (a shared folder). The report
    lists each video: made, cached or failed, with its reason; the exit status is 1 if
    any failed.

    \b
    Examples:
      lessonkit batch courses/refresher.toml
      lessonkit batch courses/refresher.toml --workers 4 --output-dir /srv/media
      lessonkit batch courses/refresher.toml --scheduler tcp://10.0.0.5:8786
    """
    from lessonkit.batch import default_report_path, open_client, run_course
    from lessonkit.batch.course import load_course

    course = load_course(course_file, output_dir, use_cache=not force)
    report_file = report_path or default_report_path(output_dir)
    n = len(course.targets)
    where = scheduler or f"{workers or 'one per core'} local workers"
    tell(f"course {course.title!r}: {n} video{'s' if n != 1 else ''}, on {where}")
    with open_client(scheduler, workers) as client:
        report = run_course(course, client, force=force, say=tell)
    report.write(report_file)
    for run in report.runs:
        for path in run.files:
            click.echo(path)
    totals = report.to_json()["totals"]
    tell(
        f"{totals['made']} made, {totals['cached']} cached, {totals['failed']} failed; "
        f"{totals['steps_rendered']} of {totals['steps']} steps rendered in "
        f"{report.seconds:.1f} s; report: {report_file}"
        + (f"; gallery: {report.gallery}" if report.gallery else "")
    )
    if report.gallery_error and course.export:
        tell(f"no gallery: {report.gallery_error}")
    if report.failed:
        for run in report.failed:
            tell(f"failed: {run.name}: {run.reason}")
        raise click.ClickException(
            f"{len(report.failed)} of {n} video{'s' if n != 1 else ''} failed (listed above)"
        )
