"""Run lessonkit/parts/nudge/twin/twin_math.js in node: many calls in one process, JSON
in and out."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["NODE", "TWIN_JS", "run_twin", "start_twin"]

NODE = shutil.which("node") or "/usr/bin/node"
TWIN_JS = Path(__file__).resolve().parents[1] / "lessonkit/parts/nudge/twin/twin_math.js"

# Reads {"spec": ..., "calls": [[name, ...args]]} on stdin; answers one {"ok": ...} or
# {"error": message} per call. With "spec": null each call passes its own spec (if any).
# parseDecimal's {n, d} comes back as "n/d"; a number that is not finite as its text.
_RUNNER = """
require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const M = globalThis.LessonkitMath;
const out = input.calls.map(([name, ...args]) => {
  try {
    if (name === "parseDecimal") {
      const q = M.parseDecimal(...args);
      return { ok: `${q.n}/${q.d}` };
    }
    const v = input.spec === null ? M[name](...args) : M[name](input.spec, ...args);
    return { ok: typeof v === "number" && !Number.isFinite(v) ? String(v) : v };
  } catch (err) {
    return { error: err.message };
  }
});
process.stdout.write(JSON.stringify(out));
"""


def start_twin(spec: dict[str, Any] | None, calls: list[list[Any]]) -> Callable[[], list[Any]]:
    """Start LessonkitMath[name](spec, *args) for each [name, *args] in one node process;
    the returned function waits for the answers (so Python can work meanwhile)."""
    process = subprocess.Popen(
        [NODE, "-e", _RUNNER, str(TWIN_JS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps({"spec": spec, "calls": calls}))
    process.stdin.close()

    def answers() -> list[Any]:
        assert process.stdout is not None and process.stderr is not None
        out, err = process.stdout.read(), process.stderr.read()
        if process.wait(timeout=300) != 0:
            raise RuntimeError(f"node failed: {err[-2000:]}")
        result: list[Any] = json.loads(out)
        return result

    return answers


def run_twin(spec: dict[str, Any] | None, calls: list[list[Any]]) -> list[dict[str, Any]]:
    """Call LessonkitMath[name](spec, *args) for each [name, *args] in one node process
    (LessonkitMath[name](*args) when spec is None)."""
    return start_twin(spec, calls)()
