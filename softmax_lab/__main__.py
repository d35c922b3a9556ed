"""Command line: ``softmax-lab notebooks [DIR]`` (also ``python -m softmax_lab notebooks``).

Copies the lessons and the homework starters that ship with the package into DIR
(default ``./softmax-lab-course``) and says how to open them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, _course, _repo


def _notebooks(args) -> int:
    try:
        written = _course.copy_course(args.dir, force=args.force)
    except (FileExistsError, NotADirectoryError, _course.CourseNotFoundError) as exc:
        print(f"softmax-lab: {exc}", file=sys.stderr)
        return 1
    dest = Path(args.dir)
    lessons = [p for p in written if p.parent.name == "notebooks"]
    homework = [p for p in written if p.parent.name == "student"]
    start = dest / _course.START
    print(f"Copied {len(lessons)} lesson notebooks and {len(homework)} homework starters to {dest}/")
    print()
    print("Open them with JupyterLab (the notebooks need the [lab] extra):")
    print('    pip install "softmax-lab[lab]"      # if you installed softmax-lab without it')
    print(f"    jupyter lab {start}")
    print()
    print(f"Start with {start.name}; homework starters are in {dest / 'homework' / 'student'}/.")
    if not _repo.is_placeholder():
        print(f"Nothing to install instead: {_repo.binder_url(_course.START)}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="softmax-lab", description="softmax-lab: an interactive notebook course on softmax regression.")
    parser.add_argument("--version", action="version", version=f"softmax-lab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    nb = sub.add_parser("notebooks", help="copy the lesson notebooks and homework starters into a directory")
    nb.add_argument("dir", nargs="?", default=_course.DEFAULT_DIR, metavar="DIR",
                    help=f"where to put them (default: ./{_course.DEFAULT_DIR})")
    nb.add_argument("--force", action="store_true", help="overwrite course files already in DIR")
    args = parser.parse_args(argv)
    if args.command == "notebooks":
        return _notebooks(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
