"""A web bundle: everything a course page needs for one clip, in media/web/<slug>/.

`write_bundle` turns a finished render (lessonkit.render) into the bundle: a fast-start MP4,
a VP9 WebM, the poster, a looping GIF, WebVTT captions and chapters, embed.html and
manifest.json. The bundle is written whole in a staging folder and swapped in at once.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import exchange, output_lock, remove_stale, staging_name
from lessonkit.lesson.i18n import language_name
from lessonkit.lesson.lessonfile import retold
from lessonkit.lesson.spec import LessonSpec
from lessonkit.maths.loudness import TARGET_LUFS
from lessonkit.render import RenderResult
from lessonkit.web.captions import captions_vtt, chapters_vtt, step_captions_vtt
from lessonkit.web.chapters import (
    Chapter,
    chapters_from_sections,
    converged_step,
    read_sections,
    steps_for,
)
from lessonkit.web.embed import embed_document
from lessonkit.web.explore_bundle import write_explore_pages
from lessonkit.web.files import describe, write_text
from lessonkit.web.manifest import number, target_facts, write_manifest
from lessonkit.web.media import audio_facts, vp9_webm, web_mp4
from lessonkit.web.preview import MAX_BYTES, write_gif, write_poster

__all__ = ["WEB_FOLDER", "Bundle", "web_root", "bundle_dir", "write_bundle"]

WEB_FOLDER = "web"


@dataclass
class Bundle:
    """A written bundle: its folder, manifest and files (the manifest last)."""

    folder: Path
    manifest: dict[str, Any]
    files: list[Path]
    seconds: float

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)


def web_root(media_dir: Path) -> Path:
    """media/web/: where bundles and the gallery live."""
    return media_dir / WEB_FOLDER


def bundle_dir(media_dir: Path, slug: str) -> Path:
    """media/web/<slug>/"""
    return web_root(media_dir) / slug


def _still_for(result: RenderResult, section: str) -> Path | None:
    """The render's still of a section ('NN-<name>.png'), if it made one."""
    for path in result.stills:
        if path.name.endswith(".png") and path.name[:-4].split("-", 1)[-1] == section:
            return path
    return None


def write_bundle(
    result: RenderResult,
    gif_bytes: int = MAX_BYTES,
    log: Callable[[str], None] | None = None,
    root: Path | None = None,
) -> Bundle:
    """Write <root>/<slug>/ from a finished render (root: the render's media/web/)."""
    say = log or (lambda _: None)
    start = time.perf_counter()
    job = result.job
    if result.video is None or not result.video.exists():
        raise LessonError(f"the render of {job.slug} has no video to export")
    slug = job.slug
    parent = root if root is not None else web_root(job.media_dir)
    final = parent / slug
    parent.mkdir(parents=True, exist_ok=True)
    with output_lock(parent / f".{slug}.lock", f"the web bundle {slug}", say):
        for prefix in (f".{slug}.staging-", f".{slug}.old-"):
            remove_stale(parent, prefix)  # what an interrupted export left
        # written whole in a staging folder, then swapped in: a reader (or `site`) sees
        # the old bundle or the new one, never a mix of the two
        folder = parent / staging_name(f".{slug}.staging-")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        try:
            manifest, names = _write_files(result, folder, slug, gif_bytes, say)
            _keep_foreign(final, folder, slug)
            exchange(folder, final)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # after the swap: the old bundle
    files = [final / name for name in names]
    return Bundle(final, manifest, files, time.perf_counter() - start)


_OURS = (".mp4", ".webm", ".gif", ".webp", ".vtt", ".jpg", ".png", ".html", ".json")


def _ours(name: str, slug: str) -> bool:
    """A file name an export writes (or wrote in an earlier version of the bundle)."""
    return Path(name).suffix in _OURS and (
        name.startswith(f"{slug}.")
        or name.startswith("poster.")
        or (name.startswith("captions.") and name.endswith(".vtt"))
        or name in ("chapters.vtt", "embed.html", "manifest.json")
        or (name.startswith("explore") and name.endswith(".html"))
    )


def _keep_foreign(old: Path, new: Path, slug: str) -> None:
    """Carry what the author put in the old bundle (notes, extra pages) into the new one;
    lessonkit's own files are the new export's (a stale GIF or WebP is dropped)."""
    if not old.is_dir():
        return
    for item in old.iterdir():
        if _ours(item.name, slug) or (new / item.name).exists():
            continue
        if item.is_dir():
            shutil.copytree(item, new / item.name, symlinks=True)
        else:
            try:
                os.link(item, new / item.name)
            except OSError:
                shutil.copy2(item, new / item.name)


def _caption_tracks(
    result: RenderResult, folder: Path, chapters: list[Chapter], duration: float
) -> list[dict[str, Any]]:
    """captions.<lang>.vtt for the video's language (from the render's own .srt) and for
    each other language the lesson asks for (`captions = [...]`), timed by the sections;
    the video's language first, the default track."""
    target = result.job.target
    own = target.words.language
    languages = target.caption_languages if isinstance(target, LessonSpec) else (own,)
    tracks: list[dict[str, Any]] = []
    for lang in languages:
        if lang == own:
            text, cues = captions_vtt(result.captions, duration)
        else:
            assert isinstance(target, LessonSpec)
            text, cues = step_captions_vtt(chapters, steps_for(retold(target, lang)), duration)
        path = write_text(folder / f"captions.{lang}.vtt", text)
        tracks.append(
            {
                "file": path.name,
                "lang": lang,
                "label": language_name(lang),
                "cues": cues,
                "default": lang == own,
            }
        )
    return tracks


