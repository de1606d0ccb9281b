"""Regenerate (or --check) docs/commands.md's CLI reference from the commands' own --help text."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from lessonkit.cli import cli

PAGE = Path(__file__).resolve().parents[1] / "docs" / "commands.md"
START, END = "<!-- cli:start -->", "<!-- cli:end -->"


def cli_reference() -> str:
    """The help text of the group and of every command, as Markdown."""
    runner = CliRunner()
    parts = []
    for name in [None, *sorted(cli.commands)]:
        args = ["--help"] if name is None else [name, "--help"]
        text = runner.invoke(cli, args, prog_name="lessonkit", terminal_width=100).output
        title = "lessonkit" if name is None else f"lessonkit {name}"
        parts.append(f"### `{title}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def updated(page: str) -> str:
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{cli_reference()}{END}{tail}"


def main() -> int:
    text = PAGE.read_text()
    new = updated(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print("docs/commands.md's CLI reference is stale: run python scripts/cli_docs.py")
            return 1
        return 0
    PAGE.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
