"""explore.html: the clip's nudge as a self-contained page to play with, beside its video.

One file with inline SVG, CSS and plain JavaScript (no CDN, framework or network request), so
it works from file:// and from any static host. The student drags the point along the curve
or types a, picks Δa on a logarithmic slider (1 ... 0.000001), types it or presses one of the
clip's nudges; the view zooms with Δa as the video does; the readouts and the convergence
table use the video's colours and number texts (exact "=" or rounded "≈"). With the video on
the page, choosing a chapter sets the widget to that step and "watch this step" seeks there.
The page's script documents its API, ``window.lessonkitTwin`` (``set``, ``readouts``,
``relations``, ``table``, ``chapter``), in ``explore_page.js``.

The twin: a JSON-able dict, every key required unless marked optional::

    {
      "title": "The slope of a²",             # the page's heading and <title>
      "language": "en",                        # <html lang>
      "digits": 10,                            # significant digits of rounded values
      "function": {...},                       # twin_function(fn): handed to LessonkitMath only
      "formula": "a²",                         # optional: shown as f(a) = ...
      "derivative": "2a",                      # optional: shown as f'(a) = ...
      "points": ["2", "5"],                    # decimal strings; the widget starts at the first
      "schedule": ["1", "0.1", "0.01", "0.001"],  # the clip's nudges: one button each
      "start": {"a": "2", "da": "1"},          # optional: the first picture (default: the
                                               # first point and the first nudge)
      "window": {"x0": 0, "x1": 6, "y0": 0, "y1": 36},  # the plot at full view
      "steps": [                               # the video's chapters, in order
        {"name": "nudge-a2", "title": "Nudge Δa = 1: Δf/Δa = 5",
         "start": 4.2, "end": 9.0,             # seconds
         "a": "2", "da": "1"},                 # what the step shows; null where it shows none
      ],
      "video": {                               # optional (null or absent: no video)
        "sources": [{"file": "x.webm", "type": "video/webm; codecs=..."}, ...],
        "poster": "poster.jpg", "width": 1280, "height": 720,
        "tracks": [{"file": "captions.en.vtt", "kind": "captions", "lang": "en",
                    "label": "English", "default": true},
                   {"file": "chapters.vtt", "kind": "chapters", "lang": "en"}],
      },                                       # file names relative to the page; tracks are
                                               # added only over http(s) (not from file://)
      "words": {...},                          # ENGLISH_WORDS's keys, already translated;
    }                                          # missing ones fall back to English
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from lessonkit.base.errors import LessonError
from lessonkit.lesson.i18n import N_
from lessonkit.parts.nudge.twin.style import CSS

__all__ = [
    "EXPLORE_FILE",
    "ENGLISH_WORDS",
    "COLOURS",
    "compact_script",
    "page_script",
    "check_twin",
    "explore_html",
]

EXPLORE_FILE = "explore.html"
PAGE_SCRIPT = Path(__file__).with_name("explore_page.js")

#: The page's words in English; the bundle passes them translated in twin["words"].
ENGLISH_WORDS: dict[str, str] = {
    "explore": N_("Explore"),
    "hint": N_("Drag the point along the curve or type a value; shrink Δa and watch Δf/Δa "
    "approach f'(a)."),
    "point": N_("The point a on the curve"),
    "type_value": N_("type a value"),
    "set": N_("Set"),
    "da": N_("Δa"),
    "log_scale": N_("logarithmic scale"),
    "schedule": N_("The video's nudges"),
    "readouts": N_("Readouts"),
    "table": N_("Δf/Δa as Δa shrinks"),
    "chapters": N_("Chapters"),
    "watch": N_("Watch this step"),
    "video": N_("The video"),
    "zoom": N_("zoom"),
    "invalid": N_("Type a number such as 0.01"),
    "outside": N_("Outside the function's domain"),
    "no_script": N_("This page needs JavaScript to draw the curve."),
}

#: lessonkit.draw.palette's colours (web does not import draw, which imports Manim); a test
#: checks they agree
COLOURS = {
    "bg": "#0E1116",
    "curve": "#6CD7ED",
    "point": "#FFD23F",
    "nudge-a": "#86D294",
    "nudge-f": "#EB7E37",
    "slope": "#CD60CE",
    "text": "#ECEFF4",
    "muted": "#8A93A3",
    "panel": "#161B22",
}

#: the readouts, in the video panel's order: (key of LessonkitMath.row, label, colour)
READOUTS = (
    ("a", "a", "point"),
    ("f_a", "f(a)", "point"),
    ("da", "Δa", "nudge-a"),
    ("f_a_plus_da", "f(a + Δa)", "text"),
    ("df", "Δf", "nudge-f"),
    ("ratio", "Δf/Δa", "slope"),
    ("slope", "f'(a)", "slope"),
)

# an inline icon: without one, browsers ask the host for /favicon.ico
_ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Cpath d='M1 15Q9 15 15 1' stroke='%236cd7ed' stroke-width='2.5' fill='none'/%3E"
    "%3C/svg%3E"
)

# no fetch, XHR, plug-in or form post can leave the page
_CSP = "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"

_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def compact_script(source: str, trailing: bool = False) -> str:
    """JavaScript as inlined: indentation, blank lines and whole-line // comments dropped
    (a /* */ header comment, which documents an API, is kept); with `trailing`, also a
    ' // ...' comment after ';', '{' or ',' (safe for explore_page.js, whose strings hold
    no such text). Saves about an eighth of the page."""
    lines = []
    for line in source.splitlines():
        text = line.strip()
        if text and not text.startswith("//"):
            lines.append(re.sub(r"(?<=[;{,]) // .*$", "", text) if trailing else text)
    return "\n".join(lines) + "\n"


def page_script() -> str:
    """explore_page.js as inlined (see `compact_script`)."""
    return compact_script(PAGE_SCRIPT.read_text(encoding="utf-8"), trailing=True)


def _inline_script(source: str) -> str:
    """Source safe inside <script>: a '</script' in it would end the element early."""
    return re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)


def _json_script(data: Mapping[str, Any]) -> str:
    """JSON for a <script type="application/json">: '<' escaped, so no tag can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _fail(what: str, fix: str) -> LessonError:
    return LessonError(f"the explore page's twin {what}; {fix}")


