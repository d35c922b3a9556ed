"""The GitHub Actions workflows: the test workflow runs the README's test command on push
and pull request, and every workflow file is valid.

The validity check is check-jsonschema (from PyPI, the ``lint`` dependency group that
``make test`` installs) with the GitHub Actions workflow schema it ships: a missing
``runs-on``, a step with both ``run`` and ``uses``, a misspelt key or a wrong type fail it.
(actionlint, which also checks expressions, has no wheel on PyPI: its build downloads a
binary, which this project's machines cannot do.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
TEST_WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"


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


def check_jsonschema(*files) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if not Path(exe).is_file():
        pytest.fail("check-jsonschema is missing: `make venv` installs it (pyproject's `lint` group)")
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT)


BROKEN = {
    "no runs-on": "on: push\njobs:\n  j:\n    steps:\n      - run: echo hi\n",
    "run and uses in one step": ("on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
                                 "      - run: echo hi\n        uses: actions/checkout@v4\n"),
    "steps is not a list": "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps: echo hi\n",
}


def test_each_kind_of_broken_workflow_is_caught(tmp_path):
    files = {}
    for i, (what, text) in enumerate(sorted(BROKEN.items())):
        files[what] = tmp_path / f"broken{i}.yml"
        files[what].write_text(text, encoding="utf-8")
    caught = check_jsonschema(*files.values())  # one run (the checker takes seconds to start)
    assert caught.returncode != 0, caught.stdout + caught.stderr
    missed = [what for what, path in files.items() if f"{path.name}::" not in caught.stdout]
    assert not missed, f"not caught: {missed}\n{caught.stdout}"


def test_our_workflows_are_valid():
    assert WORKFLOWS, "no workflow under .github/workflows"
    ours = check_jsonschema(*WORKFLOWS)
    assert ours.returncode == 0, ours.stdout + ours.stderr
