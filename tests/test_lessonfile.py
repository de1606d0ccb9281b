"""Lesson files: every problem is one line `file:LINE: part N, key: message`, with the right line.

Pure and fast. Each lesson text is built here line by line, so the expected line numbers are
the positions of the rows as written (row 1 is line 1).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.base.errors import LessonError
from lessonkit.lesson.lessonfile import (
    default_lesson,
    load_lesson,
    parse_lesson,
    shipped_lesson_path,
)
from lessonkit.lesson.spec import CardPart, NudgePart
from lessonkit.maths.nudge import DEFAULT_SCHEDULE

F = Fraction
FILE = "my-lesson.toml"


#: Lines 1 to 3 of most lessons below: a title, then a part for the function square.
SQUARE = ('title = "T"', "[[part]]", 'function = "square"')


def lesson(*rows: str) -> str:
    """A lesson file's text: one row per line, so row k is line k."""
    return "\n".join(rows) + "\n"


def error(text: str) -> str:
    """The one-line message parse_lesson raises for a bad lesson text."""
    with pytest.raises(LessonError) as info:
        parse_lesson(text, FILE, "my-lesson")
    message = str(info.value)
    assert "\n" not in message, message
    assert "Traceback" not in message
    return message


# -- the errors, each with its line ------------------------------------------------------------
#: (id, rows, the whole expected message after "my-lesson.toml:")
ERRORS: list[tuple[str, tuple[str, ...], str]] = [
    (
        "unknown top-level key, did you mean",
        ("# a comment", 'subtitle = "S"', 'titel = "T"', "", "[[part]]", 'function = "square"'),
        "3: titel: unknown top-level key 'titel'; did you mean 'title'?",
    ),
    (
        "unknown top-level key without a close one",
        ('title = "T"', "zzzzzz = 1", "[[part]]", 'function = "square"'),
        "2: zzzzzz: unknown top-level key 'zzzzzz'; known keys: title, subtitle, language, "
        "captions, digits, slug, caption, narration, voice, title_card, nudges, part",
    ),
    (
        "unknown part key, did you mean",
        ('title = "T"', "", "[[part]]", 'function = "square"', "point = [2]"),
        "5: part 1, point: unknown key 'point'; did you mean 'points'?",
    ),
    (
        "unknown card key, did you mean",
        (*SQUARE, "[[part]]", 'card = "text"', 'lines = ["x"]', 'headng = "H"'),
        "7: part 2, headng: unknown key of a card 'headng'; did you mean 'heading'?",
    ),
    (
        "missing title",
        ("# no title", "[[part]]", 'function = "square"'),
        "1: title: missing 'title'",
    ),
    (
        "blank title",
        ("", 'title = "  "', "[[part]]", 'function = "square"'),
        "2: title: give the lesson a title",
    ),
    (
        "no parts",
        ('title = "T"',),
        "1: part: a lesson needs parts: add a [[part]] table with a function",
    ),
    (
        "parts not tables",
        ('title = "T"', "part = 3"),
        "2: part: write the parts as [[part]] tables",
    ),
    (
        "part without function or card",
        (*SQUARE, "", "[[part]]", 'label = "x"'),
        '5: part 2: a part needs a function (a nudge part) or card = "rules"/"text" or '
        "graph = [...] (a computation graph)",
    ),
    (
        "point outside the domain",
        ('title = "T"', "", "[[part]]", 'function = "log"', "points = [0]"),
        "5: part 1, points: log is defined only for a > 0, so a = 0 is outside its domain",
    ),
    (
        "negative point outside the domain",
        ('title = "T"', "[[part]]", 'function = "log"', "points = [2, -0.5]"),
        "4: part 1, points: log is defined only for a > 0, so a = -0.5 is outside its domain",
    ),
    (
        "nudges not shrinking",
        (*SQUARE, "points = [2]", "nudges = [0.1, 1]"),
        "5: part 1, nudges: nudges must shrink: list them from largest to smallest",
    ),
    (
        "default nudges not shrinking",
        ('title = "T"', "nudges = [0.01, 0.1]", "[[part]]", 'function = "square"'),
        "2: nudges: nudges must shrink: list them from largest to smallest",
    ),
    (
        "repeated nudge",
        (*SQUARE, "nudges = [1, 1]"),
        "4: part 1, nudges: each nudge may appear only once",
    ),
    (
        "negative nudge",
        (*SQUARE, "nudges = [1, -0.1]"),
        "4: part 1, nudges: a nudge must be positive (Δa > 0), got -0.1",
    ),
    (
        "word in points",
        (*SQUARE, 'points = [2, "two"]'),
        "4: part 1, points: point must be a decimal number such as 2 or 0.001, got 'two'",
    ),
    (
        "boolean in points",
        (*SQUARE, "points = [true]"),
        "4: part 1, points: point must be a number, got true",
    ),
    (
        "list in points",
        (*SQUARE, "points = [2, [3]]"),
        "4: part 1, points: point must be a number such as 2 or 0.001, got [3]",
    ),
    (
        "duplicate points",
        (*SQUARE, "points = [2, 5, 2.0]"),
        "4: part 1, points: each point may appear only once",
    ),
    (
        "empty points",
        (*SQUARE, "points = []"),
        "4: part 1, points: give a list of numbers, e.g. [2, 5], got []",
    ),
    (
        "points as text",
        (*SQUARE, 'points = "2"'),
        "4: part 1, points: give a list of numbers, e.g. [2, 5], got '2'",
    ),
    (
        "bad placeholder in a captions table",
        (
            *SQUARE,
            "points = [2]",
            "",
            "[part.captions]",
            'graph = "The curve."',
            'nudge = "Δf is {dff}."',
        ),
        "8: part 1, captions.nudge: unknown placeholder {dff}; did you mean {df}? this step "
        "has {a}, {da}, {derivative}, {df}, {f_a}, {f_a_da}, {formula}, {gap}, {points}, "
        "{ratio}, {slope}, {title}",
    ),
    (
        "bad placeholder in a dotted caption key",
        (
            'title = "T"',
            "[[part]]",
            'function = "cube"',
            "points = [2]",
            'captions.graph = "The curve {titel}."',
        ),
        "5: part 1, captions.graph: unknown placeholder {titel}; did you mean {title}? this step "
        "has {derivative}, {formula}, {points}, {title}",
    ),
    (
        "bad placeholder in an inline captions table",
        (*SQUARE, "points = [2]", 'captions = { nudge = "Δf is {dff}." }'),
        "5: part 1, captions.nudge: unknown placeholder {dff}; did you mean {df}? this step "
        "has {a}, {da}, {derivative}, {df}, {f_a}, {f_a_da}, {formula}, {gap}, {points}, "
        "{ratio}, {slope}, {title}",
    ),
    (
        "bad placeholder in a step-name caption of the second part",
        (
            *SQUARE,
            "[part.captions]",
            'graph = "ok."',
            "[[part]]",
            'function = "cube"',
            "points = [2]",
            "[part.captions]",
            'slope = "ok."',
            '"slope-a2" = "f\'(2) {=slop}."',
        ),
        "11: part 2, captions.slope-a2: unknown placeholder {slop}; did you mean {slope}? this "
        "step has {a}, {da}, {derivative}, {df}, {f_a}, {f_a_da}, {formula}, {gap}, {points}, "
        "{ratio}, {slope}, {title}",
    ),
    (
        "bad placeholder in a dotted, quoted step-name caption key",
        (*SQUARE, "points = [2]", "", """captions . 'slope-a2' = "{=slop}." """),
        "6: part 1, captions.slope-a2: unknown placeholder {slop}; did you mean {slope}? this "
        "step has {a}, {da}, {derivative}, {df}, {f_a}, {f_a_da}, {formula}, {gap}, {points}, "
        "{ratio}, {slope}, {title}",
    ),
    (
        "stray brace in a caption",
        (*SQUARE, "[part.captions]", 'rule = "a { b."'),
        "5: part 1, captions.rule: a lone '{' in 'a { b.'; write {{ or }} for a brace, or "
        "{name} for a value",
    ),
    (
        "relation on a text value",
        (*SQUARE, "", 'captions.graph = "{=title}."'),
        "5: part 1, captions.graph: {=title} is text, not a number: write {title}",
    ),
    (
        "bad placeholder in the title caption",
        ('title = "T"', 'caption = "{titel}."', "[[part]]", 'function = "square"'),
        "2: caption: unknown placeholder {titel}; did you mean {title}? this step has "
        "{subtitle}, {title}",
    ),
    (
        "bad placeholder in a card caption",
        (*SQUARE, "[[part]]", 'card = "text"', 'lines = ["a"]', 'caption = "{txt}."'),
        "7: part 2, caption: unknown placeholder {txt}; did you mean {text}? this step has "
        "{heading}, {text}",
    ),
    (
        "caption key that is not a step kind, did you mean",
        (*SQUARE, "[part.captions]", 'nudg = "x."'),
        "5: part 1, captions.nudg: no step 'nudg' in this part; did you mean 'nudge'?",
    ),
    (
        "caption key that is not a step of this part",
        (*SQUARE, "points = [2]", "[part.captions]", '"slope-a7" = "x."'),
        "6: part 1, captions.slope-a7: no step 'slope-a7' in this part; did you mean 'slope-a2'?",
    ),
    (
        "caption key far from any step",
        (*SQUARE, "[part.captions]", 'zzz = "x."'),
        "5: part 1, captions.zzz: no step 'zzz' in this part; use a step kind: graph, slide, "
        "nudge, shrink, slope, leftover, kink, rule",
    ),
    (
        "caption that is not text",
        (*SQUARE, "[part.captions]", "nudge = 3"),
        "5: part 1, captions.nudge: a caption is text in quotes, got 3",
    ),
    (
        "captions not a table",
        (*SQUARE, 'captions = "x"'),
        "4: part 1, captions: write captions as a table: [part.captions]",
    ),
    (
        "rules card first",
        ('title = "T"', "", "[[part]]", 'card = "rules"'),
        "4: part 1, card: a rules card needs nudge parts before it to list",
    ),
    (
        "rules card after parts kept off the rules",
        (
            'title = "T"',
            "[[part]]",
            'function = "3a"',
            "in_rules = false",
            "[[part]]",
            'card = "rules"',
        ),
        "6: part 2, card: a rules card needs nudge parts before it to list",
    ),
    (
        "rules card right after another rules card",
        (*SQUARE, "[[part]]", 'card = "rules"', "[[part]]", 'card = "rules"'),
        "7: part 3, card: a rules card needs nudge parts before it to list",
    ),
    (
        "rules card with lines",
        (*SQUARE, "[[part]]", 'card = "rules"', 'lines = ["x"]'),
        "6: part 2, lines: a rules card lists the rules itself: drop lines",
    ),
    (
        "text card without lines",
        (*SQUARE, "[[part]]", 'card = "text"', 'heading = "H"'),
        '4: part 2, lines: a text card needs lines = ["...", "..."]',
    ),
    (
        "text card with no lines in its list",
        (*SQUARE, "[[part]]", 'card = "text"', "lines = []"),
        '6: part 2, lines: a text card needs lines = ["...", "..."]',
    ),
    (
        "text card with an empty line",
        (*SQUARE, "[[part]]", 'card = "text"', 'lines = ["a", "  "]'),
        "6: part 2, lines: a line of a text card is empty",
    ),
    (
        "unknown card kind",
        ('title = "T"', "[[part]]", 'card = "pie"'),
        '3: part 1, card: card must be "rules" or "text", got \'pie\'',
    ),
    (
        "card duration out of range",
        (*SQUARE, "[[part]]", 'card = "text"', 'lines = ["a"]', "duration = 500"),
        "7: part 2, duration: a card stays between 1 and 120 seconds",
    ),
    (
        "bad part name",
        (*SQUARE, 'name = "My Part"'),
        "4: part 1, name: a name is lower-case letters, digits and '-', at most 40, got 'My Part'",
    ),
    (
        "part name taken",
        (*SQUARE, "[[part]]", 'function = "cube"', 'name = "square"'),
        "6: part 2, name: another part is already named 'square'",
    ),
    (
        "part named like the title card",
        (*SQUARE, 'name = "title"'),
        "4: part 1, name: another part is already named 'title'",
    ),
    (
        "bad slug",
        ('title = "T"', 'slug = "Bad Slug"', "[[part]]", 'function = "square"'),
        "2: slug: a slug is lower-case letters, digits and '-', at most 40, got 'Bad Slug'",
    ),
    (
        "digits zero",
        ('title = "T"', "digits = 0", "[[part]]", 'function = "square"'),
        "2: digits: digits must be between 1 and 30, got 0",
    ),
    (
        "digits too many",
        ('title = "T"', "", "digits = 31", "[[part]]", 'function = "square"'),
        "3: digits: digits must be between 1 and 30, got 31",
    ),
    (
        "digits not whole",
        ('title = "T"', "digits = 4.5", "[[part]]", 'function = "square"'),
        "2: digits: must be a whole number, got 4.5",
    ),
    (
        "digits as text",
        ('title = "T"', 'digits = "4"', "[[part]]", 'function = "square"'),
        "2: digits: must be a whole number, got '4'",
    ),
    (
        "title not text",
        ("title = 3", "[[part]]", 'function = "square"'),
        "1: title: must be text in quotes, got 3",
    ),
    (
        "function not text",
        ('title = "T"', "[[part]]", "function = 2"),
        "3: part 1, function: must be text in quotes, got 2",
    ),
    (
        "in_rules not a boolean",
        (*SQUARE, 'in_rules = "no"'),
        "4: part 1, in_rules: must be true or false, got 'no'",
    ),
    (
        "title_card not a boolean",
        ('title = "T"', "title_card = 0", "[[part]]", 'function = "square"'),
        "2: title_card: must be true or false, got 0",
    ),
    (
        "bad language",
        ('title = "T"', 'language = "English"', "[[part]]", 'function = "square"'),
        "2: language: a language code such as en or ko, got 'English'",
    ),
]


