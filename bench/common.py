"""Shared helpers for the softmax-lab benchmarks (bench/*.py).

* :func:`machine_info` / :func:`machine_line` - CPU count, numpy, BLAS and its
  thread count (threadpoolctl when installed, else ``numpy.show_config``).
* :func:`interleaved` - time several callables round-robin in the *same*
  process (order reversed every other round), so a burst of load from a
  neighbour hits all of them alike; :func:`paired_ratio` then divides the
  times of one round by each other, which cancels most of that noise.
* :func:`stats` - median with min-max; :func:`fmt_s` - human units.
* :func:`md_table` / :func:`append_section` - one Markdown section per
  script, appended to ``bench/RESULTS.md`` (or ``--results PATH``).
* :func:`parser` - the flags every script shares (``--quick``, ``--repeats``,
  ``--results``, ``--summary``).

Only numpy and the standard library are imported here (threadpoolctl and
torch are optional and looked up lazily).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"

if str(REPO) not in sys.path:  # run as `python bench/x.py` without an install
    sys.path.insert(0, str(REPO))


# ---------------------------------------------------------------- machine
def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_info() -> dict:
    """BLAS library, version and thread count that numpy uses."""
    info = {"name": "?", "version": "?", "threads": None, "source": "numpy.show_config"}
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        # numpy's own BLAS first (scipy/sklearn/torch may have loaded others)
        pools.sort(key=lambda p: "numpy" not in str(p.get("filepath", "")))
        if pools:
            info.update(
                name=pools[0].get("internal_api", "?"),
                version=pools[0].get("version") or "?",
                threads=pools[0].get("num_threads"),
                source="threadpoolctl",
            )
    except ImportError:
        pass
    if info["name"] == "?":
        try:
            cfg = np.show_config(mode="dicts")
            blas = cfg.get("Build Dependencies", {}).get("blas", {})
            info.update(name=blas.get("name", "?"), version=blas.get("version", "?"))
        except Exception:  # older numpy: no mode="dicts"
            pass
    if info["threads"] is None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            if os.environ.get(var, "").isdigit():
                info["threads"] = int(os.environ[var])
                break
    return info


def blas_threads() -> int:
    """BLAS threads numpy uses (the count a peer must be given to be fair)."""
    return blas_info()["threads"] or len(os.sched_getaffinity(0))


def machine_info() -> dict:
    blas = blas_info()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas['name']} {blas['version']}",
        "blas_threads": blas["threads"],
        "blas_source": blas["source"],
        "loadavg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def machine_line() -> str:
    m = machine_info()
    return (
        f"machine: {m['cpu_count']} CPUs ({m['usable_cpus']} usable, {m['cpu']}), "
        f"Python {m['python']}, numpy {m['numpy']}, BLAS {m['blas']} with "
        f"{m['blas_threads']} thread(s) (via {m['blas_source']}), "
        f"load average {m['loadavg_1min']} at start"
    )


# ---------------------------------------------------------------- timing
@contextlib.contextmanager
def no_gc():
    """Garbage collection off while timing (as timeit does)."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def calibrate(f, target: float = 0.02, cap: int = 100_000) -> int:
    """Calls per sample so that one sample takes about ``target`` seconds."""
    t0 = time.perf_counter()
    f()
    dt = time.perf_counter() - t0
    if dt >= target:
        return 1
    n = 1
    while n < cap:
        n *= 4
        t0 = time.perf_counter()
        for _ in range(n):
            f()
        dt = time.perf_counter() - t0
        if dt >= target:
            break
    return max(1, min(cap, int(n * target / max(dt, 1e-9))))


_clock = time.perf_counter
CLOCK = "wall clock (time.perf_counter)"


def use_cpu_clock():
    """Time with the CPU time of this thread and one BLAS thread (``--cpu``).

    On a box whose load average is several times its core count, wall-clock
    medians mostly measure the wait for a core; with one BLAS thread the
    products run in the timing thread, so its CPU time (``time.thread_time``)
    measures the work itself, whatever the neighbours do.
    """
    global _clock, CLOCK
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _clock = time.thread_time
    CLOCK = "CPU time of the timing thread (time.thread_time), 1 BLAS thread"


def interleaved(funcs: dict, repeats: int, number=None, warmup: int = 1, target: float = 0.02):
    """Time callables round-robin; return ``{name: ndarray of seconds per call}``.

    Parameters
    ----------
    funcs : dict of name -> callable (no arguments)
    repeats : int
        Samples per callable (rounds).
    number : int, dict of name -> int, or None
        Calls per sample; None calibrates each callable to ~``target`` s.
    warmup : int
        Untimed calls of each callable before the first round.
    """
    names = list(funcs)
    for _ in range(warmup):
        for name in names:
            funcs[name]()
    if number is None:
        number = {name: calibrate(funcs[name], target) for name in names}
    elif isinstance(number, int):
        number = dict.fromkeys(names, number)
    times = {name: np.empty(repeats) for name in names}
    with no_gc():
        for r in range(repeats):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                f, n = funcs[name], number[name]
                t0 = _clock()
                for _ in range(n):
                    f()
                times[name][r] = (_clock() - t0) / n
    return times


def stats(a) -> tuple[float, float, float]:
    """(median, min, max)."""
    a = np.asarray(a, dtype=float)
    return float(np.median(a)), float(a.min()), float(a.max())


