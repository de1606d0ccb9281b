"""Clips for course pages: web bundles (video, poster, GIF, captions, chapters, embed
snippet, manifest) and a static gallery over them.

`write_bundle` turns a finished render into media/web/<slug>/; `build_site` writes
media/web/index.html. The modules: `media` (MP4/WebM with PyAV), `preview` (poster and GIF),
`chapters` and `captions` (WebVTT), `embed` (the <video> snippet), `manifest`, `bundle`,
`gallery`, and `files` (atomic writes, hashes).
"""

from __future__ import annotations

from lessonkit.web.bundle import Bundle, bundle_dir, web_root, write_bundle
from lessonkit.web.gallery import Site, build_site

__all__ = ["Bundle", "Site", "build_site", "bundle_dir", "web_root", "write_bundle"]
