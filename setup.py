"""Build hooks for softmax-lab.  All metadata lives in pyproject.toml; this file adds two
things a static table cannot:

1. **The course ships in the wheel.**  ``build_py`` copies the lessons, the homework
   starters and ``docs/`` (the patterns in ``softmax_lab/_course.py``) into
   ``softmax_lab/course/`` of the build, so ``softmax-lab notebooks`` finds them after
   a plain ``pip install``.  They are not duplicated in git; the sdist carries them
   through ``MANIFEST.in``.
2. **Absolute links in the long description.**  The README's relative links
   (``[MIT](LICENSE)``) would break on a package index: they are rewritten to
   GitHub URLs from the repository setting ``softmax_lab/_repo.py``.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _load(name):
    """A stdlib-only module of the package, loaded by path (numpy is not needed to build)."""
    spec = importlib.util.spec_from_file_location(f"_softmax_lab_build_{name}", HERE / "softmax_lab" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_LINK = re.compile(r"(?P<bang>!?)\[(?P<label>[^\]\n]*)\]\((?P<target>[^)\s]+)\)")


def absolute_links(markdown: str, repo, root: Path = HERE) -> str:
    """``markdown`` with every relative link/image made absolute (GitHub page / raw file)."""

    def fix(match):
        target = match["target"]
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|/", target):  # http:, mailto:, anchors, absolute
            return match[0]
        if match["bang"]:
            url = repo.raw_url(target)
        else:
            path = target + ("/" if (root / target).is_dir() and not target.endswith("/") else "")
            url = repo.github_url(path)
        return f"{match['bang']}[{match['label']}]({url})"

    return _LINK.sub(fix, markdown)


class build_py_with_course(build_py):
    """build_py, plus the course files copied into softmax_lab/course/."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the course from the checkout itself
        course = _load("_course")
        dest = Path(self.build_lib) / "softmax_lab" / "course"
        if dest.exists():
            shutil.rmtree(dest)
        copied = 0
        for pattern in course.COURSE_FILES:
            for src in sorted(HERE.glob(pattern)):
                target = dest / src.relative_to(HERE)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
                copied += 1
        if not (dest / course.START).is_file():
            raise SystemExit(f"setup.py: {course.START} not found under {HERE}: "
                             "the course would be missing from the wheel (is MANIFEST.in complete?)")
        print(f"setup.py: copied {copied} course files into {dest}")


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__; tests import it
    setup(
        cmdclass={"build_py": build_py_with_course},
        long_description=absolute_links((HERE / "README.md").read_text(encoding="utf-8"), _load("_repo")),
        long_description_content_type="text/markdown",
    )
