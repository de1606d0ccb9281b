"""The explore page's style sheet: the video's palette, the panel beside the plot on a
screen at least 900 px wide, one column below that."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root{color-scheme:dark;--line:#2A313C}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);
font:16px/1.45 system-ui,"Noto Sans","NanumGothic","Apple SD Gothic Neo",sans-serif}
header{max-width:1240px;margin:0 auto;padding:1rem 1rem .6rem}
h1{font-size:1.4rem;margin:0;line-height:1.25}
h2{font-size:1rem;margin:0 0 .4rem;color:var(--muted);font-weight:600}
header p{margin:.25rem 0 0;color:var(--muted)}
.f{color:var(--curve)}.d{color:var(--slope)}
main{display:flex;flex-direction:column;gap:1rem;max-width:1240px;margin:0 auto;
padding:0 1rem 1.5rem}
.col{display:contents}
.plot{order:1;margin:0}.panel{order:2}.video{order:3}.steps{order:4}
@media (min-width:900px){main{display:grid;grid-template-columns:minmax(0,3fr) minmax(340px,2fr);
align-items:start}.col{display:flex;flex-direction:column;gap:1rem;min-width:0}}
svg{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:8px;
touch-action:pan-y;user-select:none;-webkit-user-select:none;cursor:crosshair}
svg line,svg path{vector-effect:non-scaling-stroke}
svg .grid line{stroke:#1E252E;stroke-width:1}
svg .axis{stroke:var(--muted);stroke-width:1.5}
svg .curve{fill:none;stroke:var(--curve);stroke-width:4;stroke-linejoin:round}
svg .tri{fill:var(--nudge-a);fill-opacity:.14}
svg .secant{stroke:var(--slope);stroke-width:2.5}
svg .leg-a{stroke:var(--nudge-a);stroke-width:3.5}
svg .leg-f{stroke:var(--nudge-f);stroke-width:3.5}
svg .lab-a{fill:var(--nudge-a)}svg .lab-f{fill:var(--nudge-f)}
svg text{font-size:calc(15px * var(--ts,1));font-weight:600;paint-order:stroke;
stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
svg .tick{fill:var(--muted);font-size:calc(12px * var(--ts,1));font-weight:400;
font-variant-numeric:tabular-nums}
svg .zoom{fill:var(--muted);font-size:calc(14px * var(--ts,1))}
svg .margin{fill:var(--bg);fill-rule:evenodd}
svg .p{fill:var(--point)}svg .q{fill:var(--text)}
svg .hit{fill:transparent;cursor:grab;outline:none}
svg .hit:focus-visible{stroke:var(--text);stroke-width:2;stroke-dasharray:4 3}
.plot figcaption{color:var(--muted);font-size:.9rem;margin-top:.35rem}
.panel,.steps{background:var(--panel);border:1px solid var(--line);border-radius:8px;
padding:.8rem 1rem;min-width:0}
.readouts{display:grid;grid-template-columns:max-content max-content minmax(0,1fr);
gap:.15rem .5rem;align-items:baseline;font-size:1.1rem;margin-bottom:.8rem}
.readouts .val{font-variant-numeric:tabular-nums;overflow-wrap:anywhere;min-width:0}
.readouts .name{text-align:right}
.c-point{color:var(--point)}.c-nudge-a{color:var(--nudge-a)}.c-nudge-f{color:var(--nudge-f)}
.c-slope{color:var(--slope)}.c-text{color:var(--text)}
.readouts .sep{grid-column:1/-1;border-top:1px solid var(--line);margin:.2rem 0}
form,.field{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;margin:0 0 .6rem}
label{min-width:1.8rem}
input[type=text]{flex:1 1 7rem;min-width:0;font:inherit;color:var(--text);background:var(--bg);
border:1px solid var(--line);border-radius:6px;padding:.3rem .5rem;
font-variant-numeric:tabular-nums}
input[type=range]{flex:1 1 10rem;min-width:0;accent-color:var(--nudge-a)}
button{font:inherit;color:var(--text);background:#1F2630;border:1px solid var(--line);
border-radius:6px;padding:.3rem .65rem;cursor:pointer}
button:hover{border-color:var(--muted)}
button:disabled{opacity:.5;cursor:default}
:focus-visible{outline:2px solid var(--curve);outline-offset:2px}
.ends{display:flex;justify-content:space-between;width:100%;color:var(--muted);font-size:.8rem;
margin:-.3rem 0 .5rem}
.sched{display:flex;flex-wrap:wrap;gap:.35rem;margin:0 0 .8rem}
.sched button{color:var(--nudge-a);font-variant-numeric:tabular-nums}
.sched button[aria-pressed=true]{background:#24352A;border-color:var(--nudge-a)}
.err{color:var(--nudge-f);font-size:.85rem;margin:-.3rem 0 .5rem;min-height:0}
.err:empty{display:none}
.hint{color:var(--muted);font-size:.85rem}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-weight:600;padding-bottom:.3rem}
th,td{text-align:left;padding:.15rem .4rem;overflow-wrap:anywhere}
thead th{border-bottom:1px solid var(--muted);font-weight:600}
th:first-child,td:first-child{color:var(--nudge-a);width:40%}
thead th:last-child,tbody td:last-child,tfoot td{color:var(--slope)}
tbody tr.now{background:#1F2630}
tfoot td{border-top:2px solid var(--slope);font-weight:600}
.steps ol{margin:.2rem 0 0;padding-left:1.6rem}
.steps li{margin:.1rem 0}
.steps ol button{display:block;width:100%;text-align:left;background:none;
border:1px solid transparent;padding:.2rem .4rem}
.steps ol button[aria-current]{border-color:var(--curve);background:#1F2630}
.steps time{color:var(--muted);margin-right:.4rem;font-variant-numeric:tabular-nums}
.watch{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 .5rem}
.watch span{color:var(--muted);font-size:.9rem;min-width:0;overflow-wrap:anywhere}
.video{margin:0}
.video video{display:block;width:100%;height:auto;background:#000;border-radius:8px}
"""
