"""What the voice says: narration texts from lesson files, speakable words in each language,
voices named or given as folders, and the speaker's script through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lessonkit.base.errors import LessonError
from lessonkit.cli import cli
from lessonkit.lesson.i18n import Words, builtin_words
from lessonkit.lesson.lessonfile import load_lesson, parse_lesson, shipped_lesson_path
from lessonkit.lesson.narration import Voice, check_voice, recording_for, script_sheet, speakable
from lessonkit.lesson.storyboard import lesson_steps, with_holds

BIN = Path(sys.executable).parent
LESSON = """title = "Slopes"
narration = "Welcome: {title}."

[[part]]
function = "square"
points = [2]
nudges = [1, 0.1]

[part.narration]
nudge = "Push a by {da}. The rise is {df}."
"slope-a2" = "So the slope at {a} is {slope}."

[[part]]
card = "text"
lines = ["One idea."]
narration = "Remember this one idea."
"""


def test_narration_defaults_to_the_caption_and_follows_the_lesson_file() -> None:
    steps = {s.name: s for s in lesson_steps(parse_lesson(LESSON))}
    assert steps["title"].spoken == "Welcome: Slopes."
    assert steps["square-nudge-a2-d1"].spoken == "Push a by 1. The rise is 5."
    assert steps["square-slope-a2"].spoken == "So the slope at 2 is 4."
    assert steps["text"].spoken == "Remember this one idea."
    # a step the file leaves alone says its caption
    shrink = steps["square-shrink-a2-d0.1"]
    assert shrink.narration == "" and shrink.spoken == shrink.caption


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('nudge = "Push a by {da}.', 'nudge = "Push a by {dx}.'),
         "<lesson>:10: part 1, narration.nudge: unknown placeholder {dx}; did you mean {df}?"),
        (('"slope-a2" =', '"slope-a9" ='),
         "<lesson>:11: part 1, narration.slope-a9: no step 'slope-a9' in this part; "
         "did you mean 'slope-a2'?"),
        (('narration = "Remember', 'narration = 3 #'),
         "<lesson>:16: part 2, narration: must be text in quotes, got 3"),
        (('narration = "Welcome: {title}."', 'narration = "Welcome {nope}"'),
         "<lesson>:2: narration: unknown placeholder {nope}"),
    ],
)
def test_narration_errors_name_the_line(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(LessonError) as err:
        parse_lesson(LESSON.replace(*change))
    assert str(err.value).startswith(expected), str(err.value)


def test_the_shipped_lesson_narration_is_translated() -> None:
    ko = lesson_steps(load_lesson(shipped_lesson_path(), "ko"))
    assert ko[3].spoken.startswith("a를 오른쪽으로 Δa = 1만큼")


def test_symbols_become_words_in_the_lessons_language() -> None:
    en, ko = Words(), builtin_words("ko")
    caption = "Δf/Δa ≈ 0.49988 is just below the slope f'(2) = 0.5."
    assert speakable(caption, en) == (
        "delta f over delta a about 0 point 4 9 9 8 8 is just below the slope "
        "f prime of 2 equals 0 point 5."
    )
    assert speakable("Δa를 0.01까지 줄이면 Δf/Δa = 4.01입니다.", ko) == (
        "델타 에이 를 0 점 0 1까지 줄이면 델타 에프 나누기 델타 에이 는 4 점 0 1입니다."
    )
    assert speakable("f(a) = a² and a³; 1/a", en) == (
        "f of a equals a squared and a cubed; one over a"
    )


def test_voices_by_name_or_folder(tmp_path: Path) -> None:
    assert check_voice("espeak") == Voice("espeak") and check_voice("none").silent
    assert check_voice("./takes", tmp_path) == Voice("recorded", tmp_path / "takes")
    with pytest.raises(LessonError, match="unknown voice 'espek': use none, espeak, piper"):
        check_voice("espek")
    (tmp_path / "file.wav").write_bytes(b"")
    with pytest.raises(LessonError, match="is a file"):
        check_voice(str(tmp_path / "file.wav"))
    takes = tmp_path / "takes"
    takes.mkdir()
    (takes / "title.flac").write_bytes(b"x")
    (takes / "graph.wav").write_bytes(b"x")
    voice = check_voice(str(takes))
    assert recording_for(voice, "title") == takes / "title.flac"
    assert recording_for(voice, "graph") == takes / "graph.wav"
    assert recording_for(voice, "rule") is None


def test_with_holds_only_lengthens_steps() -> None:
    steps = lesson_steps(parse_lesson(LESSON))
    longer = with_holds(steps, {"title": 9.5, "text": 0.5})
    assert longer[0].duration == 9.5 and longer[-1].duration == steps[-1].duration
    assert [s.name for s in longer] == [s.name for s in steps]


def test_script_sheet_lists_every_step_in_order(tmp_path: Path) -> None:
    steps = lesson_steps(parse_lesson(LESSON))
    sheet = script_sheet(steps, Voice("recorded", tmp_path / "takes"), "Slopes")
    assert sheet.startswith("# Slopes: narration script\n")
    assert f"`{tmp_path / 'takes'}/`" in sheet
    heads = [line for line in sheet.splitlines() if line.startswith("## ")]
    assert heads[0] == "## 1. `title.wav` (3 s of picture)"
    assert len(heads) == len(steps)
    assert "Push a by 1. The rise is 5." in sheet


def test_narration_cli_lists_and_writes_the_script(tmp_path: Path) -> None:
    lesson = tmp_path / "slopes.toml"
    lesson.write_text(LESSON, encoding="utf-8")
    (tmp_path / "recordings").mkdir()
    (tmp_path / "recordings" / "title.wav").write_bytes(b"x")
    result = CliRunner().invoke(cli, ["narration", str(lesson), "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "title.wav  (title.wav found)" and lines[1] == "square-graph.wav"
    assert len(lines) == len(lesson_steps(parse_lesson(LESSON)))
    proc = subprocess.run(
        [str(BIN / "lessonkit"), "narration", "slopes.toml", "--script"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote slopes.script.md (")
    assert (tmp_path / "slopes.script.md").read_text("utf-8").startswith("# Slopes: narration")
    proc = subprocess.run(
        [str(BIN / "lessonkit"), "narration", "slopes.toml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr == "Error: say what to show: --list (file names) or --script (the script)\n"
