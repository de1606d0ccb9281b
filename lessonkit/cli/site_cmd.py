"""`lessonkit site`: a static gallery page over every exported web bundle."""

from __future__ import annotations

from pathlib import Path

import click

from lessonkit.cli.common import friendly_errors, output_dir_option

__all__ = ["site_command"]


@click.command("site")
@output_dir_option
@click.option("--title", default="Lesson clips", show_default=True, help="The page's heading.")
@friendly_errors
def site_command(output_dir: Path, title: str) -> None:
    """Write <output-dir>/web/index.html: a gallery of every bundle in <output-dir>/web/.

    Each clip shows its title, poster, a player with captions and chapters,
    and a copy-paste embed snippet. The page uses relative links only and no
    external script or stylesheet: open it from disk or copy the web/ folder
    to any static host.

    \b
    Examples:
      lessonkit export square cube log && lessonkit site
      lessonkit site --output-dir site-media --title "Derivatives"
    """
    from lessonkit.web.gallery import build_site

    site = build_site(output_dir, title)
    for warning in site.warnings:
        click.echo(f"warning: {warning} (export that clip again)", err=True)
    n = len(site.manifests)
    click.echo(f"gallery of {n} bundle{'s' if n != 1 else ''}: {site.index}", err=True)
    click.echo(str(site.index))
