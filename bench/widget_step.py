"""Widget step latency: one ``TrainingStepper.step()`` plus the redraw of a panel.

Data: the 150-sample iris, petal length and width, 3 classes, the deck's
starting theta, stochastic (batch_size=1), lr=0.1, Agg backend, in-process
(what the kernel does when "next ▶" is clicked, minus the websocket).

Rows:
* ``step + 2-D panel``: ``step()``, move the decision-region artists
  (``plotting.update_decision_regions``), blit the panel and encode its PNG
  (the bytes an ``ipywidgets.Image`` receives) - the issue's measurement;
* ``step only``: the numpy part alone;
* ``full click``: ``next_button.click()`` on the whole UI (three panels, the
  recipe text, the status line).

Each sample is ONE call (no batching), so the 95th percentile shows the
slow calls a lecturer would feel.  Goal (issue 5): median of the first row
under 50 ms.
"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import common  # noqa: E402
import softmax_lab as sl  # noqa: E402
from softmax_lab import plotting as P  # noqa: E402
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

    # the 2-D panel, exactly as the widget builds it
    st = _iris_stepper()
    ui = stepper_widget(st, feature_names=["petal length (cm)", "petal width (cm)"],
                        class_names=["setosa", "versicolor", "virginica"])
    art, panel = ui.artists["main"], ui.panels["main"]

    def step_and_panel():
        rec = st.step()
        P.update_decision_regions(art, st.theta, st.X, highlight=rec.indices)
        panel.fast_draw()
        return panel.png()

    def step_only():
        st.step()

    with common.no_gc():
        step_and_panel()  # warm-up
        t_panel = _sample(step_and_panel, n)
        t_step = _sample(step_only, n)
        t_click = _sample(ui.next_button.click, max(n // 3, 3))

    rows = []
    for name, t in (("step + 2-D panel (issue's measure)", t_panel), ("step only", t_step),
                    ("full click (3 panels + text)", t_click)):
        rows.append([name, t.size, f"{np.median(t) * 1e3:.1f} ms", f"{np.percentile(t, 95) * 1e3:.1f} ms",
                     f"{t.min() * 1e3:.1f} ms"])
    med = float(np.median(t_panel)) * 1e3
    ok = None if args.quick else med < GOAL_MS
    body = (
        "iris 150 samples, petal length × width, 3 classes, stochastic, lr = 0.1, Agg, "
        f"panel {panel.fig.canvas.get_width_height()[0]}×{panel.fig.canvas.get_width_height()[1]} px"
        f"{' (--quick: too few samples to mean anything)' if args.quick else ''}\n\n"
        + common.md_table(["what", "calls", "median", "p95", "min"], rows)
        + f"\n\nGoal: median of one step + 2-D panel redraw < {GOAL_MS:.0f} ms: {common.verdict(ok)} "
        f"({med:.1f} ms)."
    )
    common.append_section(args.results, "Widget step latency (bench/widget_step.py)", body)
    common.record_goal(args.summary, "widget step", f"median step + 2-D redraw < {GOAL_MS:.0f} ms",
                       f"{med:.1f} ms", ok)


if __name__ == "__main__":
    main()
