"""The benchmark report turns raw case results into the issue's ratios and verdicts.

Only arithmetic on made-up results: no timing is measured or asserted here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.child import tree_rss_bytes  # noqa: E402
from benchmarks.report import (  # noqa: E402
    fit_line,
    ratios,
    steps_curve,
    targets,
    tree_rss_limit_mb,
)
from benchmarks.run import steps_lesson  # noqa: E402


def _cases() -> dict[str, Any]:
    def proc(wall: float, rss: float) -> dict[str, Any]:
        return {"wall_s": wall, "peak_rss_mb": rss}

    return {
        "production": {"render_s": 40.0, "process": proc(41.0, 1100),
                       "video": {"frames": 2000}},
        "floor": {"render_s": 25.0, "process": proc(27.0, 1000)},
        "naive": {"render_s": 320.0, "process": proc(321.0, 900), "video": {"frames": 1980}},
        "stills": {"process": proc(8.0, 200)},
        "preview_render": {"process": proc(40.0, 400), "video": {"duration_s": 160.0}},
        "cached": {"process": proc(0.1, 90)},
    }


def test_ratios_come_from_the_render_times() -> None:
    r = ratios(_cases())
    assert r["ours_over_floor"] == pytest.approx(1.6)
    assert r["ours_over_floor_process"] == pytest.approx(41 / 27)
    assert r["naive_over_ours"] == pytest.approx(8.0)
    assert r["naive_over_ours_per_frame"] == pytest.approx((320 / 1980) / (40 / 2000))
    assert r["preview_render_over_duration"] == pytest.approx(0.25)
    assert r["stills_s"] == 8.0 and r["cached_s"] == 0.1
    assert max(r["peak_rss_mb"].values()) == 1100


def test_targets_say_which_are_met() -> None:
    verdicts = {t.name: t.met for t in targets(ratios(_cases()), production_size=True)}
    assert verdicts == {
        "production / encoder floor, default jobs": False,
        "production / encoder floor, 1 job": None,
        "naive / ours": True,
        "stills of the lesson": True,
        "preview render / video duration": True,
        "cached re-render": True,
        "preview lesson speed-up, 2 jobs / 1 job": None,
        "steps curve: R² of seconds on frames": None,
        "steps curve: s/frame at 8/1 parts": None,
        "lesson 1080p60 tree RSS, 1 job": None,
        "lesson 1080p60 tree RSS, 2 jobs": None,
        "4K clip tree RSS, 1 job": None,
        "peak RSS (worst case)": True,
    }


def test_missing_or_failed_cases_give_no_verdict() -> None:
    cases = _cases()
    del cases["floor"], cases["stills"]
    verdicts = {t.name: t.met for t in targets(ratios(cases), production_size=True)}
    assert verdicts["production / encoder floor, default jobs"] is None
    assert verdicts["stills of the lesson"] is None


def test_quick_runs_are_marked_not_comparable() -> None:
    marks = {t.name: t.comparable for t in targets(ratios(_cases()), production_size=False)}
    assert marks["production / encoder floor, default jobs"] is False
    assert marks["lesson 1080p60 tree RSS, 2 jobs"] is False
    assert marks["stills of the lesson"] is True


def _proc(wall: float, rss: float, tree: float | None = None) -> dict[str, Any]:
    return {"wall_s": wall, "peak_rss_mb": rss, "tree_peak_rss_mb": tree}


def _jobs_cases() -> dict[str, Any]:
    """The cases of the step-by-step render (--jobs), made up."""
    cases = _cases()
    cases["production"]["jobs"] = 2
    cases.update({
        "production_j1": {"render_s": 60.0, "process": _proc(61.0, 900, 950), "jobs": 1,
                          "video": {"frames": 2000}},
        "floor_j1": {"render_s": 50.0, "process": _proc(52.0, 800, 850), "jobs": 1},
        "preview_j1": {"render_s": 70.0, "process": _proc(72.0, 500, 520)},
        "preview_j2": {"render_s": 38.0, "process": _proc(40.0, 300, 900)},
        "rss_lesson_j1": {"process": _proc(150.0, 950, 1000.0)},
        "rss_lesson_j2": {"process": _proc(100.0, 600, 1700.0)},
        "rss_4k": {"process": _proc(200.0, 2500, 2600.0)},
    })
    for parts, frames, seconds in ((1, 100, 12.0), (2, 200, 22.0), (4, 400, 42.0),
                                   (8, 800, 82.0)):
        cases[f"steps_{parts}"] = {"ok": True, "render_s": seconds, "steps": 9 * parts,
                                   "process": _proc(seconds + 2, 300),
                                   "video": {"frames": frames}}
    return cases


def test_floor_ratios_with_each_jobs_setting() -> None:
    r = ratios(_jobs_cases())
    assert r["ours_over_floor"] == pytest.approx(40 / 25)
    assert r["ours_over_floor_jobs"] == 2
    assert r["ours_over_floor_j1"] == pytest.approx(60 / 50)
    assert r["ours_over_floor_j1_process"] == pytest.approx(61 / 52)
    verdicts = {t.name: t.met for t in targets(r, production_size=True)}
    assert verdicts["production / encoder floor, default jobs"] is False
    assert verdicts["production / encoder floor, 1 job"] is True


def test_naive_is_compared_with_one_job_when_measured() -> None:
    r = ratios(_jobs_cases())
    assert r["naive_over_ours_vs"] == "production_j1"
    assert r["naive_over_ours"] == pytest.approx(320 / 60)
    assert r["naive_over_ours_default_jobs"] == pytest.approx(320 / 40)
    assert r["naive_over_ours_per_frame"] == pytest.approx((320 / 1980) / (60 / 2000))


def test_preview_speedup_is_one_job_over_two() -> None:
    r = ratios(_jobs_cases())
    assert r["preview_speedup_2_over_1"] == pytest.approx(72 / 40)
    assert r["preview_speedup_2_over_1_render"] == pytest.approx(70 / 38)
    verdicts = {t.name: t.met for t in targets(r, production_size=True)}
    assert verdicts["preview lesson speed-up, 2 jobs / 1 job"] is True
    cases = _jobs_cases()
    cases["preview_j2"]["process"]["wall_s"] = 60.0
    verdicts = {t.name: t.met for t in targets(ratios(cases), production_size=True)}
    assert verdicts["preview lesson speed-up, 2 jobs / 1 job"] is False


def test_fit_line_recovers_a_line_and_its_r2() -> None:
    slope, intercept, r2 = fit_line([1, 2, 3, 4], [3, 5, 7, 9]) or (0, 0, 0)
    assert (slope, intercept, r2) == (pytest.approx(2), pytest.approx(1), pytest.approx(1))
    noisy = fit_line([0, 1, 2], [0, 2, 1])
    assert noisy is not None and noisy[2] == pytest.approx(0.25)
    assert fit_line([1], [2]) is None
    assert fit_line([2, 2], [1, 3]) is None
    assert fit_line([1, 2], [5, 5]) == (0.0, 5.0, 1.0)


def test_steps_curve_rows_fit_and_per_frame_ratio() -> None:
    curve = steps_curve(_jobs_cases())
    assert curve is not None
    assert [row["parts"] for row in curve["rows"]] == [1, 2, 4, 8]
    assert curve["rows"][0]["s_per_frame"] == pytest.approx(0.12)
    assert curve["slope_s_per_frame"] == pytest.approx(0.1)
    assert curve["intercept_s"] == pytest.approx(2.0)
    assert curve["r2"] == pytest.approx(1.0)
    assert curve["per_frame_last_over_first"] == pytest.approx((82 / 800) / 0.12)
    assert curve["parts_last_over_first"] == "8/1"
    verdicts = {t.name: t.met for t in targets(ratios(_jobs_cases()), production_size=True)}
    assert verdicts["steps curve: R² of seconds on frames"] is True
    assert verdicts["steps curve: s/frame at 8/1 parts"] is True


def test_steps_curve_flags_superlinear_growth_and_skips_failed_cases() -> None:
    cases = _jobs_cases()
    cases["steps_8"]["render_s"] = 200.0  # 8 parts cost far more per frame
    cases["steps_2"]["ok"] = False
    curve = steps_curve(cases)
    assert curve is not None
    assert [row["parts"] for row in curve["rows"]] == [1, 4, 8]
    assert curve["per_frame_last_over_first"] == pytest.approx((200 / 800) / 0.12)
    verdicts = {t.name: t.met for t in targets(ratios(cases), production_size=True)}
    assert verdicts["steps curve: s/frame at 8/1 parts"] is False
    assert steps_curve(_cases()) is None


def test_steps_curve_uses_the_process_time_when_no_render_time() -> None:
    cases = {"steps_1": {"ok": True, "process": _proc(10.0, 1), "video": {"frames": 50}}}
    curve = steps_curve(cases)
    assert curve is not None and curve["rows"][0]["seconds"] == 10.0
    assert curve["r2"] is None and curve["per_frame_last_over_first"] is None


class _FakeProcess:
    def __init__(self, rss: int | None) -> None:
        self.rss = rss

    def memory_info(self) -> Any:
        if self.rss is None:
            import psutil

            raise psutil.NoSuchProcess(1)
        return type("mem", (), {"rss": self.rss})()


class _DeniedProcess:
    def memory_info(self) -> Any:
        raise PermissionError("denied")


def test_tree_rss_sums_every_process_and_skips_the_gone() -> None:
    mib = 2**20
    procs = [_FakeProcess(300 * mib), _FakeProcess(None), _FakeProcess(500 * mib),
             _DeniedProcess(), _FakeProcess(200 * mib)]
    assert tree_rss_bytes(procs) == (1000 * mib, 3)
    assert tree_rss_bytes([]) == (0, 0)


def test_tree_rss_targets_grow_with_the_jobs() -> None:
    assert tree_rss_limit_mb(1) == 1024
    assert tree_rss_limit_mb(2) == pytest.approx(1024 + 0.6 * 1024)
    assert tree_rss_limit_mb(3) == pytest.approx(1024 + 1.2 * 1024)
    r = ratios(_jobs_cases())
    assert r["lesson_tree_rss_mb"] == {1: 1000.0, 2: 1700.0}
    verdicts = {t.name: t.met for t in targets(r, production_size=True)}
    assert verdicts["lesson 1080p60 tree RSS, 1 job"] is True
    assert verdicts["lesson 1080p60 tree RSS, 2 jobs"] is False  # 1700 > 1638.4
    assert verdicts["4K clip tree RSS, 1 job"] is None  # reported, no limit
    assert r["clip_4k_tree_rss_mb"] == 2600.0


def test_worst_case_rss_takes_the_tree_and_leaves_out_cases_with_own_targets() -> None:
    r = ratios(_jobs_cases())
    # preview_j2's tree (900) is not above production's own 1100; rss_* cases are left out
    assert r["worst_rss_mb"] == 1100
    cases = _jobs_cases()
    cases["preview_j2"]["process"]["tree_peak_rss_mb"] = 1800.0
    r = ratios(cases)
    assert r["worst_rss_mb"] == 1800.0
    verdicts = {t.name: t.met for t in targets(r, production_size=True)}
    assert verdicts["peak RSS (worst case)"] is False


def test_steps_lessons_repeat_the_nudge_parts() -> None:
    text = steps_lesson(5)
    assert text.count("[[part]]") == 5
    assert text.count('function = "a^2"') == 5
    mixed = steps_lesson(5, ("a^2", "a^3", "log", "3a"))
    assert mixed.count('function = "a^2"') == 2 and mixed.count('function = "3a"') == 1
    assert 'name = "part5"' in text and 'voice = "none"' in text


def test_steps_lessons_are_valid_lessons_that_grow_by_whole_parts(tmp_path: Path) -> None:
    from lessonkit.lesson.lessonfile import load_lesson
    from lessonkit.lesson.storyboard import steps_for

    counts = []
    for parts in (1, 2, 4):
        path = tmp_path / f"parts-{parts}.toml"
        path.write_text(steps_lesson(parts), encoding="utf-8")
        counts.append(len(steps_for(load_lesson(path))))
    assert counts[0] < counts[1] < counts[2]
