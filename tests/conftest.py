"""Shared pytest configuration for softmax-lab's tests.

Markers (``browser``, ``slow``) are declared in ``pyproject.toml``.
"""
import os

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
