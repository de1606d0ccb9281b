"""The <video> snippet course authors paste into a page (embed.html), and the gallery reuses.

Plain HTML with inline styles only (LMS editors such as Moodle and Canvas drop <style> and
<script>): both sources, the captions and chapters tracks, a poster, responsive width, and
a download link for browsers that play neither source. Every URL is relative.
"""

from __future__ import annotations

from html import escape
from typing import Any

from lessonkit.lesson.i18n import N_, builtin_words
from lessonkit.web.files import human_size

__all__ = ["video_html", "embed_document", "sources", "explore_links"]


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def sources(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The video files, smaller first: browsers take the first source they can play, so
    those that play both download fewer bytes; the other is the fallback."""
    sizes = {f["name"]: f["bytes"] for f in manifest["files"]}
    out = []
    for kind in ("webm", "mp4"):
        info = manifest["video"][kind]
        mime = f'video/{kind}; codecs="{info["codec_string"]}"'
        out.append(
            {"file": info["file"], "type": mime, "bytes": sizes.get(info["file"], 0), "kind": kind}
        )
    return sorted(out, key=lambda s: (s["bytes"], s["kind"] != "mp4"))


def video_html(
    manifest: dict[str, Any],
    base: str = "",
    tracks: dict[str, str] | None = None,
    element_id: str | None = None,
    caption: bool = True,
) -> str:
    """A <figure> holding the <video>; `base` prefixes every URL (e.g. 'square-a2/'),
    `tracks` may replace a text track's URL by its file name (the gallery passes data:
    URLs); `caption` adds the title under the video. Every caption track is listed, the
    video's own language the default; the words are in the video's language."""
    tracks = tracks or {}
    words = builtin_words(manifest.get("language", "en"))
    mp4 = manifest["video"]["mp4"]
    w, h = manifest["width"], manifest["height"]
    title = manifest["title"]
    mp4_size = next((f["bytes"] for f in manifest["files"] if f["name"] == mp4["file"]), 0)
    chapters_file = manifest["chapters"]["file"]
    chapters = tracks.get(chapters_file, base + chapters_file)
    ident = f' id="{_attr(element_id)}"' if element_id else ""
    lines = [
        '<figure style="margin:0;max-width:100%">',
        f'  <video{ident} controls playsinline preload="metadata" '
        f'poster="{_attr(base + manifest["poster"]["file"])}" width="{w}" height="{h}" '
        f'title="{_attr(title)}" '
        f'style="display:block;width:100%;height:auto;aspect-ratio:{w}/{h};background:#000">',
    ]
    for s in sources(manifest):
        mime = escape(s["type"], quote=False).replace("'", "&#x27;")  # single-quoted: keeps "
        lines.append(f"    <source src=\"{_attr(base + s['file'])}\" type='{mime}'>")
    for t in manifest.get("caption_tracks") or [manifest["captions"]]:
        src = tracks.get(t["file"], base + t["file"])
        lang, label = t.get("lang", "en"), t.get("label", "English")
        default = " default" if t.get("default", True) else ""
        lines.append(
            f'    <track kind="captions" srclang="{_attr(lang)}" label="{_attr(label)}" '
            f'src="{_attr(src)}"{default}>'
        )
    own = manifest.get("language", "en")
    download = words(N_("Download it (MP4, {size})")).replace("{size}", human_size(mp4_size))
    chapters_label = words(N_("Chapters"))
    cannot = words(N_("Your browser cannot play this video here."))
    lines += [
        f'    <track kind="chapters" srclang="{_attr(own)}" label="{_attr(chapters_label)}" '
        f'src="{_attr(chapters)}">',
        f"    <p>{escape(cannot)} "
        f'<a href="{_attr(base + mp4["file"])}">{escape(download)}</a>.</p>',
        "  </video>",
        *([f"  <figcaption>{escape(title)}</figcaption>"] if caption else []),
        "</figure>",
    ]
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text safe inside an HTML comment (which must not hold '--')."""
    return escape(str(text)).replace("--", "- -")


def explore_links(manifest: dict[str, Any], base: str = "") -> str:
    """A line of links to the bundle's explorable twins (the same nudge, in the student's
    hands), or "" when it has none."""
    pages = manifest.get("explore") or []
    if not pages:
        return ""
    words = builtin_words(manifest.get("language", "en"))
    lead = escape(words(N_("Try it yourself:")))
    links = " · ".join(
        f'<a href="{_attr(base + p["file"])}">{escape(p["title"])}</a>' for p in pages
    )
    return f'<p style="margin:.5rem 0 0">{lead} {links}</p>\n'


def embed_document(manifest: dict[str, Any]) -> str:
    """embed.html: a comment saying how to use it, the video snippet, then a second snippet:
    links to the explorable twins (explore.html), which work from file:// too."""
    return (
        f"<!-- {_comment(manifest['title'])}: lessonkit web bundle "
        f"{_comment(manifest['slug'])}/. Paths are relative to that folder;\n"
        "     serve it over http(s): browsers load captions only from a web server.\n"
        "     The paragraph after the video links its explorable twin(s): paste it too, or\n"
        "     put explore.html in an <iframe> beside the video. -->\n"
        + video_html(manifest)
        + explore_links(manifest)
    )
