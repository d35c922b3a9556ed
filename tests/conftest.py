"""Shared pytest configuration for softmax-lab's tests.

Markers (``browser``, ``slow``) are declared in ``pyproject.toml``.

``make test-unit`` (the developer's loop, about a minute) runs ``-m "not slow"``;
``make test`` runs everything. Whole modules that build or start something big are
marked ``slow`` here, in one list (:data:`SLOW_MODULES`), so a test added to them is
slow too; single slow tests elsewhere carry ``@pytest.mark.slow`` themselves.
"""
import os
from pathlib import Path

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is in the [test] extra; without it only its tests fail
    pass
else:
    # CI and the classroom machines are small and shared: a property test that
    # happens to run while another kernel starts must not fail on a timing
    # deadline.  Correctness, not speed, is tested here (speed lives in bench/).
    settings.register_profile(
        "softmax-lab",
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    # `HYPOTHESIS_PROFILE=<name> pytest ...` can pick another registered profile
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "softmax-lab"))


# ---------------------------------------------------------------- shared data
# One definition of the deck's 9-row iris table for every test file (test
# files used to define ``iris9`` three different ways).
import pytest  # noqa: E402


@pytest.fixture
def iris9_table():
    """The deck's 9-row petal table (a ``Dataset``: .data, .target 0-based, .target_slide, names)."""
    import softmax_lab as sl

    return sl.datasets.load_slide_table("iris9_petal")


@pytest.fixture
def iris9(iris9_table):
    """``(X, y)`` of the deck's 9-row petal table; y is 0-based (slide labels 1..3 minus 1)."""
    return iris9_table.data, iris9_table.target


# ---------------------------------------------------------------- slow / fast
#: modules whose every test is slow (seconds to minutes each): behind `make test` only
SLOW_MODULES = {
    "test_grading.py": "nbgrader's real pipeline: generate, autograde, feedback per assignment",
    "test_browser.py": "a real JupyterLab driven by Chromium",
    "test_site.py": "builds the course website, opens it in Chromium",
    "test_slides_build.py": "builds reveal.js decks, opens them in Chromium",
    "test_static_views.py": "re-executes notebooks, renders them with nbconvert",
    "test_bench_smoke.py": "runs every benchmark script in its quick mode",
}


def _solution_run(item):
    """The homework notebook that test_homework.py's in-process solution run executes, or None."""
    if getattr(item, "originalname", None) != "test_solution_notebook_runs_clean_with_hidden_tests":
        return None
    return item.callspec.params.get("name")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    # A homework solution that nbval runs here (make test: every cell, hidden tests included,
    # stored outputs compared) is not run a second time in-process by
    # test_homework.py::test_solution_notebook_runs_clean_with_hidden_tests; where nbval does
    # not run it (make test-unit) that test is the check.
    under_nbval = {Path(str(i.fspath)).name for i in items
                   if str(i.fspath).endswith(".ipynb") and Path(str(i.fspath)).parent.name == "homework"}
    dropped = [i for i in items if _solution_run(i) in under_nbval]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if i not in dropped]
