"""Before/after of a library change: two copies of softmax_lab timed side by side.

    .venv/bin/python bench/engine_before_after.py --old /tmp/softmax-lab-base
    (make the old copy with: git archive <commit> | tar -x -C /tmp/softmax-lab-base)

The old package (``<old>/softmax_lab``) is imported under another name next to
the current one, and the quantities of RESULTS.md sections 1 and 2 are timed
interleaved round by round in one process: ``loss_and_gradient`` (section 1)
and one ``fit`` epoch per mode (section 2).  The ratio new/old is taken per
round, then the median (min-max): a neighbour's burst of load slows both sides
of a round alike, which is what makes this usable on a shared, loaded box.
Section 5 (memory) is measured in child processes and is run per copy with
``bench/memory.py``.  Written for issue 11 (one update engine).

``--cpu`` times with ``time.thread_time`` (CPU time of this thread) and one
BLAS thread, on iris and digits only: on a box whose load average is several
times its core count, wall-clock medians mostly measure the wait for a core,
while CPU time measures the work.  The change under test is per-call Python
and small-array work (the two products are the same code before and after),
which is exactly what the small sizes show.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

import common
import softmax_lab as new


def load_old(root: Path):
    return common.load_old(root)


def main(argv=None):
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--data", default="", help="comma-separated subset of iris,digits,mnist")
    args = p.parse_args(argv)
    if not args.old:
        p.error("--old DIR is required: the directory holding the old softmax_lab/")
    names = ("iris", "digits", "mnist")
    clock = "wall clock (time.perf_counter)"
    if args.cpu:
        common.use_cpu_clock()
        names = ("iris", "digits")
        clock = "CPU time of the timing thread (time.thread_time), 1 BLAS thread"
    if args.data:
        names = tuple(args.data.split(","))
    old = load_old(Path(args.old))
    assert old.__file__ != new.__file__
    repeats = args.repeats or (5 if args.quick else 15)
    load0 = os.getloadavg()[0]
    rows = []
    for name in names:
        X, y, theta = common.dataset(name, quick=args.quick)
        n = X.shape[0]
        cases = {"loss_and_gradient": lambda m: (lambda: m.loss_and_gradient(theta, X, y))}
        cases["fit epoch, batch"] = lambda m: (lambda: m.fit(X, y, theta, epochs=1, seed=0))
        if n > 256:
            cases["fit epoch, mini-batch 256"] = lambda m: (
                lambda: m.fit(X, y, theta, epochs=1, batch_size=256, seed=0))
        if n <= 2000 or args.quick:
            cases["fit epoch, stochastic"] = lambda m: (
                lambda: m.fit(X, y, theta, epochs=1, batch_size=1, seed=0))
        for case, make in cases.items():
            a, b = make(new)(), make(old)()
            if case.startswith("fit"):
                np.testing.assert_array_equal(a.theta, b.theta)   # same updates, bit for bit
            t = common.interleaved({"new": make(new), "old": make(old)}, repeats)
            rows.append([name, f"{X.shape[0]:,}×{X.shape[1]}×{theta.shape[1]}", case,
                         common.fmt_time(t["old"]), common.fmt_time(t["new"]),
                         common.fmt_ratio(common.paired_ratio(t["new"], t["old"])),
                         f"{common.min_ratio(t['new'], t['old']):.3f}×"])
            print(" | ".join(rows[-1]), flush=True)
    body = "\n".join([
        f"_{common.machine_line()}; clock: {clock}_", "",
        common.md_table(["data", "n×d×k", "quantity", "before (old package)", "after",
                         "after / before (paired, median (min–max))", "fastest runs: min / min"],
                        rows),
        "", common.load_note(load0),
    ])
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