def _write_files(
    result: RenderResult,
    folder: Path,
    slug: str,
    gif_bytes: int,
    say: Callable[[str], None],
) -> tuple[dict[str, Any], list[str]]:
    """Every file of the bundle into `folder`; the manifest and the files' names."""
    job, target = result.job, result.job.target
    assert result.video is not None

    mp4 = web_mp4(result.video, folder / f"{slug}.mp4")
    in_lesson = isinstance(target, LessonSpec)
    chapters = chapters_from_sections(
        read_sections(result.sections), mp4.fps, steps_for(target), in_lesson
    )
    counted = chapters[-1].start_frame + chapters[-1].frames
    if counted != mp4.frames:
        raise LessonError(
            f"the render's sections hold {counted} frames but {mp4.path.name} "
            f"holds {mp4.frames}; render again with --force"
        )
    say(f"  mp4   {mp4.width}x{mp4.height} {number(mp4.fps)} fps, {mp4.duration:.2f} s")
    webm = vp9_webm(mp4.path, folder / f"{slug}.webm", keyframes=[c.start_frame for c in chapters])
    say(f"  webm  VP9, {webm.frames} frames")
    sound = audio_facts(mp4.path)
    webm_sound = audio_facts(webm.path) if sound is not None else None
    if sound is not None:
        say(f"  audio {sound['codec']} and opus, {sound['loudness_lufs']} LUFS")

    converged = converged_step(target)
    poster_chapter = next((c for c in chapters if c.name == converged.name), chapters[-1])
    poster_at = max(0.0, poster_chapter.end - 0.5 * mp4.frame_seconds)
    poster = folder / "poster.jpg"
    poster_from = write_poster(poster, _still_for(result, poster_chapter.name), mp4.path, poster_at)
    say(f"  poster {poster_chapter.name} ({poster_from})")
    gif = write_gif(folder / f"{slug}.gif", mp4.path, max_bytes=gif_bytes)
    say(
        f"  gif   {gif.width}px {gif.fps:g} fps {gif.duration:.1f} s"
        + (f" (cut: {'; '.join(gif.cuts)})" if gif.cuts else "")
    )

    tracks = _caption_tracks(result, folder, chapters, mp4.duration)
    chapter_file = write_text(folder / "chapters.vtt", chapters_vtt(chapters, mp4.duration))

    roles = [
        (mp4.path, "video/mp4"),
        (webm.path, "video/webm"),
        (poster, "poster"),
        (gif.path, "animation"),
        *((folder / t["file"], "captions") for t in tracks),
        (chapter_file, "chapters"),
    ]
    manifest: dict[str, Any] = {
        **target_facts(target),
        "duration": round(mp4.duration, 3),
        "width": mp4.width,
        "height": mp4.height,
        "fps": number(mp4.fps),
        "frames": mp4.frames,
        "video": {
            "mp4": {
                "file": mp4.path.name,
                "codec": mp4.codec,
                "codec_string": mp4.codec_string,
                "pix_fmt": mp4.pix_fmt,
                "faststart": True,
                "frames": mp4.frames,
                "duration": round(mp4.duration, 3),
            },
            "webm": {
                "file": webm.path.name,
                "codec": webm.codec,
                "codec_string": webm.codec_string,
                "pix_fmt": webm.pix_fmt,
                "frames": webm.frames,
                "duration": round(webm.duration, 3),
            },
        },
        "audio": None
        if sound is None or webm_sound is None
        else {
            "mp4": sound["codec"],
            "webm": webm_sound["codec"],
            "rate": sound["rate"],
            "channels": sound["channels"],
            "seconds": sound["seconds"],
            "loudness_lufs": sound["loudness_lufs"],
            "target_lufs": TARGET_LUFS,
        },
        "poster": {
            "file": poster.name,
            "section": poster_chapter.name,
            "time": round(poster_at, 3),
            "from": poster_from,
        },
        "animation": gif.to_json(),
        "language": target.words.language,
        "captions": tracks[0],
        "caption_tracks": tracks,
        "chapters": {"file": chapter_file.name, "count": len(chapters)},
        "embed": "embed.html",
        "sections": [c.to_json() for c in chapters],
        "render": {
            "folder": job.folder,
            "reused": result.cached,
            "seconds": round(result.seconds, 2),
        },
        "files": [describe(p, role) for p, role in roles],
    }
    # the explorable twins come first: the embed snippet links to them
    pages = write_explore_pages(target, chapters, steps_for(target), manifest, folder)
    manifest["explore"] = pages
    for page in pages:
        manifest["files"].append(describe(folder / page["file"], "explore"))
    say(f"  explore {', '.join(p['file'] for p in pages)}")
    embed = write_text(folder / "embed.html", embed_document(manifest))
    manifest["files"].append(describe(embed, "embed"))
    files = [p for p, _ in roles] + [folder / page["file"] for page in pages] + [embed]
    files.append(write_manifest(folder / "manifest.json", manifest))
    return manifest, [p.name for p in files]