def _decimals(twin: Mapping[str, Any], key: str) -> list[str]:
    values = twin[key]
    if not isinstance(values, list) or not values:
        raise _fail(f"{key} is {values!r}", 'give a list of decimal strings such as ["2"]')
    for value in values:
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            raise _fail(f"{key} holds {value!r}", 'write each as a decimal string such as "0.01"')
    return values


def check_twin(twin: Mapping[str, Any]) -> None:
    """Raise a LessonError naming the first missing or bad key of `twin` and the fix."""
    for key in ("title", "language", "digits", "function", "points", "schedule", "window",
                "steps"):
        if key not in twin:
            raise _fail(f"has no {key!r}", "see lessonkit/parts/nudge/twin/page.py for every key")
    _decimals(twin, "points")
    for da in _decimals(twin, "schedule"):
        if not 0 < float(da) <= 1:
            raise _fail(f"schedule holds {da!r}", "every nudge lies in 0 < Δa <= 1")
    w = twin["window"]
    try:
        ok = float(w["x0"]) < float(w["x1"]) and float(w["y0"]) < float(w["y1"])
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        raise _fail(f"window is {w!r}", "give numbers x0 < x1 and y0 < y1")
    if not isinstance(twin["digits"], int) or not 1 <= twin["digits"] <= 30:
        raise _fail(f"digits is {twin['digits']!r}", "give a whole number from 1 to 30")
    for i, step in enumerate(twin["steps"]):
        missing = [k for k in ("title", "start", "end", "a", "da") if k not in step]
        if missing:
            raise _fail(f"step {i} has no {', '.join(missing)}", "use null where a step shows none")
        if step["end"] < step["start"]:
            raise _fail(f"step {i} ends before it starts", "give start <= end in seconds")
    video = twin.get("video")
    if video is not None and not video.get("sources"):
        raise _fail("video has no sources", "list the bundle's files, or pass video None")


def _clock(seconds: float) -> str:
    """'1:05' for 65.4 seconds."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _video(video: Mapping[str, Any], words: Mapping[str, str]) -> str:
    w, h = int(video.get("width") or 16), int(video.get("height") or 9)
    poster = f' poster="{escape(video["poster"])}"' if video.get("poster") else ""
    sources = "".join(
        f'<source src="{escape(s["file"])}" type="{escape(s.get("type", ""))}">'
        for s in video["sources"]
    )
    return (
        f'<figure class="video"><video id="twin-video" data-twin controls playsinline '
        f'preload="metadata"{poster} width="{w}" height="{h}" '
        f'aria-label="{escape(words["video"])}" style="aspect-ratio:{w}/{h}">'
        f"{sources}</video></figure>"
    )


def _panel(twin: Mapping[str, Any], words: Mapping[str, str]) -> str:
    rows = []
    for key, label, colour in READOUTS:
        if key == "slope":
            rows.append('<div class="sep"></div>')
        rows.append(
            f'<span class="name c-{colour}">{escape(label)}</span>'
            f'<span class="rel c-{colour}" id="twin-r-{key}">=</span>'
            f'<span class="val c-{colour}" id="twin-v-{key}"></span>'
        )
    schedule = "".join(
        f'<button type="button" data-da="{escape(da)}" aria-pressed="false">'
        f"Δa = {escape(da)}</button>"
        for da in twin["schedule"]
    )
    e = {k: escape(v) for k, v in words.items()}
    return f"""<section class="panel" aria-label="{e['readouts']}">
