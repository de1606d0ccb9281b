"""Loudness as listeners hear it: ITU-R BS.1770-4 / EBU R128 integrated loudness, in LUFS.

Peak or RMS levels would let a hissy recording or a quiet synthetic voice through at the
wrong level; BS.1770 weights the spectrum as the ear does (K-weighting) and gates out
silence, so that every step, recorded or synthetic, can be brought to one level: -16 LUFS,
the usual target for web video.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["TARGET_LUFS", "integrated_loudness", "normalise", "limit", "true_peak_ceiling"]

#: the level every narration is brought to (web video; EBU R128 broadcast is -23)
TARGET_LUFS = -16.0
#: highest sample level after normalising (about -1 dBFS), so that nothing clips
true_peak_ceiling = 10 ** (-1.0 / 20)
_BLOCK = 0.4  # gating block, seconds
_STEP = 0.1  # 75 % overlap
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0


def _k_weighting(rate: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The two K-weighting biquads (high shelf, then high pass) for `rate`, from the
    analogue prototypes, so any rate works; at 48 kHz they are the standard's own table."""
    # stage 1: high shelf, +4 dB above about 1.5 kHz
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    b1 = np.array([(vh + vb * k / q + k * k), 2 * (k * k - vh), (vh - vb * k / q + k * k)]) / a0
    a1 = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    # stage 2: high pass near 38 Hz
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    b2 = np.array([1.0, -2.0, 1.0])
    a2 = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return b1, a1, b2, a2


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness of mono `samples` (floats, full scale 1.0) in LUFS; -inf for
    silence or anything shorter than one 400 ms block."""
    from scipy.signal import lfilter  # type: ignore[import-untyped]

    x = np.asarray(samples, dtype=np.float64)
    block, step = int(round(_BLOCK * rate)), int(round(_STEP * rate))
    if x.size < block:
        return -math.inf
    b1, a1, b2, a2 = _k_weighting(rate)
    z = lfilter(b2, a2, lfilter(b1, a1, x)) ** 2
    # mean square of each 400 ms block, 100 ms apart, from a running sum
    csum = np.concatenate([[0.0], np.cumsum(z)])
    starts = np.arange(0, x.size - block + 1, step)
    power = (csum[starts + block] - csum[starts]) / block
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(power)
    kept = power[levels > _ABSOLUTE_GATE]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(kept.mean()) + _RELATIVE_GATE
    with np.errstate(divide="ignore"):
        kept = kept[-0.691 + 10 * np.log10(kept) > relative]
    return -0.691 + 10 * math.log10(kept.mean()) if kept.size else -math.inf


def limit(samples: np.ndarray, rate: int, ceiling: float = true_peak_ceiling) -> np.ndarray:
    """Peaks above `ceiling` turned down smoothly (a look-ahead peak limiter): the gain
    follows the loudest sample within 5 ms either side, eased over 5 ms, so speech keeps
    its loudness while no sample clips."""
    from scipy.ndimage import maximum_filter1d, uniform_filter1d  # type: ignore[import-untyped]

    x = np.asarray(samples, dtype=np.float32)
    if x.size == 0 or float(np.max(np.abs(x))) <= ceiling:
        return x
    window = max(1, int(rate * 0.010))
    envelope = maximum_filter1d(np.abs(x), size=2 * window + 1)
    gain = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-9))
    gain = uniform_filter1d(gain, size=window)
    gain = np.minimum(gain, ceiling / np.maximum(np.abs(x), 1e-9))  # never above the ceiling
    out: np.ndarray = (x * gain).astype(np.float32)
    return out


def normalise(samples: np.ndarray, rate: int, target: float = TARGET_LUFS) -> np.ndarray:
    """`samples` brought to `target` LUFS (float32), peaks limited below the ceiling rather
    than clipped. Silence is returned as it is."""
    x = np.asarray(samples, dtype=np.float32)
    for _ in range(4):  # the limiter takes a little loudness back: measure again
        level = integrated_loudness(x, rate)
        if not math.isfinite(level):
            return x
        if abs(level - target) < 0.05:
            break
        x = limit(x * np.float32(10 ** ((target - level) / 20)), rate)
    return x
