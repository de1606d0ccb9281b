"""Watch mode: keep a lesson's storyboard current while its author edits the file.

Each step's still is cached under a key made from what the step draws: its own content,
the content of the earlier steps of its part (a part starts on an empty stage, so nothing
else shows), the drawing code and the frame size. Captions are not drawn, so editing one
redraws nothing and only rewrites the page. On every save the file is read again and only
the steps whose key is new are drawn, in this warm process (Manim stays imported).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lessonkit.base.errors import LessonError
from lessonkit.base.fsutil import write_text
from lessonkit.lesson.lessonfile import load_lesson
from lessonkit.lesson.spec import QUALITIES, LessonSpec
from lessonkit.lesson.storyboard import Step, lesson_steps

__all__ = ["Refresh", "Storyboard", "still_keys", "watch"]


def _drawn(step: Step) -> list[object]:
    """Everything about a step that can change its picture (its caption cannot)."""
    card = step.card
    return [
        step.kind,
        step.name,
        step.duration,
        step.spec.to_json() if step.spec is not None else None,
        step.point_index,
        step.row.da.text() if step.row is not None else None,
        None
        if card is None
        else [card.card, card.heading, list(card.lines), card.numbered, list(card.rules)],
        sorted(step.extra.items()),
    ]


def still_keys(lesson: LessonSpec, steps: list[Step], salt: str) -> dict[str, str]:
    """A content key per step; `salt` holds the drawing code's hash and the frame size."""
    keys: dict[str, str] = {}
    part: list[list[object]] = []
    for i, step in enumerate(steps):
        if i == 0 or steps[i - 1].part != step.part:
            part = []
        part.append(_drawn(step))
        payload = json.dumps([salt, lesson.digits, part], ensure_ascii=False, default=str)
        keys[step.name] = hashlib.sha256(payload.encode()).hexdigest()[:20]
    return keys


@dataclass
class Refresh:
    """What one pass did: the steps it drew, how long it took, or why the file was refused."""

    drawn: list[str] = field(default_factory=list)
    steps: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Storyboard:
    """A lesson file's stills and its self-reloading page, under `folder`."""

    lesson_path: Path
    folder: Path
    size: tuple[int, int] | None = None
    last_good: list[tuple[Step, str]] = field(default_factory=list)
    title: str = ""
    language: str | None = None  # None: the lesson's own

    @property
    def page(self) -> Path:
        return self.folder / "storyboard.html"

    @property
    def cache(self) -> Path:
        return self.folder / "stills"

    def refresh(self) -> Refresh:
        """Read the file again, draw the stills that changed, rewrite the page."""
        from lessonkit.render import RenderJob, render
        from lessonkit.render.job import source_fingerprint

        start = time.perf_counter()
        try:
            lesson = load_lesson(self.lesson_path, self.language)
            steps = lesson_steps(lesson)
        except LessonError as exc:
            self._write_page(str(exc))
            return Refresh(error=str(exc), seconds=time.perf_counter() - start)
        quality = QUALITIES["preview"]
        size = self.size or (quality.width, quality.height)
        keys = still_keys(lesson, steps, f"{source_fingerprint()}:{size}")
        self.cache.mkdir(parents=True, exist_ok=True)
        missing = [s.name for s in steps if not (self.cache / f"{keys[s.name]}.png").exists()]
        if missing:
            job = RenderJob(
                lesson,
                quality,
                media_dir=self.folder / ".render",
                stills_only=True,
                size=size,
                use_cache=False,
                only=tuple(missing),
            )
            result = render(job)
            for path in result.stills:
                name = path.stem.split("-", 1)[1]
                os.replace(path, self.cache / f"{keys[name]}.png")
        self.title = lesson.title
        self.last_good = [(s, keys[s.name]) for s in steps]
        self._write_page(None)
        self._prune({keys[s.name] for s in steps})
        return Refresh(missing, len(steps), time.perf_counter() - start)

    def _prune(self, keep: set[str], spare: int = 200) -> None:
        """Forget the oldest stills no step shows, beyond `spare` kept so that undoing an
        edit redraws nothing."""
        unused = [p for p in self.cache.glob("*.png") if p.stem not in keep]
        unused.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for png in unused[spare:]:
            png.unlink(missing_ok=True)

    def _write_page(self, error: str | None) -> None:
        """The storyboard page: every step's still and caption; it reloads itself."""
        cards = []
        for i, (step, key) in enumerate(self.last_good):
            cards.append(
                f'<figure id="{html.escape(step.name)}"><img src="stills/{key}.png" '
                f'alt="{html.escape(step.name)}"><figcaption><b>{i:02d} '
                f"{html.escape(step.name)}</b> · {step.duration:g} s<br>"
                f"{html.escape(step.caption)}</figcaption></figure>"
            )
        banner = f'<p class="error">{html.escape(error)}</p>' if error else ""
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta http-equiv="refresh" content="2">'
            f"<title>{html.escape(self.title or self.lesson_path.name)} · storyboard</title>"
            "<style>body{font:14px system-ui,sans-serif;margin:1rem;background:#111;color:#ddd}"
            "main{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));"
            "gap:1rem}figure{margin:0}img{width:100%;display:block}"
            ".error{background:#822;color:#fff;padding:.6rem;font-weight:bold}</style></head>"
            f"<body><h1>{html.escape(self.title)}</h1>"
            f"<p>{html.escape(str(self.lesson_path))}: {len(self.last_good)} steps</p>"
            f"{banner}<main>{''.join(cards)}</main></body></html>\n"
        )
        write_text(self.page, page)


def _followed(path: Path, lesson: Path) -> bool:
    """The lesson file itself or one of its catalogues ('<lesson>.<lang>.po')."""
    return path == lesson or (
        path.parent == lesson.parent
        and path.suffix == ".po"
        and path.name.startswith(lesson.stem + ".")
    )


def watch(
    board: Storyboard,
    report: Callable[[Refresh], None],
    stop: threading.Event | None = None,
) -> None:
    """Refresh once, then again after every change to the lesson file, until `stop` is set
    (or Ctrl-C). Editors that save by renaming a new file over the old one are seen too."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    target = board.lesson_path.resolve()
    # the lesson file, and its catalogues beside it (a translator's save redraws too)
    changes: queue.Queue[float] = queue.Queue()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type not in ("created", "modified", "moved", "closed"):
                return  # reading the file (as every pass does) must not start another pass
            paths = [event.src_path, getattr(event, "dest_path", "")]
            if any(p and _followed(Path(os.fsdecode(p)).resolve(), target) for p in paths):
                changes.put(time.perf_counter())

    stop = stop or threading.Event()
    report(board.refresh())
    observer = Observer()
    observer.schedule(Handler(), str(target.parent), recursive=False)
    observer.start()
    try:
        while not stop.is_set():
            try:
                seen = changes.get(timeout=0.2)
            except queue.Empty:
                continue
            time.sleep(0.05)  # let an editor finish writing; fold a burst into one pass
            while not changes.empty():
                changes.get_nowait()
            result = board.refresh()
            result.seconds = time.perf_counter() - seen  # from the save being seen
            report(result)
    finally:
        observer.stop()
        observer.join(timeout=5)
