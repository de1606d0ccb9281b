"""Languages: catalogues complete and in step with the code, lessons told in Korean with the
same numbers, and the catalogue tools (`lessonkit messages`) through the real CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonkit.base.errors import LessonError
from lessonkit.cli import cli
from lessonkit.lesson.i18n import (
    LOCALE_DIR,
    builtin_languages,
    builtin_words,
    catalogue_problems,
    language_name,
    placeholders,
    read_catalogue,
)
from lessonkit.lesson.lessonfile import catalogue_path, load_lesson, shipped_lesson_path
from lessonkit.lesson.messages import builtin_messages, lesson_messages
from lessonkit.lesson.spec import clip_spec
from lessonkit.lesson.storyboard import lesson_steps
from lessonkit.parts.nudge.steps import clip_steps
from lessonkit.web.chapters import chapter_title

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: a number as captions print it: 4.004001, 0.69315, 1/a's 1, -0.5 ...
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: English words that must not survive in a Korean caption (formulas such as "log a" aside)
ENGLISH_WORD = re.compile(r"\b(?!log\b)[A-Za-z]{3,}\b")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


# -- catalogues ------------------------------------------------------------------------------
def test_korean_is_a_builtin_language() -> None:
    assert builtin_languages() == ["en", "ko"]
    words = builtin_words("ko")
    assert words.font == "NanumGothic" and words.font_package == "fonts-nanum"
    assert language_name("ko") == "한국어" and language_name("en") == "English"


@pytest.mark.parametrize("po", sorted(LOCALE_DIR.glob("*.po")), ids=lambda p: p.name)
def test_builtin_catalogue_is_complete_and_current(po: Path) -> None:
    """Every message in lessonkit's code is translated with the same placeholders, and the
    catalogue holds no message the code no longer has."""
    messages = {m.id for m in builtin_messages()}
    cat = read_catalogue(po)
    assert catalogue_problems(cat, messages) == []
    assert {e[0] for e in cat.entries} == messages
    assert len(messages) >= 40  # captions, chapters, card glue, page labels


def test_shipped_lesson_catalogue_is_complete_and_current() -> None:
    lesson = shipped_lesson_path()
    po = catalogue_path(lesson, "ko")
    messages = {m.id for m in lesson_messages(lesson)}
    cat = read_catalogue(po)
    assert catalogue_problems(cat, messages) == []
    assert {e[0] for e in cat.entries} == messages
    assert "More derivative examples" in messages


def test_translations_are_fresh_korean_not_copied_from_the_lecture() -> None:
    """Every translated sentence is Korean, and none is lifted from the reference text."""
    seed = (ROOT.parent / "shared" / "seed" / "more-derivative-examples.ko.md")
    reference = seed.read_text(encoding="utf-8") if seed.exists() else ""
    for po in [*LOCALE_DIR.glob("*.po"), catalogue_path(shipped_lesson_path(), "ko")]:
        for msgid, msgstr, line, _ in read_catalogue(po).entries:
            words = re.sub(r"\{[^}]*\}", "", msgid)  # placeholders are not words
            if re.search(r"[A-Za-z]{3}", words):
                assert HANGUL.search(msgstr), f"{po.name}:{line}: {msgstr!r} is not Korean"
            for sentence in re.split(r"[.:;]\s*", msgstr):
                if len(sentence) >= 15:
                    assert sentence not in reference, f"{po.name}:{line} copies the lecture"


def test_placeholders_are_found_in_order() -> None:
    assert placeholders("a {x} b {=y} {{not}} {z.w}") == ["x", "=y", "z.w"]


def write_po(path: Path, entries: list[tuple[str, str]], fuzzy: str = "") -> Path:
    body = ['msgid ""', 'msgstr ""', '"Language: ko\\n"']
    body += ['"Content-Type: text/plain; charset=UTF-8\\n"']
    for msgid, msgstr in entries:
        body += ["", *(["#, fuzzy"] if msgid == fuzzy else []), f'msgid "{msgid}"',
                 f'msgstr "{msgstr}"']
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def test_catalogue_problems_name_the_line_and_what_is_wrong(tmp_path: Path) -> None:
    po = write_po(
        tmp_path / "x.ko.po",
        [
            ("Shrink to {da}", "{da}까지 줄이기"),  # fine
            ("Nudge by {da}: {=ratio}", "{da}만큼 밀기"),  # lost a placeholder
            ("Point a = {a}", "점 a = {b}"),  # a wrong one
            ("Recap", ""),  # untranslated
            ("Take-aways", "정리"),  # fuzzy
        ],
        fuzzy="Take-aways",
    )
    problems = catalogue_problems(read_catalogue(po), ["Recap", "Gone missing"])
    assert len(problems) == 5, problems
    text = "\n".join(problems)
    assert f"{po}:9: placeholders of 'Nudge by {{da}}: {{=ratio}}' differ" in text
    assert "the message has {da}, {=ratio}, the translation {da}" in text
    assert "placeholders of 'Point a = {a}' differ" in text
    assert f"{po}:15: no translation for 'Recap'" in text
    assert "translation of 'Take-aways' is marked fuzzy" in text
    assert "missing message 'Gone missing'" in text


def test_a_broken_catalogue_is_one_line(tmp_path: Path) -> None:
    po = tmp_path / "bad.ko.po"
    po.write_text('msgid "a"\nmsgstr "b"\ngarbage here\n', encoding="utf-8")
    with pytest.raises(LessonError) as err:
        read_catalogue(po)
    assert "\n" not in str(err.value) and "not a readable PO catalogue" in str(err.value)


def test_unknown_language_names_the_ones_there_are() -> None:
    with pytest.raises(LessonError, match=r"no catalogue for language 'ja' \(it has en, ko\)"):
        builtin_words("ja")
    with pytest.raises(LessonError, match="a language code such as en or ko"):
        builtin_words("Korean!")


# -- the lesson in Korean --------------------------------------------------------------------
def test_korean_lesson_has_the_same_steps_and_numbers() -> None:
    """Words change, numbers and formulas never: every Korean caption and chapter title holds
    the numbers of its English twin, and no English word."""
    en = load_lesson(shipped_lesson_path())
    ko = load_lesson(shipped_lesson_path(), "ko")
    assert ko.language == "ko" and ko.slug == "more-derivative-examples-ko"
    assert ko.title == "도함수, 예제로 더 살펴보기"
    en_steps, ko_steps = lesson_steps(en), lesson_steps(ko)
    assert [s.name for s in ko_steps] == [s.name for s in en_steps]
    assert [s.duration for s in ko_steps] == [s.duration for s in en_steps]
    for e, k in zip(en_steps, ko_steps, strict=True):
        assert HANGUL.search(k.caption), k.caption
        assert not ENGLISH_WORD.search(k.caption), k.caption
        # the same numbers (a Korean sentence may order them differently)
        assert Counter(NUMBER.findall(k.caption)) == Counter(NUMBER.findall(e.caption)), (
            e.caption, k.caption)
        et, kt = chapter_title(e, True), chapter_title(k, True)
        assert Counter(NUMBER.findall(kt)) == Counter(NUMBER.findall(et)), (et, kt)
        assert HANGUL.search(kt) or kt == et, kt
    rules = next(s for s in ko_steps if s.kind == "rules")
    assert rules.caption.startswith("도함수 표에서 찾아보기: a²의 기울기는 2a; ")
    takeaways = next(s for s in ko_steps if s.kind == "text")
    assert takeaways.card is not None and takeaways.card.heading == "기억할 두 가지"


def test_clips_speak_korean_too() -> None:
    spec = clip_spec("log", language="ko")
    assert spec.slug == "log-a2-ko" and spec.title == "a = 2에서의 f(a) = log a"
    captions = [s.caption for s in clip_steps(spec)]
    assert captions[1] == "점을 a = 2까지 옮깁니다. 이때 f(a) ≈ 0.69315입니다."
    assert all(HANGUL.search(c) for c in captions)


def test_a_language_without_a_lesson_catalogue_is_one_line(tmp_path: Path) -> None:
    lesson = tmp_path / "mine.toml"
    lesson.write_text('title = "Mine"\n[[part]]\nfunction = "square"\n', encoding="utf-8")
    with pytest.raises(LessonError) as err:
        load_lesson(lesson, "ko")
    assert str(err.value) == (
        f"{lesson} is written in 'en' and has no catalogue for 'ko': "
        f"write one with `lessonkit messages {lesson} --lang ko`"
    )
    # a lesson written in Korean needs no catalogue: its words are used as written
    lesson.write_text(
        'title = "내 수업"\nlanguage = "ko"\n[[part]]\nfunction = "square"\n', encoding="utf-8"
    )
    ko = load_lesson(lesson)
    assert ko.slug == "mine" and lesson_steps(ko)[1].caption == "f(a) = a²의 그래프입니다."


def test_caption_languages_are_checked_at_load(tmp_path: Path) -> None:
    lesson = tmp_path / "mine.toml"
    lesson.write_text(
        'title = "Mine"\ncaptions = ["en", "ko"]\n[[part]]\nfunction = "square"\n',
        encoding="utf-8",
    )
    with pytest.raises(LessonError, match=r"mine.toml:2: captions: no catalogue for 'ko'"):
        load_lesson(lesson)


# -- `lessonkit messages` --------------------------------------------------------------------
def test_messages_writes_updates_and_checks_a_lesson_catalogue(tmp_path: Path) -> None:
    lesson = tmp_path / "slopes.toml"
    lesson.write_text(
        'title = "Slopes"\n\n[[part]]\nfunction = "square"\nlabel = "Squares"\n'
        '\n[[part]]\ncard = "text"\nlines = ["One idea."]\n',
        encoding="utf-8",
    )
    code, out = run("messages", str(lesson), "--lang", "ko")
    po = tmp_path / "slopes.ko.po"
    assert code == 0 and out == f"{po}: 3 messages; 3 new, 0 dropped, 3 to translate\n"
    text = po.read_text(encoding="utf-8")
    assert '#: slopes.toml:1\nmsgid "Slopes"\nmsgstr ""' in text
    assert '#: slopes.toml:5\nmsgid "Squares"' in text
    code, out = run("messages", str(lesson), "--lang", "ko", "--check")
    assert code == 1 and f"{po}:" in out and "no translation for 'Slopes'" in out
    # a translator fills two; the author renames a label: one kept, one new, one dropped
    text = text.replace('msgid "Slopes"\nmsgstr ""', 'msgid "Slopes"\nmsgstr "기울기"')
    text = text.replace('msgid "Squares"\nmsgstr ""', 'msgid "Squares"\nmsgstr "제곱"')
    po.write_text(text, encoding="utf-8")
    lesson.write_text(lesson.read_text().replace('"Squares"', '"Parabola"'), encoding="utf-8")
    code, out = run("messages", str(lesson), "--lang", "ko")
    assert out == f"{po}: 3 messages; 1 new, 1 dropped, 2 to translate\n"
    cat = read_catalogue(po)
    assert cat.messages == {"Slopes": "기울기"}
    assert sorted(e[0] for e in cat.entries) == ["One idea.", "Parabola", "Slopes"]


def test_messages_as_a_console_script(tmp_path: Path) -> None:
    shutil.copy(shipped_lesson_path(), tmp_path / "lesson.toml")
    shutil.copy(catalogue_path(shipped_lesson_path(), "ko"), tmp_path / "lesson.ko.po")
    proc = subprocess.run(
        [str(BIN / "lessonkit"), "messages", "lesson.toml", "--lang", "ko", "--check"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "lesson.ko.po: 10 messages, all translated\n"
    proc = subprocess.run(
        [str(BIN / "lessonkit"), "messages", "lesson.toml", "--lang", "ja", "--check"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: no catalogue lesson.ja.po: write it with `lessonkit messages` first\n"
    )