def paired_ratio(a, b) -> tuple[float, float, float]:
    """Median and min-max of a[i] / b[i], round by round."""
    return stats(np.asarray(a, dtype=float) / np.asarray(b, dtype=float))


def min_ratio(a, b) -> float:
    """min(a) / min(b): the two fastest runs, i.e. the closest to an idle machine."""
    return float(np.min(a) / np.min(b))


def load_note(start_load: float | None = None) -> str:
    """A warning line when other processes were competing for the CPUs."""
    try:
        now = os.getloadavg()[0]
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return ""
    worst = max(now, start_load or 0.0)
    if worst <= cpus:
        return ""
    return (
        f"\n\n**Machine loaded** (1-min load average up to {worst:.1f} on {cpus} CPUs while "
        f"this section ran): other processes competed for the cores, and a 2-thread BLAS "
        f"call waits whenever one of its threads is descheduled, so medians here are "
        f"upper bounds; the 'fastest runs' ratio is the closer estimate for an idle machine."
    )


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_time(a) -> str:
    """'median (min-max)' in one unit."""
    med, lo, hi = stats(a)
    if med >= 1:
        unit, k = "s", 1.0
    elif med >= 1e-3:
        unit, k = "ms", 1e3
    else:
        unit, k = "µs", 1e6
    digits = 1 if med * k >= 10 else 2
    return f"{med * k:.{digits}f} {unit} ({lo * k:.{digits}f}–{hi * k:.{digits}f})"


def fmt_ratio(r: tuple[float, float, float]) -> str:
    med, lo, hi = r
    return f"{med:.2f}× ({lo:.2f}–{hi:.2f})"


def verdict(ok: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "n/a"}[ok]


# ---------------------------------------------------------------- output
def md_table(headers, rows) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def append_section(path, title: str, body: str) -> None:
    """Append ``## title`` + machine line + body to the results file (and print it)."""
    when = time.strftime("%Y-%m-%d %H:%M")
    text = f"\n## {title}\n\n_{machine_line()}; measured {when}_\n\n{body.strip()}\n"
    print(text)
    if path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


def record_goal(summary_path, section: str, goal: str, measured: str, ok: bool | None) -> None:
    """One line per goal for run_all's 'goals at a glance' table (JSON lines)."""
    if not summary_path:
        return
    with open(summary_path, "a", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"section": section, "goal": goal, "measured": measured, "ok": ok})
            + "\n"
        )


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", "--smoke", action="store_true", dest="quick",
                   help="tiny sizes, few repeats: checks the script runs (no meaningful numbers)")
    p.add_argument("--repeats", type=int, default=None, help="samples per measurement")
    p.add_argument("--results", default=str(RESULTS),
                   help="Markdown file to append the section to ('' = print only)")
    p.add_argument("--summary", default="", help="JSON-lines file for run_all's goal table")
    p.add_argument("--cpu", action="store_true",
                   help="time CPU time of the timing thread with 1 BLAS thread (for a loaded box)")
    p.add_argument("--old", default="",
                   help="directory holding an older softmax_lab/ (e.g. from `git archive main "
                        "softmax_lab | tar -x -C DIR`): timed in the same run, interleaved, as "
                        "'before'")
    return p


def load_old(root):
    """The package under ``root/softmax_lab`` imported as ``softmax_lab_old`` (None if no root)."""
    if not root:
        return None
    import importlib.util

    root = Path(root)
    spec = importlib.util.spec_from_file_location(
        "softmax_lab_old", root / "softmax_lab" / "__init__.py",
        submodule_search_locations=[str(root / "softmax_lab")])
    module = importlib.util.module_from_spec(spec)
    sys.modules["softmax_lab_old"] = module
    spec.loader.exec_module(module)
    return module


def synthetic(n_samples: int, n_features: int, n_classes: int, seed: int = 0):
    """Dense float64 data with learnable labels, plus a small random theta."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    W_true = rng.standard_normal((n_features, n_classes)) / np.sqrt(n_features)
    y = np.argmax(X @ W_true + rng.gumbel(size=(n_samples, n_classes)), axis=1)
    theta = 0.01 * rng.standard_normal((n_features + 1, n_classes))
    return X, y, theta


def dataset(name: str, quick: bool = False):
    """(X, y, theta) for 'iris' (150x4x3), 'digits' (1797x64x10) or 'mnist' (100kx784x10).

    iris is the package's shipped CSV; digits is scikit-learn's when installed
    (else synthetic of the same shape); 'mnist' is synthetic (no download).
    """
    rng = np.random.default_rng(1)
    if name == "iris":
        import softmax_lab as sl

        ds = sl.datasets.load_iris()
        X = np.ascontiguousarray(ds.data, dtype=float)
        y = np.asarray(ds.target)
        return X, y, 0.01 * rng.standard_normal((X.shape[1] + 1, 3))
    if name == "digits":
        try:
            from sklearn.datasets import load_digits

            d = load_digits()
            X = np.ascontiguousarray(d.data, dtype=float) / 16.0
            return X, d.target, 0.01 * rng.standard_normal((65, 10))
        except ImportError:
            return synthetic(1797, 64, 10, seed=1)
    if name == "mnist":
        return synthetic(2_000 if quick else 100_000, 784, 10, seed=2)
    raise ValueError(f"unknown data set {name!r}")


SIZES = {"iris": "150×4×3", "digits": "1,797×64×10", "mnist": "100,000×784×10"}
