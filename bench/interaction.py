"""6. Interaction: `import softmax_lab` time, and the stepper's step + redraw.

* import: each sample is a fresh ``python`` process that imports numpy first
  (numpy "already cached": its files are in the page cache from the previous
  runs and its import is not counted), then times ``import softmax_lab``.
  The child also reports whether any heavy module (matplotlib, ipywidgets,
  scikit-learn, ...) came along - the core must import numpy only.
* step + redraw: ``bench/widget_step.py`` (written with the widget issue) run
  as it is, in its own process; its table is included below unchanged.

Goals (issue 8): import < 0.3 s; step + redraw median < 50 ms.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import common

IMPORT_GOAL = 0.3
CHILD = r"""
import json, sys, time
import numpy
t0 = time.perf_counter()
import softmax_lab
dt = time.perf_counter() - t0
heavy = [m for m in ("matplotlib", "ipywidgets", "sklearn", "scipy", "pandas", "IPython", "torch")
         if m in sys.modules]
print(json.dumps({"seconds": dt, "heavy": heavy}))
"""


def import_times(repeats):
    out, heavy = [], set()
    subprocess.run([sys.executable, "-c", CHILD], capture_output=True, cwd=common.BENCH_DIR)  # warm cache
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                              check=True, cwd=common.BENCH_DIR)
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        out.append(res["seconds"])
        heavy.update(res["heavy"])
    return np.array(out), sorted(heavy)


def slowest_submodules(top=3):
    """Cumulative import time of softmax_lab's own modules, from ``python -X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import numpy; import softmax_lab"],
        capture_output=True, text=True, cwd=common.BENCH_DIR,
    )
    found = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s+(\S.*)$", line)
        if m and m.group(3).strip().startswith("softmax_lab"):
            found.append((int(m.group(2)), m.group(3).strip()))
    found.sort(reverse=True)
    return [f"{name} {us / 1e3:.1f} ms" for us, name in found[:top]]


def widget_section(args):
    script = common.BENCH_DIR / "widget_step.py"
    if not script.exists():
        return "bench/widget_step.py is not there yet: step + redraw not measured.", None
    with tempfile.TemporaryDirectory() as tmp:
        res = Path(tmp) / "w.md"
        cmd = [sys.executable, str(script), "--results", str(res)]
        if args.summary:
            cmd += ["--summary", args.summary]
        if args.quick:
            cmd.append("--quick")
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=common.BENCH_DIR)
        if proc.returncode != 0:
            return f"bench/widget_step.py failed:\n\n```\n{proc.stderr[-2000:]}\n```", False
        text = res.read_text(encoding="utf-8")
    # its own "## ..." section becomes a subsection of this one
    text = re.sub(r"^## ", "### 6b. ", text.strip(), count=1, flags=re.M)
    return text, True


def main(argv=None):
    args = common.parser(__doc__.splitlines()[0]).parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 15)
    t, heavy = import_times(repeats)
    med = float(np.median(t))
    ok = None if args.quick else med < IMPORT_GOAL
    table = common.md_table(
        ["what", "samples", "median (min–max)", "heavy modules imported"],
        [["`import softmax_lab` (numpy already imported)", len(t), common.fmt_time(t),
          ", ".join(heavy) or "none"]],
    )
    slow = slowest_submodules()
    notes = (
        f"Goal: import < {IMPORT_GOAL} s — {common.verdict(ok)} ({common.fmt_s(med)} median). "
        f"Slowest own modules (cumulative, `python -X importtime`): {'; '.join(slow) or '—'}."
    )
    widget_text, _ = widget_section(args)
    common.append_section(args.results, "6. Interaction",
                          "### 6a. import time\n\n" + table + "\n\n" + notes + "\n\n" + widget_text)
    common.record_goal(args.summary, "6", f"import softmax_lab < {IMPORT_GOAL} s",
                       common.fmt_time(t), ok)


if __name__ == "__main__":
    main()
