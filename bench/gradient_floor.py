"""1. loss_and_gradient vs the matrix-multiply floor.

The floor is the two products the gradient cannot avoid: ``X @ W`` (logits)
and ``X.T @ G`` (gradient), at the same shapes, with fresh outputs as the
library allocates them.  The same two products can be written class-major,
``W.T @ X.T`` and ``G.T @ X`` (the same single pass over X each, transposed
results), which OpenBLAS runs faster for a small k - and the library uses that
layout - so both floors are timed and the ratio is given to each.  Timed
interleaved in one process with

* ``loss_and_gradient``     - the public call (validation + forward + backward);
* ``_forward_backward``     - the same math with no validation, no finiteness check;
* ``floor``                 - just the two products (issue's layout);
* ``floor, class-major``    - the two products in the library's layout.

so "where the rest goes" is: public - unchecked = validation/API overhead,
unchecked - floor = softmax, log, one-hot subtraction, bias row (elementwise work
on the n x k logits) + Python glue.

Goal (issue 8): public <= 1.15x floor at 100,000 x 784 x 10.
"""

from __future__ import annotations

import os

import numpy as np

import common
import softmax_lab as sl
from softmax_lab.core import _forward_backward

GOAL = 1.15


def measure(X, y, theta, repeats):
    W = theta[1:]
    G = np.random.default_rng(3).standard_normal((X.shape[0], theta.shape[1]))

    Gt = np.ascontiguousarray(G.T)

    def floor():
        X @ W
        X.T @ G

    def floor_t():
        W.T @ X.T
        Gt @ X

    funcs = {
        "floor": floor,
        "floor_t": floor_t,
        "public": lambda: sl.loss_and_gradient(theta, X, y),
        "unchecked": lambda: _forward_backward(theta, X, y, 0.0, check=False),
    }
    return common.interleaved(funcs, repeats)


def main(argv=None):
    p = common.parser(__doc__.splitlines()[0])
    args = p.parse_args(argv)
    names = ["iris", "digits", "mnist"]
    rows, out = [], {}
    load0 = os.getloadavg()[0]
    for name in names:
        X, y, theta = common.dataset(name, quick=args.quick)
        big = name == "mnist"
        repeats = args.repeats or (3 if args.quick else (15 if big else 21))
        t = measure(X, y, theta, repeats)
        best = np.minimum(t["floor"], t["floor_t"])  # per round: the faster layout
        r = common.paired_ratio(t["public"], best)
        r_t = common.paired_ratio(t["public"], t["floor"])
        out[name] = (t, r, r_t)
        n, d = X.shape
        size = f"{n:,}×{d}×{theta.shape[1]}"
        over = np.median(t["public"] - t["unchecked"])
        elem = np.median(t["unchecked"] - np.minimum(t["floor"], t["floor_t"]))
        rows.append([
            name, size, common.fmt_time(t["floor"]), common.fmt_time(t["floor_t"]),
            common.fmt_time(t["unchecked"]), common.fmt_time(t["public"]), common.fmt_ratio(r),
            common.fmt_ratio(r_t), f"{common.min_ratio(t['public'], best):.2f}×",
            common.fmt_s(over) if over > 0 else "≈ 0 (below noise)",
            common.fmt_s(elem) if elem > 0 else "≈ 0 (below noise)",
        ])
    table = common.md_table(
        ["data", "n×d×k", "floor X@W + Xᵀ@G", "floor Wᵀ@Xᵀ + Gᵀ@X", "unchecked math",
         "loss_and_gradient", "ratio to the faster floor (goal)", "ratio to X@W + Xᵀ@G",
         "fastest runs: min / min floor",
         "validation + API (public − unchecked)", "softmax & glue (unchecked − faster floor)"],
        rows,
    )
    t_big, r_big, rt_big = out["mnist"]
    best_big = np.minimum(t_big["floor"], t_big["floor_t"])
    ok = None if args.quick else r_big[0] <= GOAL
    small = {k: out[k][0] for k in ("iris", "digits")}
    notes = [
        f"Goal: ≤ {GOAL}× the floor at 100,000×784×10 — {common.verdict(ok)} "
        f"({common.fmt_ratio(r_big)}, paired ratios of {len(t_big['floor'])} interleaved rounds). "
        f"The floor taken here is, round by round, the faster of the two ways of writing "
        f"the two products (the library uses the class-major one); against the issue's "
        f"literal X@W + Xᵀ@G the ratio is {common.fmt_ratio(rt_big)}.",
        "",
        "Where the rest goes at the small sizes: the floor there is a few µs, so the ratio "
        "is dominated by fixed per-call Python cost — "
        + "; ".join(
            f"{k}: validation + API {common.fmt_s(float(np.median(v['public'] - v['unchecked'])))}"
            f", softmax/log/one-hot + glue "
            f"{common.fmt_s(float(np.median(v['unchecked'] - np.minimum(v['floor'], v['floor_t']))))}"
            f" per call"
            for k, v in small.items()
        )
        + ". The validation part is a fixed cost (~25 small numpy calls of 1–3 µs: "
        "shapes, dtypes, label range, a finiteness check of theta and of the n×k "
        "logits); the softmax part is elementwise work on the n×k logits (max, exp, log, "
        "one-hot subtraction), which at digits size costs about as much as the products "
        "themselves and at 100k×784 is small next to two passes over X.",
        "",
        "Medians over interleaved rounds, (min–max) in brackets; small sizes time "
        "several calls per sample (calibrated to ~20 ms).",
    ]
    notes.append(common.load_note(load0))
    common.append_section(
        args.results, "1. Gradient vs the matrix-multiply floor", table + "\n\n" + "\n".join(notes)
    )
    common.record_goal(args.summary, "1", f"loss_and_gradient ≤ {GOAL}× floor at 100k×784×10",
                       f"{common.fmt_ratio(r_big)}; fastest runs {common.min_ratio(t_big['public'], best_big):.2f}×", ok)


if __name__ == "__main__":
    main()
