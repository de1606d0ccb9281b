"""The benchmark report turns raw case results into the issue's ratios and verdicts.

Only arithmetic on made-up results: no timing is measured or asserted here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import ratios, targets  # noqa: E402


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
        "production / encoder floor": False,
        "naive / ours": True,
        "stills of the lesson": True,
        "preview render / video duration": True,
        "cached re-render": True,
        "peak RSS (worst case)": True,
    }


def test_missing_or_failed_cases_give_no_verdict() -> None:
    cases = _cases()
    del cases["floor"], cases["stills"]
    verdicts = {t.name: t.met for t in targets(ratios(cases), production_size=True)}
    assert verdicts["production / encoder floor"] is None
    assert verdicts["stills of the lesson"] is None


def test_quick_runs_are_marked_not_comparable() -> None:
    marks = {t.name: t.comparable for t in targets(ratios(_cases()), production_size=False)}
    assert marks["production / encoder floor"] is False
    assert marks["stills of the lesson"] is True
