/* lessonkit explore page: the clip's nudge to play with (plain JavaScript, no network).

The page holds the twin data (<script type="application/json" id="lessonkit-twin">), a
global LessonkitMath (row, value) and this script. Drag the point along the curve or type
a; choose Δa on a log slider (1 ... 0.000001), type it, or press one of the video's nudges;
the view zooms with Δa so the nudge triangle stays in sight, as in the video.

API (on the page's global scope):
  lessonkitTwin.set({a: "2", da: "0.001"})
      move the point and/or the nudge (decimal strings; either key may be left out);
      throws an Error naming a bad value; returns lessonkitTwin.readouts()
  lessonkitTwin.readouts()
      the displayed texts {a, f_a, da, f_a_plus_da, df, ratio, slope}: the digits after
      "=" or "≈", as `lessonkit table --format json` prints them
  lessonkitTwin.relations()   the sign before each text: {key: "=" or "≈"}
  lessonkitTwin.table()       the convergence table, largest Δa first:
                              [{da, ratio, relation}, ..., {slope, relation}]
  lessonkitTwin.chapter(i)    choose chapter i, as clicking it does
*/
(function () {
  "use strict";
  var M = window.LessonkitMath;
  var data = JSON.parse(document.getElementById("lessonkit-twin").textContent);
  var W = data.words;
  var SPEC = data["function"];
  var DIGITS = data.digits;
  var SVGNS = "http://www.w3.org/2000/svg";
  // the SVG's user units; the plot box inside leaves room for tick labels left and below,
  // more when the picture is drawn small (ts: how much larger text and dots are drawn)
  var VW = 640, VH = 400, R = VW - 10, T = 10, L, B, ts, ux, uy;
  var FILL = 0.26; // the triangle fills about this much of the view (lessonkit.maths.layout)
  var LADDER = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
  var NOTCHES = 6; // the slider runs from Δa = 1 (0) to Δa = 0.000001 (6)
  var TABLE_ROWS = 8;
  var KEYS = ["a", "f_a", "da", "f_a_plus_da", "df", "ratio", "slope"];
  var win = data.window;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var $ = function (id) { return document.getElementById(id); };
  var svg = $("twin-plot"), scene = $("twin-scene");
  function layout() { // text at least about 10 px tall however narrow the picture
    var shown = svg.getBoundingClientRect().width || VW;
    var next = Math.min(2, Math.max(1, 560 / shown));
    if (next === ts) return false;
    ts = next; L = 8 + 36 * ts; B = VH - 28 * ts;
    ux = (R - L) / (win.x1 - win.x0); uy = (B - T) / (win.y1 - win.y0);
    svg.style.setProperty("--ts", String(ts));
    $("twin-point").setAttribute("r", String(22 * ts));
    return true;
  }
  layout();
  var state = {
    a: null, da: null, row: null, shown: {}, relations: {}, chosen: [],
    cam: {z: 1, cx: VW / 2, cy: VH / 2}, anim: null, dragging: false, step: -1, videoStep: -1
  };

  // -- numbers ------------------------------------------------------------------------------
  function normal(text) { // "+002.500" -> "2.5", ".5" -> "0.5", "-0" -> "0"
    var m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    var ip = m[2].replace(/^0+(?=\d)/, "") || "0", fp = (m[3] || "").replace(/0+$/, "");
    var s = ip + (fp ? "." + fp : "");
    return s === "0" || m[1] !== "-" ? s : "-" + s;
  }
  function fixed(v, decimals) { return normal(v.toFixed(decimals)); }
  function decimalsOf(step) { return Math.max(0, Math.round(-Math.log10(step))); }
  function pow10(e) { return Number("1e" + e); }
  function daText(k) { return fixed(pow10(-k), k); }
  function clean(text) { // what a person types: "2,5", " −3 ", "1e-3"
    return String(text).trim().replace(/\s+/g, "").replace(",", ".").replace(/^\u2212/, "-");
  }
  function plainDecimal(text) { return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text); }
  function parseTyped(text) {
    var t = clean(text);
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
  }
  function quantiseA(v) { // typed a: into the window, at most 6 decimals
    v = Math.min(win.x1, Math.max(win.x0, v));
    return fixed(v, 6);
  }
  function quantiseDa(v) { // typed Δa: into 1 ... 0.000001, at most 3 significant digits
    v = Math.min(1, Math.max(1e-6, v));
    var step = pow10(Math.max(Math.floor(Math.log10(v)) - 2, -6));
    return fixed(Math.round(v / step) * step, decimalsOf(step));
  }
  function notchOf(da) { return Math.min(NOTCHES, Math.max(0, Math.round(-Math.log10(Number(da))))); }
  function roundZoom(z) { // the ZOOM_LADDER rung nearest to z on a log scale (layout.round_zoom)
    if (!(z > 1)) return 1;
    var e = Math.floor(Math.log10(z)), best = 1, err = Infinity;
    [e, e + 1].forEach(function (p) {
      LADDER.forEach(function (m) {
        var r = m * pow10(p), d = Math.abs(Math.log(r / z));
        if (d < err) { err = d; best = r; }
      });
    });
    return best;
  }
  function zoomText(z) { // a round number a person would say, as the video's badge (× 3000)
    var r = roundZoom(z);
    return r >= 10 ? String(Math.round(r)) : String(Number(r.toPrecision(2)));
  }
  function niceStep(span, most) {
    var e = Math.floor(Math.log10(span / most));
    for (var p = e; p <= e + 1; p++) {
      for (var i = 0; i < 3; i++) {
        var s = [1, 2, 5][i] * pow10(p);
        if (span / s <= most + 1e-9) return s;
      }
    }
    return pow10(e + 2);
  }
  function f(x) { var y = M.value(SPEC, x); return typeof y === "number" ? y : NaN; }

  // -- the camera: home coordinates (the full view) to the picture ------------------------------
  function homeX(x) { return L + (x - win.x0) * ux; }
  function homeY(y) { return B - (y - win.y0) * uy; }
  function sx(x, cam) { return VW / 2 + (homeX(x) - cam.cx) * cam.z; }
  function sy(y, cam) { return VH / 2 + (homeY(y) - cam.cy) * cam.z; }
  function graphX(px, cam) { return win.x0 + (cam.cx + (px - VW / 2) / cam.z - L) / ux; }
  function graphY(py, cam) { return win.y0 + (B - (cam.cy + (py - VH / 2) / cam.z)) / uy; }

  function cameraFor(a, da) { // lessonkit.maths.layout: zoom_width and camera_center
    var fa = f(a), df = f(a + da) - fa;
    var needed = Math.max(da * ux, Math.abs(df) * uy * VW / VH) / FILL;
    var z = needed > 0 && isFinite(needed) ? roundZoom(VW / needed) : 1;
    var s = Math.min(1, 1 / z);
    var tx = homeX(a) + da * ux / 2, ty = homeY(fa) - df * uy / 2;
    // the triangle's centre glides from where it is at full view to the middle as we zoom
    return {z: z, cx: tx - (tx - VW / 2) / VW * s * VW / z, cy: ty - (ty - VH / 2) / VH * s * VH / z};
  }

  function moveCamera(target) {
    if (state.anim) cancelAnimationFrame(state.anim.frame);
    var from = state.cam;
    if (reduced || (from.z === target.z && from.cx === target.cx && from.cy === target.cy)) {
      state.cam = target; state.anim = null; draw(); return;
    }
    var w0 = VW / from.z, w1 = VW / target.z, t0 = performance.now(), ms = 450;
    state.anim = {frame: 0};
    var step = function (now) {
      var t = Math.min(1, (now - t0) / ms), e = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
      var w = w0 * Math.pow(w1 / w0, e); // zoom at a steady rate ...
      // ... about the point that stays put, so the triangle never leaves the picture
      var k = Math.abs(w0 - w1) > 1e-12 * w0 ? (w - w1) / (w0 - w1) : 1 - e;
      state.cam = {z: VW / w, cx: target.cx + (from.cx - target.cx) * k,
        cy: target.cy + (from.cy - target.cy) * k};
      draw();
      if (t < 1) state.anim.frame = requestAnimationFrame(step);
      else { state.cam = target; state.anim = null; draw(); }
    };
    state.anim.frame = requestAnimationFrame(step);
  }

  // -- drawing -------------------------------------------------------------------------------
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function n2(v) { return (Math.round(v * 100) / 100).toString(); }
  function clipLine(p, q, box) { // Liang-Barsky, as lessonkit.maths.layout.clip_segment
    var dx = q[0] - p[0], dy = q[1] - p[1], t0 = 0, t1 = 1;
    var tests = [[-dx, p[0] - box[0]], [dx, box[2] - p[0]], [-dy, p[1] - box[1]], [dy, box[3] - p[1]]];
    for (var i = 0; i < 4; i++) {
      var den = tests[i][0], num = tests[i][1];
      if (den === 0) { if (num < 0) return null; continue; }
      var t = num / den;
      if (den < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
      if (t0 > t1) return null;
    }
    return [p[0] + t0 * dx, p[1] + t0 * dy, p[0] + t1 * dx, p[1] + t1 * dy];
  }

  function draw() {
    var cam = state.cam, a = Number(state.a), da = Number(state.da);
    while (scene.firstChild) scene.removeChild(scene.firstChild);
    var vx0 = graphX(L, cam), vx1 = graphX(R, cam), vy0 = graphY(B, cam), vy1 = graphY(T, cam);
    var box = [L - 40, T - 40, R + 40, B + 40];
    // grid, axes and ticks
    var grid = el("g", {"class": "grid"}, scene), labels = [];
    var xs = niceStep(vx1 - vx0, 6), ys = niceStep(vy1 - vy0, 5);
    for (var most = 5; most > 1; most--) { // long labels: fewer ticks, so they never touch
      var chars = fixed(vx1, decimalsOf(xs) + 1).length + 1;
      if ((R - L) * xs / (vx1 - vx0) > chars * 7.5 * ts + 8) break;
      xs = niceStep(vx1 - vx0, most);
    }
    for (var gx = Math.ceil(vx0 / xs) * xs; gx <= vx1 + xs * 1e-9; gx += xs) {
      var X = sx(gx, cam);
      el("line", {x1: n2(X), y1: T, x2: n2(X), y2: B}, grid);
      labels.push(["x", X, fixed(gx, decimalsOf(xs) + 1)]);
    }
    for (var gy = Math.ceil(vy0 / ys) * ys; gy <= vy1 + ys * 1e-9; gy += ys) {
      var Y = sy(gy, cam);
      el("line", {x1: L, y1: n2(Y), x2: R, y2: n2(Y)}, grid);
      labels.push(["y", Y, fixed(gy, decimalsOf(ys) + 1)]);
    }
    if (vy0 <= 0 && vy1 >= 0) el("line", {"class": "axis", x1: L, y1: n2(sy(0, cam)), x2: R, y2: n2(sy(0, cam))}, scene);
    if (vx0 <= 0 && vx1 >= 0) el("line", {"class": "axis", x1: n2(sx(0, cam)), y1: T, x2: n2(sx(0, cam)), y2: B}, scene);
    // the curve, sampled across what the view shows of the window
    var c0 = Math.max(vx0, win.x0), c1 = Math.min(vx1, win.x1), d = "", pen = "M";
    for (var i = 0; i <= 320 && c1 > c0; i++) {
      var x = c0 + (c1 - c0) * i / 320, y = f(x), py = sy(y, cam);
      if (!isFinite(py) || Math.abs(py) > 1e5) { pen = "M"; continue; }
      d += pen + n2(sx(x, cam)) + " " + n2(py); pen = "L";
    }
    el("path", {"class": "curve", d: d || "M0 0"}, scene);
    // the nudge: triangle, legs, secant, points
    var fa = f(a), fq = f(a + da);
    var P = [sx(a, cam), sy(fa, cam)], C = [sx(a + da, cam), P[1]], Q = [C[0], sy(fq, cam)];
    var sec = clipLine([P[0] - (Q[0] - P[0]) * 1e6, P[1] - (Q[1] - P[1]) * 1e6],
      [P[0] + (Q[0] - P[0]) * 1e6, P[1] + (Q[1] - P[1]) * 1e6], box);
    el("polygon", {"class": "tri", points: [P, C, Q].map(function (p) { return n2(p[0]) + "," + n2(p[1]); }).join(" ")}, scene);
    if (sec) el("line", {"class": "secant", x1: n2(sec[0]), y1: n2(sec[1]), x2: n2(sec[2]), y2: n2(sec[3])}, scene);
    el("line", {"class": "leg-a", x1: n2(P[0]), y1: n2(P[1]), x2: n2(C[0]), y2: n2(C[1])}, scene);
    el("line", {"class": "leg-f", x1: n2(C[0]), y1: n2(C[1]), x2: n2(Q[0]), y2: n2(Q[1])}, scene);
    var up = Q[1] < P[1];
    var ta = el("text", {"class": "lab-a", x: n2((P[0] + C[0]) / 2), y: n2(P[1] + (up ? 18 : -8) * ts), "text-anchor": "middle"}, scene);
    ta.textContent = "Δa";
    var tf = el("text", {"class": "lab-f", x: n2(C[0] + 6 * ts), y: n2((C[1] + Q[1]) / 2 + 5 * ts)}, scene);
    tf.textContent = "Δf";
    el("circle", {"class": "q", cx: n2(Q[0]), cy: n2(Q[1]), r: n2(4 * ts)}, scene);
    el("circle", {"class": "p", cx: n2(P[0]), cy: n2(P[1]), r: n2(7 * ts)}, scene);
    var hit = $("twin-point");
    hit.setAttribute("cx", n2(P[0])); hit.setAttribute("cy", n2(P[1]));
    // margins over the picture, then the tick labels in them
    el("path", {"class": "margin", d: "M0 0H" + VW + "V" + VH + "H0Z M" + L + " " + T + "V" + B + "H" + R + "V" + T + "Z"}, scene);
    labels.forEach(function (t) {
      if (t[0] === "x" && t[1] >= L - 1 && t[1] <= R + 1) {
        el("text", {"class": "tick", x: n2(t[1]), y: n2(B + 18 * ts), "text-anchor": "middle"}, scene).textContent = t[2];
      } else if (t[0] === "y" && t[1] >= T && t[1] <= B + 1) {
        el("text", {"class": "tick", x: n2(L - 6), y: n2(t[1] + 4 * ts), "text-anchor": "end"}, scene).textContent = t[2];
      }
    });
    if (cam.z > 1) {
      el("text", {"class": "zoom", x: n2(L + 8), y: n2(T + 18 * ts)}, scene).textContent = W.zoom + " × " + zoomText(cam.z);
    }
  }

  // -- the state -------------------------------------------------------------------------------
  function rowFor(a, da) {
    var row = null;
    if (isFinite(f(Number(a))) && isFinite(f(Number(a) + Number(da)))) {
      try { row = M.row(SPEC, a, da, DIGITS); } catch (e) { row = null; }
    }
    if (!row) throw new Error(W.outside + ": a = " + a + ", Δa = " + da);
    return row;
  }
  function relation(row, key) { return (row.rounded || []).indexOf(key) >= 0 ? "≈" : "="; }

  function apply(a, da, opts) { // a and da: decimal strings; throws when the row cannot be made
    opts = opts || {};
    var row = rowFor(a, da);
    state.a = a; state.da = da; state.row = row;
    KEYS.forEach(function (k) {
      state.shown[k] = String(row[k]); state.relations[k] = relation(row, k);
      $("twin-v-" + k).textContent = state.shown[k];
      $("twin-r-" + k).textContent = state.relations[k];
    });
    if (opts.choose) choose(da);
    showTable();
    var hit = $("twin-point");
    hit.setAttribute("aria-valuenow", Number(a));
    hit.setAttribute("aria-valuetext", "a = " + row.a + ", f(a) " + state.relations.f_a + " " + row.f_a);
    var slider = $("twin-da-slider");
    slider.value = notchOf(da);
    slider.setAttribute("aria-valuetext", "Δa = " + row.da);
    if (document.activeElement !== $("twin-a-input")) $("twin-a-input").value = row.a;
    if (document.activeElement !== $("twin-da-input")) $("twin-da-input").value = row.da;
    var buttons = document.querySelectorAll("#twin-schedule button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-da") === row.da));
    }
    if (state.dragging) draw(); else moveCamera(cameraFor(Number(a), Number(da)));
    var match = data.steps.map(function (s) { return s.a === row.a && s.da === row.da; }).indexOf(true);
    if (match >= 0 && !opts.step) mark(match);
  }

  function mark(i) { // the chapter button of step i is the current one
    state.step = i;
    var items = document.querySelectorAll("#twin-chapters button");
    for (var j = 0; j < items.length; j++) {
      if (j === i) items[j].setAttribute("aria-current", "step"); else items[j].removeAttribute("aria-current");
    }
    say("twin-step-title", data.steps[i].title);
  }

  function choose(da) { // the convergence table gains a row per chosen Δa
    var i = state.chosen.indexOf(da);
    if (i >= 0) state.chosen.splice(i, 1);
    state.chosen.push(da);
    if (state.chosen.length > TABLE_ROWS) state.chosen.shift();
  }

  function showTable() {
    var body = $("twin-table-rows"), rows = tableRows();
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      if (r.da === state.row.da) { tr.className = "now"; tr.setAttribute("aria-current", "true"); }
      var c1 = document.createElement("td"), c2 = document.createElement("td");
      c1.textContent = r.da; c2.textContent = (r.relation === "≈" ? "≈ " : "") + r.ratio;
      tr.appendChild(c1); tr.appendChild(c2); body.appendChild(tr);
    });
    $("twin-table-slope").textContent = "f'(" + state.row.a + ") " + state.relations.slope + " " + state.row.slope;
  }

  function tableRows() {
    return state.chosen.slice().sort(function (x, y) { return Number(y) - Number(x); }).map(function (da) {
      var row = da === state.da ? state.row : M.row(SPEC, state.a, da, DIGITS);
      return {da: row.da, ratio: row.ratio, relation: relation(row, "ratio")};
    });
  }

  function say(id, text) { $(id).textContent = text || ""; }
  function attempt(a, da, where, opts) { // apply, or show why not beside the field `where`
    try { apply(a, da, opts); say(where, ""); return true; } catch (e) { say(where, e.message || W.outside); return false; }
  }

  // -- the point: drag and keys -------------------------------------------------------------------
  function pointerX(event) {
    var pt = svg.createSVGPoint();
    pt.x = event.clientX; pt.y = event.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
  }
  function viewWidth() { return (VW / state.cam.z) / ux; }
  function dragTo(px) {
    var step = Math.max(1e-6, pow10(Math.floor(Math.log10(viewWidth() / 100))));
    var x = Math.min(win.x1, Math.max(win.x0, graphX(px, state.cam)));
    var a = fixed(Math.round(x / step) * step, decimalsOf(step));
    if (a !== state.a) attempt(a, state.da, "twin-a-error");
  }
  var pending = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    event.preventDefault();
    state.dragging = true;
    if (state.anim) { cancelAnimationFrame(state.anim.frame); state.anim = null; }
    svg.setPointerCapture(event.pointerId);
    $("twin-point").focus({preventScroll: true});
    dragTo(pointerX(event));
  });
  svg.addEventListener("pointermove", function (event) {
    if (!state.dragging) return;
    if (pending === null) {
      requestAnimationFrame(function () { var px = pending; pending = null; if (state.dragging) dragTo(px); });
    }
    pending = pointerX(event);
  });
  function endDrag() {
    if (!state.dragging) return;
    state.dragging = false;
    moveCamera(cameraFor(Number(state.a), Number(state.da)));
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  $("twin-point").addEventListener("keydown", function (event) {
    var step = Math.max(1e-6, pow10(Math.floor(Math.log10(viewWidth() / 20))));
    var by = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10}[event.key];
    var a;
    if (by) a = fixed(Math.min(win.x1, Math.max(win.x0, Math.round(Number(state.a) / step + by) * step)), decimalsOf(step));
    else if (event.key === "Home") a = fixed(win.x0, 6);
    else if (event.key === "End") a = fixed(win.x1, 6);
    else return;
    event.preventDefault();
    attempt(a, state.da, "twin-a-error");
  });

  // -- typed values, the slider and the schedule ----------------------------------------------------
  function typedA() {
    var v = parseTyped($("twin-a-input").value);
    if (!isFinite(v)) { say("twin-a-error", W.invalid); return; }
    attempt(quantiseA(v), state.da, "twin-a-error");
    $("twin-a-input").value = state.row.a;
  }
  function typedDa() {
    var v = parseTyped($("twin-da-input").value);
    if (!(v > 0)) { say("twin-da-error", W.invalid); return; }
    attempt(state.a, quantiseDa(v), "twin-da-error", {choose: true});
    $("twin-da-input").value = state.row.da;
  }
  $("twin-a-form").addEventListener("submit", function (e) { e.preventDefault(); typedA(); });
  $("twin-a-input").addEventListener("change", typedA);
  $("twin-da-form").addEventListener("submit", function (e) { e.preventDefault(); typedDa(); });
  $("twin-da-input").addEventListener("change", typedDa);
  $("twin-da-slider").addEventListener("input", function () {
    attempt(state.a, daText(Number(this.value)), "twin-da-error", {choose: true});
  });
  $("twin-schedule").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-da]");
    if (button) attempt(state.a, button.getAttribute("data-da"), "twin-da-error", {choose: true});
  });

  // -- chapters and the video --------------------------------------------------------------------
  var video = document.querySelector("video[data-twin]") || document.querySelector("video");
  var watch = $("twin-watch");
  function selectStep(i) {
    var step = data.steps[i];
    if (!step) return;
    mark(i);
    if (step.a !== null || step.da !== null) {
      attempt(step.a !== null ? step.a : state.a, step.da !== null ? step.da : state.da,
        "twin-da-error", {choose: step.da !== null, step: true});
    }
  }
  $("twin-chapters").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-step]");
    if (button) selectStep(Number(button.getAttribute("data-step")));
  });
  function stepAt(t) {
    for (var i = 0; i < data.steps.length; i++) {
      if (t >= data.steps[i].start && t < data.steps[i].end) return i;
    }
    return -1;
  }
  if (watch) {
    watch.addEventListener("click", function () {
      var step = data.steps[state.step];
      if (!video || !step) return;
      var at = Math.min(step.start + 0.01, (step.start + step.end) / 2); // inside the chapter
      state.videoStep = state.step;
      video.currentTime = at;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
    });
  }
  if (video) {
    var follow = function () { // the video moves into a chapter: the widget shows that step
      var i = stepAt(video.currentTime);
      if (i >= 0 && i !== state.videoStep) { state.videoStep = i; if (i !== state.step) selectStep(i); }
    };
    video.addEventListener("timeupdate", follow);
    video.addEventListener("seeked", follow);
    // captions load from a web server only (Chromium refuses <track> files from file://)
    if (location.protocol !== "file:" && data.video) {
      (data.video.tracks || []).forEach(function (t) {
        var track = document.createElement("track");
        track.kind = t.kind || "captions"; track.src = t.file;
        if (t.lang) track.srclang = t.lang;
        if (t.label) track.label = t.label;
        if (t["default"]) track["default"] = true;
        video.appendChild(track);
      });
    }
  }

  // -- the API, and the first picture ------------------------------------------------------------
  function given(value, name) {
    var t = clean(value);
    if (!plainDecimal(t)) throw new Error(name + " must be a decimal such as \"0.001\", got " + JSON.stringify(value));
    return normal(t);
  }
  window.lessonkitTwin = {
    set: function (values) {
      values = values || {};
      var a = values.a === undefined || values.a === null ? state.a : given(values.a, "a");
      var da = values.da === undefined || values.da === null ? state.da : given(values.da, "da");
      if (!(Number(da) > 0)) throw new Error("da must be more than 0, got " + JSON.stringify(values.da));
      apply(a, da, {choose: values.da !== undefined && values.da !== null});
      return this.readouts();
    },
    readouts: function () { var out = {}; KEYS.forEach(function (k) { out[k] = state.shown[k]; }); return out; },
    relations: function () { var out = {}; KEYS.forEach(function (k) { out[k] = state.relations[k]; }); return out; },
    table: function () {
      return tableRows().concat([{slope: state.row.slope, relation: state.relations.slope}]);
    },
    chapter: function (i) { selectStep(i); }
  };
  var first = data.start || {};
  apply(first.a || data.points[0], first.da || data.schedule[0], {choose: true});
  if (state.anim) cancelAnimationFrame(state.anim.frame);
  state.anim = null;
  state.cam = cameraFor(Number(state.a), Number(state.da));
  draw();
  if (watch) watch.disabled = !video;
  if (state.step < 0 && data.steps.length) mark(0);
  window.addEventListener("resize", function () {
    if (!layout()) return;
    state.cam = cameraFor(Number(state.a), Number(state.da));
    draw();
  });
  document.documentElement.className += " ready";
})();
