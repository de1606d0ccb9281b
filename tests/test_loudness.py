"""Loudness as BS.1770-4 defines it, checked on signals whose loudness the standard gives."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessonkit.maths.loudness import (
    TARGET_LUFS,
    _k_weighting,
    integrated_loudness,
    limit,
    normalise,
    true_peak_ceiling,
)

RATE = 48_000


def tone(freq: float, dbfs: float, seconds: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float64)


def test_k_weighting_matches_the_standards_48k_table() -> None:
    """BS.1770-4 Table 1 and 2 coefficients, from the analogue design at 48 kHz."""
    b1, a1, b2, a2 = _k_weighting(48_000)
    assert np.allclose(b1, [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-9)
    assert np.allclose(a1, [1.0, -1.69065929318241, 0.73248077421585], atol=1e-9)
    assert np.allclose(b2, [1.0, -2.0, 1.0])
    assert np.allclose(a2, [1.0, -1.99004745483398, 0.99007225036621], atol=1e-9)


def test_a_full_scale_997_hz_tone_reads_minus_3_01() -> None:
    """The standard's own calibration: a 0 dBFS 997 Hz sine in one channel is -3.01 LKFS."""
    assert integrated_loudness(tone(997, 0.0, 5), RATE) == pytest.approx(-3.01, abs=0.01)


@pytest.mark.parametrize("rate", [44_100, 22_050, 48_000])
def test_level_follows_the_signal_at_any_rate(rate: int) -> None:
    assert integrated_loudness(tone(1000, -20, 5, rate), rate) == pytest.approx(-23.0, abs=0.05)


def test_silence_is_gated_out() -> None:
    """Pauses do not pull the level down: 5 s of tone then 5 s of silence read as the tone."""
    x = np.concatenate([tone(1000, -20, 5), np.zeros(5 * RATE)])
    assert integrated_loudness(x, RATE) == pytest.approx(-23.0, abs=0.2)  # edge blocks
    assert integrated_loudness(np.zeros(RATE), RATE) == -math.inf
    assert integrated_loudness(np.ones(100), RATE) == -math.inf  # shorter than one block


def test_normalise_reaches_the_target_without_clipping() -> None:
    rng = np.random.default_rng(1)
    # speech-like: bursts of noise with high peaks between pauses
    bursts = rng.normal(0, 0.02, 10 * RATE) * (np.sin(np.arange(10 * RATE) / RATE * 9) > 0)
    bursts[RATE] = 0.9  # a click
    out = normalise(bursts, RATE)
    assert integrated_loudness(out, RATE) == pytest.approx(TARGET_LUFS, abs=0.2)
    assert float(np.max(np.abs(out))) <= true_peak_ceiling + 1e-6
    assert out.dtype == np.float32


def test_limiter_leaves_quiet_signals_alone_and_caps_loud_ones() -> None:
    quiet = tone(440, -12, 1).astype(np.float32)
    assert np.array_equal(limit(quiet, RATE), quiet)
    loud = tone(440, 6, 1).astype(np.float32)
    capped = limit(loud, RATE)
    assert float(np.max(np.abs(capped))) <= true_peak_ceiling + 1e-6