@pytest.mark.parametrize(
    ("rows", "expected"), [(r, e) for _, r, e in ERRORS], ids=[i for i, _, _ in ERRORS]
)
def test_error_names_file_line_part_and_key(rows: tuple[str, ...], expected: str) -> None:
    assert error(lesson(*rows)) == f"{FILE}:{expected}"


def test_unknown_function_has_did_you_mean() -> None:
    """A name that is neither registered nor an expression: the error names the function key's
    line (needs lessonkit.maths.expression, where unknown names end up)."""
    message = error(lesson('title = "T"', "", "[[part]]", 'function = "sqare"'))
    assert message.startswith(f"{FILE}:4: part 1, function: "), message
    assert "'sqare'" in message
    assert "did you mean 'square'?" in message


# -- TOML syntax: the line comes from tomllib --------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "line"),
    [
        (('title = "T"', "[[part]]", 'function = "square'), 3),  # unterminated string
        (('title = "T"', "", "[[part]]", "points [2]"), 4),  # no "="
        (('title = "T"', 'title = "U"'), 2),  # a key twice
        (('title = "T"', "[[part]]", "function = square"), 3),  # a bare word
    ],
    ids=["unterminated string", "missing equals", "duplicate key", "bare word"],
)
def test_bad_toml_syntax_names_the_line(rows: tuple[str, ...], line: int) -> None:
    message = error(lesson(*rows))
    assert message.startswith(f"{FILE}:{line}: not valid TOML: "), message
    assert "(at line" not in message and "column" not in message


