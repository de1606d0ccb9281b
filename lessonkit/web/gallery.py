"""The gallery: one static index.html over every bundle in media/web/.

Self-contained on purpose: relative links only, the CSS inline, no external font, CDN or
script, so the folder works from file:// and from any static host. Text tracks are inlined as
data: URLs because Chromium refuses to load <track> files from file:// pages; the embed
snippet shown for copying keeps the bundle's relative file names.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lessonkit import __version__
from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import ENGLISH, N_, Words, builtin_words
from lessonkit.web.bundle import web_root
from lessonkit.web.embed import embed_document, explore_links, video_html
from lessonkit.web.files import human_size, write_text
from lessonkit.web.manifest import file_problems, read_manifest

__all__ = ["Site", "find_bundles", "gallery_html", "build_site", "fps_text"]

_CSS = """
:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--ink:#1b1f24;--muted:#59626e;
--line:#d8dde4;--accent:#1f5fc4;--code:#eef1f5}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#181b22;--ink:#e6e8eb;
--muted:#9ba4ae;--line:#2b303a;--accent:#82b1ff;--code:#11141a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,sans-serif}
header,main,footer{max-width:1240px;margin:0 auto;padding:1rem 1.25rem}
header h1{margin:.2rem 0;font-size:1.6rem}header p,footer{color:var(--muted);margin:0}
main{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,360px),1fr))}
article{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;
display:flex;flex-direction:column;gap:.6rem;min-width:0}
article h2{margin:0;font-size:1.1rem}article h2 a{color:inherit;text-decoration:none}
.facts{margin:0;color:var(--muted);font-size:.9rem}
a{color:var(--accent)}summary{cursor:pointer;color:var(--accent)}
ol.chapters{margin:.4rem 0 0;padding-left:1.6rem;font-size:.9rem}
ol.chapters button{display:block;width:100%;font:inherit;color:inherit;background:none;
border:0;padding:0;text-align:left;cursor:pointer}
ol.chapters time{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:.4rem}
pre{margin:.4rem 0 0;padding:.6rem;overflow:auto;max-height:14rem;background:var(--code);
border:1px solid var(--line);border-radius:6px;font-size:.75rem;line-height:1.4;
white-space:pre-wrap;overflow-wrap:anywhere}
.files{margin:0;font-size:.85rem;color:var(--muted)}
"""

# an inline icon: without one, browsers ask the host for /favicon.ico (a 404 on most hosts)
_ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Cpath d='M1 15Q9 15 15 1' stroke='%236cd7ed' stroke-width='2.5' fill='none'/%3E"
    "%3C/svg%3E"
)

# Chapter buttons seek their video; without scripts the list still reads as a table of contents.
_SCRIPT = """
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-seek]");
  if (!button) return;
  var video = document.getElementById(button.getAttribute("data-video"));
  if (!video) return;
  video.currentTime = Number(button.getAttribute("data-seek"));
  var playing = video.play();
  if (playing && playing.catch) playing.catch(function () {});
});
"""


@dataclass
class Site:
    """A written gallery: its index, the bundles on it and problems found in them."""

    index: Path
    manifests: list[dict[str, Any]]
    warnings: list[str]


def find_bundles(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(folder, manifest) for each bundle under root: the lesson first, then clips by title."""
    found = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            manifest = folder / "manifest.json"
            if folder.is_dir() and not folder.name.startswith(".") and manifest.is_file():
                found.append((folder, read_manifest(manifest)))
    return sorted(
        found, key=lambda fm: (fm[1].get("kind") != "lesson", fm[1]["title"], fm[1]["slug"])
    )


def _data_url(path: Path, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(path.read_bytes()).decode()


def _clock(seconds: float) -> str:
    """'1:05' or '1:02:05'."""
    s = int(seconds)
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m}:{s % 60:02d}"


def _facts(m: dict[str, Any], words: Words = ENGLISH) -> str:
    maths = [d["text"] for clip in m.get("clips", []) for d in clip.get("derivatives", [])]
    if m.get("kind") == "lesson":
        count = len(m.get("clips", []))
        clips = words(N_("1 clip")) if count == 1 else words(N_("{count} clips"))
        maths = [clips.replace("{count}", str(count))]
    video = [f"{m['duration']:.1f} s", f"{m['width']}×{m['height']}", fps_text(m["fps"])]
    return " · ".join([*maths, *video])


