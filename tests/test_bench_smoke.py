"""Smoke test: every bench/ script runs at a tiny size and prints a table.

No timing is asserted here (performance figures come only from `make bench`,
see bench/README.md); this only keeps the scripts from rotting when the
library changes.  Each script runs in a subprocess with ``--quick`` and writes
to a temporary results file, never to bench/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = [
    "gradient_floor",
    "fit_epoch",
    "torch_peer",
    "naive_vs_vectorized",
    "memory",
    "interaction",
    "suite_time",
]


def _run(args, tmp_path, timeout=240):
    proc = subprocess.run(
        [sys.executable, *args], cwd=BENCH, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"{args[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.parametrize("name", SCRIPTS)
def test_bench_script_runs_quick(name, tmp_path):
    results, summary = tmp_path / "RESULTS.md", tmp_path / "summary.jsonl"
    proc = _run([str(BENCH / f"{name}.py"), "--quick", "--results", str(results),
                 "--summary", str(summary)], tmp_path)
    # a Markdown table was printed, and the same section was appended to the file
    assert "|---" in proc.stdout
    text = results.read_text(encoding="utf-8")
    assert text.lstrip().startswith("## ") and "|---" in text
    assert "numpy" in text and "BLAS" in text  # the machine line
    # quick runs never claim a goal was met or missed
    for line in summary.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["ok"] is None


def test_run_all_writes_results_with_goal_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    _run([str(BENCH / "run_all.py"), "--quick", "--only", "naive_vs_vectorized",
          "suite_time", "--results", str(out)], tmp_path)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# softmax-lab benchmarks")
    assert "## Goals at a glance" in text
    assert "## 4. Naive loops vs vectorised" in text and "## 7. The test suite" in text