def test_bad_toml_at_the_end_of_the_file_names_the_last_line() -> None:
    message = error(lesson(*SQUARE, "points = ["))
    assert message.startswith(f"{FILE}:4: not valid TOML: "), message
    assert message.endswith("at the end of the file"), message


# -- reading files -----------------------------------------------------------------------------
def test_load_lesson_takes_the_slug_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "My Lesson_2.toml"
    path.write_text(lesson(*SQUARE), encoding="utf-8")
    assert load_lesson(path).slug == "my-lesson-2"
    path.write_text(
        lesson('title = "T"', 'slug = "chosen"', "[[part]]", 'function = "square"'),
        encoding="utf-8",
    )
    assert load_lesson(path).slug == "chosen"


def test_load_lesson_errors_name_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(lesson('title = "T"', "[[part]]", 'function = "log"', "points = [0]"))
    with pytest.raises(LessonError, match=rf"^{path}:4: part 1, points: "):
        load_lesson(path)


def test_load_lesson_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value) == f"{path}: no such lesson file (`lessonkit new {path}` writes one)"


def test_load_lesson_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('title = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(info.value) == f"{path}: not UTF-8 text; save the lesson file as UTF-8"


# -- what a good file becomes ------------------------------------------------------------------
def test_a_good_lesson_and_its_defaults() -> None:
    text = lesson(
        'title = "Slopes"',
        "digits = 6",
        "nudges = [1, 0.01]",
        "[[part]]",
        'function = "square"',
        "[[part]]",
        'function = "cube"',
        "points = [1, 3]",
        "nudges = [0.5, 0.1, 0.001]",
        'label = "Cubes"',
        "[[part]]",
        'card = "rules"',
        "[[part]]",
        'card = "text"',
        'lines = ["one", "two"]',
        "numbered = false",
    )
    spec = parse_lesson(text, FILE, "slopes")
    assert (spec.title, spec.slug, spec.digits, spec.language) == ("Slopes", "slopes", 6, "en")
    assert spec.subtitle is None and spec.title_card and spec.source == text
    square, cube, rules, words = spec.parts
    assert isinstance(square, NudgePart) and isinstance(cube, NudgePart)
    assert (square.name, square.label, square.line) == ("square", "a²", 4)
    assert square.clip.points == (F(2), F(5))  # the function's own points
    assert square.clip.schedule == (F(1), F(1, 100))  # the lesson's default nudges
    assert (cube.name, cube.label, cube.line) == ("cube", "Cubes", 6)
    assert cube.clip.points == (F(1), F(3))
    assert cube.clip.schedule == (F(1, 2), F(1, 10), F(1, 1000))
    assert isinstance(rules, CardPart) and isinstance(words, CardPart)
    assert (rules.card, rules.name, rules.label, rules.line) == (
        "rules",
        "rules",
        "From a table of derivatives",
        11,
    )
    assert (words.card, words.name, words.lines, words.numbered) == (
        "text",
        "text",
        ("one", "two"),
        False,
    )
    assert words.label == "one"  # no heading: the first line names the chapter
    assert spec.clips == (square.clip, cube.clip)
    assert spec.nudge_parts == (square, cube)


def test_without_nudges_parts_use_the_default_schedule() -> None:
    spec = parse_lesson(lesson('title = "T"', "[[part]]", 'function = "log"'))
    assert spec.clips[0].schedule == DEFAULT_SCHEDULE


def test_two_parts_of_one_function_get_unique_names() -> None:
    spec = parse_lesson(
        lesson(
            *SQUARE,
            "[[part]]",
            'function = "a^2"',
            "points = [3]",
            "[[part]]",
            'function = "square"',
            "points = [4]",
        )
    )
    assert [p.name for p in spec.parts] == ["square", "square-2", "square-3"]


def test_text_cards_get_unique_names() -> None:
    spec = parse_lesson(
        lesson(
            *SQUARE,
            "[[part]]",
            'card = "text"',
            'lines = ["a"]',
            "[[part]]",
            'card = "text"',
            'lines = ["b"]',
        )
    )
    assert [p.name for p in spec.parts] == ["square", "text", "text-2"]


def test_the_shipped_lesson_file_is_the_default_lesson() -> None:
    assert load_lesson(shipped_lesson_path()) == default_lesson()
    spec = default_lesson()
    assert [p.name for p in spec.parts] == ["recap", "square", "cube", "log", "rules", "takeaways"]
