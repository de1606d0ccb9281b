"""Read back a rendered video with PyAV: frames counted by decoding, duration, size."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["VideoInfo", "probe"]


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, from decoding every frame."""

    path: str
    frames: int
    fps: float
    duration_s: float  # frames / fps: the length a viewer sees
    container_duration_s: float | None
    width: int
    height: int
    codec: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def probe(path: Path) -> VideoInfo:
    """Decode `path` completely and count its frames (container metadata can be wrong)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        frames = sum(1 for _ in container.decode(stream))
        # the nominal rate: average_rate drifts (6.000183) on Manim's concatenated files
        fps = float(stream.guessed_rate or stream.base_rate or stream.average_rate or 0)
        return VideoInfo(
            path=str(path),
            frames=frames,
            fps=fps,
            duration_s=frames / fps if fps else 0.0,
            container_duration_s=(container.duration / 1e6) if container.duration else None,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            codec=stream.codec_context.name,
        )
