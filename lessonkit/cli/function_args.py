"""Functions that start with a minus sign: `lessonkit table "-log(a)"`.

Click reads any word that starts with '-' as an option, so "-log(a)" would be refused as
"No such option '-l'". The commands that take a FUNCTION use `FunctionCommand`: a word in
an argument's place that is no option of the command and reads as an expression (a minus,
then a letter, digit, bracket, bar or σ) is taken as the function. `--` works as well, and
the usage error for an unknown option says so.
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["FunctionCommand"]

#: what may follow the minus of a function: "-log(a)", "-a^2", "-2a", "-(a+1)", "-|a|", "-σ(a)"
_STARTS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789(|σ.")
#: marks a word taken as a function while click parses (an expression reads it as a space)
_MARK = " "


def _looks_like_function(word: str) -> bool:
    if len(word) < 2 or word[1] not in _STARTS:
        return False
    # "-x" alone is an option letter; "-a" is the function minus a
    return len(word) > 2 or word[1] in "a0123456789"


class FunctionCommand(click.Command):
    """A click command whose FUNCTION arguments may start with '-'."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        params = self.get_params(ctx)
        names = {o for p in params for o in (*p.opts, *p.secondary_opts)}
        with_value = {
            o
            for p in params
            if isinstance(p, click.Option) and not p.is_flag and not p.count
            for o in p.opts
        }
        words: list[str] = []
        after_dashes = value_next = False
        for word in args:
            if (
                not after_dashes
                and not value_next
                and word.startswith("-")
                and word.split("=", 1)[0] not in names
                and word[:2] not in names  # "-j1" is -j with its value
                and _looks_like_function(word)
            ):
                word = _MARK + word
            after_dashes = after_dashes or word == "--"
            value_next = not after_dashes and word in with_value
            words.append(word)
        try:
            rest = super().parse_args(ctx, words)
        except click.NoSuchOption as exc:
            exc.message = (
                f"{exc.message.rstrip('.')}: a FUNCTION that starts with '-' may also "
                f'follow --, as in lessonkit {self.name} -- "-log(a)"'
            )
            raise
        for key, value in ctx.params.items():
            ctx.params[key] = _unmarked(value)
        return rest


def _unmarked(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_MARK + "-"):
        return value[len(_MARK) :]
    if isinstance(value, tuple):
        return tuple(_unmarked(v) for v in value)
    return value