def _article(folder: Path, m: dict[str, Any]) -> str:
    slug = m["slug"]
    base = quote(folder.name) + "/"
    vid = f"video-{slug}"
    words = builtin_words(m.get("language", "en"))
    vtt = [t["file"] for t in m.get("caption_tracks") or [m["captions"]]]
    tracks = {
        name: _data_url(folder / name, "text/vtt") for name in [*vtt, m["chapters"]["file"]]
    }
    chapters = "\n".join(
        f'<li><button type="button" data-video="{escape(vid)}" data-seek="{s["start"]}">'
        f"<time>{_clock(s['start'])}</time>{escape(s['title'])}</button></li>"
        for s in m["sections"]
    )
    labels = {
        "video/mp4": "MP4",
        "video/webm": "WebM",
        "poster": words(N_("poster")),
        "animation": "GIF",
        "captions": words(N_("captions")),
        "chapters": words(N_("chapters")),
        "embed": "embed.html",
        "explore": words(N_("explore")),
    }
    langs = {t["file"]: t["lang"] for t in m.get("caption_tracks", [])}

    def label(f: dict[str, Any]) -> str:
        text = labels.get(f["role"], f["name"])
        if f["name"] in langs and len(langs) > 1:
            text += f" ({langs[f['name']]})"  # captions (ko), captions (en)
        return escape(text)

    files = " · ".join(
        f'<a href="{base}{quote(f["name"])}">{label(f)}</a> {human_size(int(f["bytes"]))}'
        for f in m["files"]
    )
    lang = escape(m.get("language", "en"))
    chapters_head = words(N_("Chapters ({count})")).replace("{count}", str(len(m["sections"])))
    copy = words(N_("Copy the folder {folder} next to your page and paste:"))
    copy = escape(copy).replace("{folder}", f"<code>{escape(folder.name)}/</code>")
    embed_head = words(N_("Embed this clip"))
    explore = explore_links(m, base)
    manifest_label = words(N_("manifest"))
    snippet = escape(embed_document(m))
    return f"""<article id="{escape(slug)}" lang="{lang}">
<h2><a href="#{escape(slug)}">{escape(m["title"])}</a></h2>
<p class="facts">{escape(_facts(m, words))}</p>
{video_html(m, base=base, tracks=tracks, element_id=vid, caption=False)}{explore}<details>
<summary>{escape(chapters_head)}</summary>
<ol class="chapters">
{chapters}
</ol>
</details>
<details open>
<summary>{escape(embed_head)}</summary>
<p class="files">{copy}</p>
<pre><code>{snippet}</code></pre>
</details>
<p class="files">{files} · <a href="{base}manifest.json">{escape(manifest_label)}</a></p>
</article>"""


def fps_text(fps: float) -> str:
    """A frame rate as people write it: '15 fps', '29.97 fps', never '15.000294 fps'.

    >>> fps_text(15.000294), fps_text(30), fps_text(29.97002997)
    ('15 fps', '30 fps', '29.97 fps')
    """
    nearest = round(float(fps))
    if abs(float(fps) - nearest) < 0.01:
        return f"{nearest} fps"
    return f"{float(fps):.2f}".rstrip("0").rstrip(".") + " fps"


def gallery_html(bundles: list[tuple[Path, dict[str, Any]]], title: str = "Lesson clips") -> str:
    """The index page's HTML for (folder, manifest) pairs."""
    count = f"{len(bundles)} video{'s' if len(bundles) != 1 else ''}"
    articles = "\n".join(_article(folder, m) for folder, m in bundles)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lessonkit {escape(__version__)}">
<title>{escape(title)}</title>
<link rel="icon" href="{_ICON}">
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p>{count}. Each folder here is a self-contained bundle: video (MP4 and WebM), poster, GIF,
captions, chapters and an embed snippet.</p>
</header>
<main>
{articles}
</main>
<footer>Made with lessonkit {escape(__version__)}.</footer>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def build_site(media_dir: Path, title: str = "Lesson clips") -> Site:
    """Write media/web/index.html over every bundle; an error when there is none."""
    root = web_root(media_dir)
    bundles = find_bundles(root)
    if not bundles:
        raise LessonError(f"no web bundles under {root}/: make some with `lessonkit export`")
    warnings = [f"{folder.name}/{p}" for folder, m in bundles for p in file_problems(folder, m)]
    index = write_text(root / "index.html", gallery_html(bundles, title))
    return Site(index, [m for _, m in bundles], warnings)
