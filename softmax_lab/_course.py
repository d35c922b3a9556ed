"""The course files (lessons, homework starters, docs) for people who only pip-installed.

A wheel carries them in ``softmax_lab/course/``: ``setup.py`` copies them there at
build time from the repository (they are not duplicated in git).  In a checkout
(``pip install -e .``) they are read from the repository itself.
:func:`copy_course` copies them out, keeping the repository's layout, so the links
between them (``../docs/errata.md``, ``../homework/student/``) keep working.

Standard library only; ``setup.py`` loads this file by path for :data:`COURSE_FILES`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: what ships, as glob patterns relative to the repository root; the same layout
#: is used inside the package (``softmax_lab/course/``) and in the copy
COURSE_FILES = (
    "notebooks/[0-9]*.ipynb",
    "homework/student/[0-9]*.ipynb",
    "docs/*.md",
    "LICENSE",
    "LICENSE-notebooks.md",
)
START = "notebooks/00_start_here.ipynb"
DEFAULT_DIR = "softmax-lab-course"


class CourseNotFoundError(FileNotFoundError):
    """Neither the package nor the checkout holds the course files."""


def course_root() -> Path:
    """The directory holding ``notebooks/`` etc.: inside the wheel, else the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "course", here.parent):
        if (candidate / START).is_file():
            return candidate
    raise CourseNotFoundError(
        f"softmax-lab: the course notebooks are not in this installation ({here / 'course'} is missing). "
        "Reinstall from a wheel or from the repository, e.g. "
        "pip install --force-reinstall softmax-lab, or clone the repository."
    )


def course_files(root: Path | None = None) -> list[Path]:
    """Every course file under ``root``, relative to it, in a stable order."""
    root = course_root() if root is None else Path(root)
    found = []
    for pattern in COURSE_FILES:
        found.extend(sorted(p.relative_to(root) for p in root.glob(pattern) if p.is_file()))
    return found


def copy_course(dest, force: bool = False) -> list[Path]:
    """Copy the course into ``dest`` (created if needed); return the files written.

    Parameters
    ----------
    dest : str or Path
        Target directory.  Files already there are not overwritten unless ``force``.
    force : bool
        Overwrite existing files (a student's edited notebook would be lost).
    """
    root = course_root()
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"dest: {dest} exists and is not a directory; choose a directory name.")
    files = course_files(root)
    existing = [rel for rel in files if (dest / rel).exists()]
    if existing and not force:
        shown = ", ".join(str(rel) for rel in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise FileExistsError(
            f"dest: {dest} already holds {len(existing)} course file(s) ({shown}); they may hold your work. "
            "Choose another directory, or pass --force to overwrite them."
        )
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target)
    return [dest / rel for rel in files]
