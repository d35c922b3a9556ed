"""Widget step latency: the kernel's share of one click on "next ▶".

Data: the 150-sample iris, petal length and width, 3 classes, the deck's
starting theta, stochastic (batch_size=1), lr=0.1, in-process (what the
kernel does when "next ▶" is clicked, minus the websocket).

Rows:
* ``full click``: ``ui.press("next")``: ``step()`` plus the frame the browser
  draws (texts, recipe, decision polygons, simplex coordinates, losses) and
  its JSON size - the kernel's share of bench/click_to_paint.py's time;
* ``step only``: the numpy part alone;
* ``frame only``: ``ui.refresh()`` without a step (formatting + geometry).

Each sample is ONE call (no batching), so the 95th percentile shows the
slow calls a lecturer would feel.  Goal (issue 5): median of the first row
under 50 ms.  The whole click, in a browser, is section 8.
"""

from __future__ import annotations

import json
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import common  # noqa: E402
import softmax_lab as sl  # noqa: E402
from softmax_lab.stepper import TrainingStepper  # noqa: E402
from softmax_lab.widgets import stepper_widget  # noqa: E402

GOAL_MS = 50.0


def _iris_stepper():
    d = sl.datasets.load_iris()
    return TrainingStepper(d.data[:, 2:], d.target, sl.datasets.slide_theta(3), lr=0.1, batch_size=1)


def _sample(fn, n):
    out = np.empty(n)
    for i in range(n):
        t0 = time.perf_counter()
        fn()
        out[i] = time.perf_counter() - t0
    return out


def main(argv=None):
    args = common.parser(__doc__.splitlines()[0]).parse_args(argv)
    n = args.repeats or (8 if args.quick else 300)

    st = _iris_stepper()
    ui = stepper_widget(st, feature_names=["petal length (cm)", "petal width (cm)"],
                        class_names=["setosa", "versicolor", "virginica"])

    def click():
        ui.press("next")

    with common.no_gc():
        click()  # warm-up
        t_click = _sample(click, n)
        t_step = _sample(st.step, n)
        t_frame = _sample(ui.refresh, max(n // 3, 3))
    size = len(json.dumps(ui.frame))

    rows = []
    for name, t in (("full click (step + frame)", t_click), ("step only", t_step),
                    ("frame only", t_frame)):
        rows.append([name, t.size, f"{np.median(t) * 1e3:.1f} ms", f"{np.percentile(t, 95) * 1e3:.1f} ms",
                     f"{t.min() * 1e3:.1f} ms"])
    med = float(np.median(t_click)) * 1e3
    ok = None if args.quick else med < GOAL_MS
    body = (
        "iris 150 samples, petal length × width, 3 classes, stochastic, lr = 0.1; "
        f"frame sent per click: {size / 1e3:.1f} kB of JSON (after {st.step_count} steps)"
        f"{' (--quick: too few samples to mean anything)' if args.quick else ''}\n\n"
        + common.md_table(["what", "calls", "median", "p95", "min"], rows)
        + f"\n\nGoal: median of one click (step + frame) < {GOAL_MS:.0f} ms: {common.verdict(ok)} "
        f"({med:.1f} ms)."
    )
    common.append_section(args.results, "Widget step latency (bench/widget_step.py)", body)
    common.record_goal(args.summary, "widget step", f"median step + frame < {GOAL_MS:.0f} ms",
                       f"{med:.1f} ms", ok)


if __name__ == "__main__":
    main()
