"""Where the course lives on GitHub: the ONE place the repository location is written.

Every badge and link that points at the repository (README, notebooks, ``docs/``,
``pyproject.toml``, the notebooks' Binder/Colab header, the wheel's long description)
is derived from :data:`REPO` and :data:`BRANCH`.  Change them with::

    make set-repo REPO=your-account/softmax-lab            # BRANCH=main by default

which runs ``tools/set_repo.py``: it rewrites this file and every link that contains
the old location.  ``tests/test_repo_setting.py`` checks that they all agree.

It is also the ONE link builder: :func:`url` and its named forms (:func:`github_url`,
:func:`raw_url`, :func:`binder_url`, :func:`colab_url`, :func:`archive_url`,
:func:`pages_url`) build every link from :data:`URLS`, and ``tools/set_repo.py`` finds
links with the same templates.

It is read ONE way: by path, standard library only, never importing the rest of the
package (no numpy needed): ``setup.py`` and the tools load the file
(``importlib.util.spec_from_file_location``; the tools through
``tools/notebook_header.py``'s ``load_repo_setting``), the Makefile runs it
(``python softmax_lab/_repo.py`` prints ``REPO BRANCH``).
"""

from __future__ import annotations

#: ``owner/name`` of the GitHub repository.  ``OWNER`` is the placeholder used until
#: the course has a home; README's first lines say what to run while it is.
REPO = "OWNER/softmax-lab"
#: the branch that badges, "Open in Colab" links and the notebooks' install cell use
BRANCH = "main"

PLACEHOLDER_OWNER = "OWNER"

#: Every kind of link to the repository, written once: the builders below fill these in,
#: and ``tools/set_repo.py`` turns each into one pattern that finds (and moves) such links.
#: ``{repo}`` is owner/name, ``{owner}``/``{name}`` its halves, ``{branch}`` the branch,
#: ``{path}`` a path relative to the repository root (whatever follows is not matched).
URLS = {
    "binder": "https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}",
    "colab": "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}",
    "raw": "https://raw.githubusercontent.com/{repo}/{branch}/{path}",
    "archive": "https://github.com/{repo}/archive/refs/heads/{branch}.zip",
    "blob": "https://github.com/{repo}/blob/{branch}/{path}",
    "tree": "https://github.com/{repo}/tree/{branch}/{path}",
    "clone": "https://github.com/{repo}.git",
    "github": "https://github.com/{repo}",
    "pages": "https://{owner}.github.io/{name}/",
}


def owner(repo: str | None = None) -> str:
    return (repo or REPO).split("/")[0]


def name(repo: str | None = None) -> str:
    return (repo or REPO).split("/")[1]


def is_placeholder(repo: str | None = None) -> bool:
    """True while the repository owner is still the placeholder ``OWNER``."""
    return owner(repo) == PLACEHOLDER_OWNER


def url(kind: str, path: str = "", *, repo: str | None = None, branch: str | None = None) -> str:
    """The link of ``kind`` (a key of :data:`URLS`); ``repo``/``branch`` override the setting.

    >>> url("colab", "notebooks/a b.ipynb", repo="alice/course", branch="dev")
    'https://colab.research.google.com/github/alice/course/blob/dev/notebooks/a%20b.ipynb'
    """
    from urllib.parse import quote

    repo, branch = repo or REPO, branch or BRANCH
    return URLS[kind].format(repo=repo, owner=owner(repo).lower(), name=name(repo),
                             branch=quote(branch, safe=""), path=quote(path, safe="/"))


def github_url(path: str = "", **where) -> str:
    """``https://github.com/owner/name``, or the page of ``path`` on :data:`BRANCH`
    (a folder when ``path`` ends with ``/``)."""
    if not path:
        return url("github", **where)
    return url("tree" if path.endswith("/") else "blob", path, **where)


def raw_url(path: str, **where) -> str:
    """The raw file ``path`` on :data:`BRANCH` (images in the wheel's long description)."""
    return url("raw", path, **where)


def binder_url(path: str, **where) -> str:
    """Binder link that opens ``path`` (relative to the repository root) in JupyterLab."""
    return url("binder", path, **where)


def colab_url(path: str, **where) -> str:
    """Colab link that opens the notebook ``path`` (relative to the repository root)."""
    return url("colab", path, **where)


def archive_url(**where) -> str:
    """A zip of :data:`BRANCH`: what pip installs from when the package is missing (no git needed)."""
    return url("archive", **where)


def pages_url(**where) -> str:
    """Where GitHub Pages publishes the course website."""
    return url("pages", **where)


BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


if __name__ == "__main__":  # the Makefile reads the setting this way: python softmax_lab/_repo.py
    print(REPO, BRANCH)
