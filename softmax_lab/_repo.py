"""Where the course lives on GitHub: the ONE place the repository location is written.

Every badge and link that points at the repository (README, notebooks, ``docs/``,
``pyproject.toml``, the notebooks' Binder/Colab header, the wheel's long description)
is derived from :data:`REPO` and :data:`BRANCH`.  Change them with::

    make set-repo REPO=your-account/softmax-lab            # BRANCH=main by default

which runs ``tools/set_repo.py``: it rewrites this file and every link that contains
the old location.  ``tests/test_repo_setting.py`` checks that they all agree.

This module uses the standard library only and never imports the rest of the
package, so ``setup.py`` and the tools can load it by path (without numpy).
"""

from __future__ import annotations

#: ``owner/name`` of the GitHub repository.  ``OWNER`` is the placeholder used until
#: the course has a home; README's first lines say what to run while it is.
REPO = "OWNER/softmax-lab"
#: the branch that badges, "Open in Colab" links and the notebooks' install cell use
BRANCH = "main"

PLACEHOLDER_OWNER = "OWNER"


def owner() -> str:
    return REPO.split("/")[0]


def name() -> str:
    return REPO.split("/")[1]


def is_placeholder() -> bool:
    """True while the repository owner is still the placeholder ``OWNER``."""
    return owner() == PLACEHOLDER_OWNER


def github_url(path: str = "") -> str:
    """``https://github.com/owner/name``, or the page of ``path`` on :data:`BRANCH`."""
    base = f"https://github.com/{REPO}"
    if not path:
        return base
    kind = "tree" if path.endswith("/") else "blob"
    return f"{base}/{kind}/{BRANCH}/{path}"


def binder_url(path: str) -> str:
    """Binder link that opens ``path`` (relative to the repository root) in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/{path}"


def colab_url(path: str) -> str:
    """Colab link that opens the notebook ``path`` (relative to the repository root)."""
    return f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{path}"


def archive_url() -> str:
    """A zip of :data:`BRANCH`: what pip installs from when the package is missing (no git needed)."""
    return f"https://github.com/{REPO}/archive/refs/heads/{BRANCH}.zip"


def pages_url() -> str:
    """Where GitHub Pages publishes the course website."""
    return f"https://{owner().lower()}.github.io/{name()}/"


BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
