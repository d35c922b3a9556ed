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