<div id="twin-readouts" class="readouts" role="status" aria-live="polite">{''.join(rows)}</div>
<form id="twin-a-form" novalidate><label for="twin-a-input" class="c-point">a</label>
<input type="text" id="twin-a-input" inputmode="decimal" autocomplete="off" spellcheck="false"
placeholder="{e['type_value']}" aria-describedby="twin-a-error">
<button type="submit">{e['set']}</button></form>
<p class="err" id="twin-a-error" aria-live="polite"></p>
<div class="field"><label for="twin-da-slider" class="c-nudge-a">{e['da']}</label>
<input type="range" id="twin-da-slider" min="0" max="6" step="1" value="0"
aria-describedby="twin-da-scale">
<span class="ends" id="twin-da-scale"><span>1</span><span>{e['log_scale']}</span>
<span>0.000001</span></span></div>
<form id="twin-da-form" novalidate><label for="twin-da-input" class="c-nudge-a">{e['da']}</label>
<input type="text" id="twin-da-input" inputmode="decimal" autocomplete="off" spellcheck="false"
placeholder="{e['type_value']}" aria-describedby="twin-da-error">
<button type="submit">{e['set']}</button></form>
<p class="err" id="twin-da-error" aria-live="polite"></p>
<div class="sched" id="twin-schedule" role="group" aria-label="{e['schedule']}">{schedule}</div>
<table><caption>{e['table']}</caption>
<thead><tr><th scope="col">Δa</th><th scope="col">Δf/Δa</th></tr></thead>
<tbody id="twin-table-rows"></tbody>
<tfoot><tr><td></td><td id="twin-table-slope"></td></tr></tfoot></table>
</section>"""


def _steps(twin: Mapping[str, Any], words: Mapping[str, str], has_video: bool) -> str:
    items = "".join(
        f'<li><button type="button" data-step="{i}"><time>{_clock(float(s["start"]))}</time>'
        f'{escape(str(s["title"]))}</button></li>'
        for i, s in enumerate(twin["steps"])
    )
    disabled = "" if has_video else " disabled"
    return (
        f'<section class="steps" aria-labelledby="twin-steps-h">'
        f'<h2 id="twin-steps-h">{escape(words["chapters"])}</h2>'
        f'<p class="watch"><button type="button" id="twin-watch"{disabled}>▶ '
        f'{escape(words["watch"])}</button> <span id="twin-step-title"></span></p>'
        f'<ol id="twin-chapters">{items}</ol></section>'
    )


def explore_html(twin: Mapping[str, Any], math_js: str) -> str:
    """The whole explore.html for one clip: `twin` as described in this module's docstring,
    `math_js` the source that defines the global LessonkitMath (twin_math.js)."""
    check_twin(twin)
    words = ENGLISH_WORDS | dict(twin.get("words") or {})
    data = dict(twin) | {"words": words}
    video = twin.get("video")
    colours = ";".join(f"--{name}:{value}" for name, value in COLOURS.items())
    formula = ""
    if twin.get("formula"):
        formula = f'<span class="f">f(a) = {escape(twin["formula"])}</span>'
        if twin.get("derivative"):
            formula += f' · <span class="d">f\'(a) = {escape(twin["derivative"])}</span>'
        formula = f"<p>{formula}</p>"
    title = escape(str(twin["title"]))
    lang = escape(str(twin["language"]))
    svg = (
        '<svg id="twin-plot" viewBox="0 0 640 400" role="group" '
        f'aria-label="{escape(str(twin["title"]))}"><g id="twin-scene"></g>'
        f'<circle id="twin-point" class="hit" r="22" cx="0" cy="0" tabindex="0" role="slider" '
        f'aria-label="{escape(words["point"])}" aria-valuemin="{twin["window"]["x0"]}" '
        f'aria-valuemax="{twin["window"]["x1"]}" aria-valuenow="0"></circle></svg>'
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>{title} · {escape(words['explore'])}</title>
<link rel="icon" href="{_ICON}">
<style>:root{{{colours}}}{CSS}</style>
</head>
<body>
<header><h1>{title}</h1>{formula}<p class="hint">{escape(words['hint'])}</p></header>
<main id="twin">
<div class="col">
<figure class="plot">{svg}</figure>
{_steps(twin, words, video is not None)}
</div>
<div class="col">
{_panel(twin, words)}
{_video(video, words) if video is not None else ""}
</div>
</main>
<noscript><p>{escape(words['no_script'])}</p></noscript>
<script type="application/json" id="lessonkit-twin">{_json_script(data)}</script>
<script>{_inline_script(compact_script(math_js))}</script>
<script>{_inline_script(page_script())}</script>
</body>
</html>
"""
