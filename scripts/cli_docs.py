"""Regenerate (or --check) the README's CLI reference from the commands' own --help text."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from lessonkit.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
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


def updated(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{cli_reference()}{END}{tail}"


def main() -> int:
    text = README.read_text()
    new = updated(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            print("README.md's CLI reference is stale: run python scripts/cli_docs.py")
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
