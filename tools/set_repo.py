#!/usr/bin/env python
"""Set the course's GitHub location in one go: ``make set-repo REPO=owner/name [BRANCH=main]``.

The location is written once, in ``softmax_lab/_repo.py``.  This tool changes it
there and rewrites every link that contains the old one, in every text file of the
repository that is not code (README, ``docs/``, notebooks, homework, ``pyproject.toml``,
``binder/``, site and workflow configuration):

* GitHub (``github.com/OLD...``, ``.git`` clones, ``archive/`` zips, ``blob``/``tree``
  pages of the branch), raw files, GitHub Pages (``old-owner.github.io/old-name``);
* Binder (``mybinder.org/v2/gh/OLD/BRANCH``) and Colab
  (``colab.research.google.com/github/OLD/blob/BRANCH``) links and badges;
* ``git clone ... && cd old-name``;
* the note at the top of README that asks for this command while the owner is the
  placeholder ``OWNER`` (removed once a real owner is set, back if set to ``OWNER``);
* the notebooks' Binder/Colab header (``tools/notebook_header.py``), where present.

``--check`` changes nothing and lists every link that disagrees with the setting
(``tests/test_repo_setting.py`` runs the same check).

Usage::

    python tools/set_repo.py alice/softmax-lab [--branch main]
    python tools/set_repo.py --check

Standard library only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook_header  # noqa: E402

REPO_FILE = Path("softmax_lab") / "_repo.py"
# files that may hold links (code builds its links from _repo.py and is not rewritten)
TEXT_SUFFIXES = {".md", ".ipynb", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".rst", ".html", ".json", ".in"}
SKIP_DIRS = {".git", ".venv", "build", "dist", "tests", "node_modules", "__pycache__", ".ipynb_checkpoints",
             "_build", "test-artifacts"}

NOTE_BEGIN = "<!-- repo-setting-note: shown while the repository owner is the placeholder -->"
NOTE_END = "<!-- /repo-setting-note -->"
NOTE_TEXT = (
    "> **Maintainers, first:** this repository's GitHub location is still the placeholder "
    "`OWNER/softmax-lab`, so the badges and links below lead nowhere. Run\n"
    "> `make set-repo REPO=your-account/softmax-lab` (optionally `BRANCH=main`) once: it rewrites every "
    "badge and link (README, notebooks, `docs/`, `pyproject.toml`) from `softmax_lab/_repo.py`."
)

_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_BRANCH_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
_SEG = r"[A-Za-z0-9._-]"
_END = r"""(?=[/?#)"'\s\]>@`,;]|$)"""

# (kind, regex); groups: owner, name, and (optional) ref
LINK_PATTERNS = [
    ("binder", re.compile(rf"mybinder\.org/v2/gh/(?P<owner>[A-Za-z0-9-]+)/(?P<name>{_SEG}+?)/(?P<ref>[^?#\s)\"'\]]+)")),
    ("colab", re.compile(rf"colab\.research\.google\.com/github/(?P<owner>[A-Za-z0-9-]+)/(?P<name>{_SEG}+?)"
                         rf"/blob/(?P<ref>[^/\s]+)/")),
    ("raw", re.compile(rf"raw\.githubusercontent\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>{_SEG}+?)/(?P<ref>[^/\s]+)/")),
    ("github", re.compile(rf"(?<![.\w])github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>{_SEG}+?)(?:\.git)?{_END}"
                          rf"(?:/(?:blob|tree)/(?P<ref>[^/\s)\"'\]]+)|/archive/refs/heads/(?P<zipref>[^\s)\"'\]]+?)\.zip"
                          rf"|@(?P<atref>[A-Za-z0-9._/-]+))?")),
    ("pages", re.compile(rf"(?P<owner>[A-Za-z0-9-]+)\.github\.io/(?P<name>{_SEG}+?){_END}")),
]


# ------------------------------------------------------------------ which files
def candidate_files(root: Path = ROOT) -> list[Path]:
    """Text files that may hold links: tracked by git (or, outside git, found on disk)."""
    root = Path(root)
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-co", "--exclude-standard"],
                             capture_output=True, text=True, check=True).stdout.split("\n")
        paths = [root / line for line in out if line]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in root.rglob("*") if p.is_file()]
    keep = []
    for p in paths:
        rel = p.relative_to(root)
        if not p.is_file() or set(rel.parts[:-1]) & SKIP_DIRS or rel.parts[0] in SKIP_DIRS:
            continue
        if p.suffix in TEXT_SUFFIXES and rel != REPO_FILE:
            keep.append(p)
    return sorted(set(keep))


# ------------------------------------------------------------------ checking
def ours(owner: str, name: str, repo) -> bool:
    """Does a link to owner/name mean this course (so it must match the setting)?"""
    return (owner.lower() in {repo.owner().lower(), repo.PLACEHOLDER_OWNER.lower()}
            or name.lower() in {repo.name().lower(), "softmax-lab"})


def link_problems(text: str, repo) -> list[str]:
    """Every link in ``text`` to this course that disagrees with the setting, described."""
    problems = []
    for kind, pattern in LINK_PATTERNS:
        for m in pattern.finditer(text):
            owner, name = m["owner"], m["name"]
            if kind in ("github", "raw", "pages") and not ours(owner, name, repo):
                continue
            if kind == "pages":
                if owner.lower() != repo.owner().lower() or name != repo.name():
                    problems.append(f"{m[0]!r}: GitHub Pages site should be {repo.pages_url()!r}")
                continue
            if f"{owner}/{name}" != repo.REPO:
                problems.append(f"{m[0]!r}: {kind} link to {owner}/{name}, the setting says {repo.REPO}")
                continue
            refs = {g: m.groupdict().get(g) for g in ("ref", "zipref", "atref")}
            for ref in filter(None, refs.values()):
                if ref != repo.BRANCH:
                    problems.append(f"{m[0]!r}: {kind} link to branch {ref!r}, the setting says {repo.BRANCH!r}")
    return problems


def readme_note_problem(root: Path, repo):
    """README's note asking for `make set-repo`: present in its first lines iff placeholder."""
    lines = (Path(root) / "README.md").read_text(encoding="utf-8").splitlines()
    top = "\n".join(lines[:8])
    has = "make set-repo" in top
    if repo.is_placeholder() and not has:
        return "README.md: the owner is the placeholder OWNER but the first lines do not say to run `make set-repo`"
    if not repo.is_placeholder() and NOTE_TEXT.splitlines()[0] in "\n".join(lines):
        return "README.md: the placeholder note is still there although the owner is set"
    return None


def check(root: Path = ROOT, repo=None) -> list[str]:
    """All disagreements between the repository's links and ``softmax_lab/_repo.py``."""
    root = Path(root)
    repo = notebook_header.load_repo_setting(root) if repo is None else repo
    problems = []
    for path in candidate_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{path.relative_to(root)}: {p}" for p in link_problems(text, repo)]
    note = readme_note_problem(root, repo)
    if note:
        problems.append(note)
    return problems


# ------------------------------------------------------------------ rewriting
def rewrite_text(text: str, old, new_repo: str, new_branch: str) -> str:
    """``text`` with every link to the old location moved to the new one."""
    old_repo, old_branch = old.REPO, old.BRANCH
    old_owner, old_name = old_repo.split("/")
    new_owner, new_name = new_repo.split("/")
    q_old, q_branch = re.escape(old_repo), re.escape(old_branch)
    hosts = r"(github\.com/|mybinder\.org/v2/gh/|colab\.research\.google\.com/github/|raw\.githubusercontent\.com/)"
    text = re.sub(rf"(?<![.\w]){hosts}{q_old}(?=\.git(?![\w-])|[/?#)\"'\s\]>@`,;]|$)", lambda m: m[1] + new_repo, text)
    q_new = re.escape(new_repo)
    branch_forms = [
        rf"(mybinder\.org/v2/gh/{q_new}/)(?:{q_branch}|HEAD)(?=[?#\s)\"'\]]|$)",
        rf"(colab\.research\.google\.com/github/{q_new}/blob/){q_branch}(?=/)",
        rf"(github\.com/{q_new}/(?:blob|tree)/){q_branch}(?=/)",
        rf"(github\.com/{q_new}/archive/refs/heads/){q_branch}(?=\.zip)",
        rf"(raw\.githubusercontent\.com/{q_new}/){q_branch}(?=/)",
        rf"(github\.com/{q_new}(?:\.git)?@){q_branch}{_END}",
    ]
    for form in branch_forms:
        text = re.sub(form, lambda m: m[1] + new_branch, text)
    text = re.sub(rf"(?i)(?<![\w-]){re.escape(old_owner)}\.github\.io/{re.escape(old_name)}{_END}",
                  f"{new_owner.lower()}.github.io/{new_name}", text)
    text = re.sub(rf"(git clone https://github\.com/{q_new}(?:\.git)? && cd ){re.escape(old_name)}(?![\w.-])",
                  lambda m: m[1] + new_name, text)
    return text


def render_note(text: str, placeholder: bool) -> str:
    """README text with the placeholder note block filled (placeholder) or emptied."""
    start, end = text.find(NOTE_BEGIN), text.find(NOTE_END)
    if start < 0 or end < start:
        return text
    body = f"\n{NOTE_TEXT}\n" if placeholder else "\n"
    return text[: start + len(NOTE_BEGIN)] + body + text[end:]


def rewrite_repo_file(path: Path, new_repo: str, new_branch: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, n1 = re.subn(r'(?m)^REPO = "[^"]*"$', f'REPO = "{new_repo}"', text)
    text, n2 = re.subn(r'(?m)^BRANCH = "[^"]*"$', f'BRANCH = "{new_branch}"', text)
    if (n1, n2) != (1, 1):
        raise SystemExit(f"set_repo: {path} must contain one line REPO = \"...\" and one BRANCH = \"...\"")
    path.write_text(text, encoding="utf-8")


def set_repo(root: Path, new_repo: str, new_branch: str | None = None) -> list[Path]:
    """Move every link under ``root`` to ``new_repo``/``new_branch``; return the changed files."""
    root = Path(root)
    if not _REPO_RE.match(new_repo):
        raise ValueError(f"REPO={new_repo!r} is not a GitHub 'owner/name' (e.g. REPO=alice/softmax-lab).")
    old = notebook_header.load_repo_setting(root)
    new_branch = new_branch or old.BRANCH
    if not _BRANCH_RE.match(new_branch):
        raise ValueError(f"BRANCH={new_branch!r} is not a branch name (e.g. BRANCH=main).")
    changed = []
    files = candidate_files(root)
    rewrite_repo_file(root / REPO_FILE, new_repo, new_branch)
    changed.append(root / REPO_FILE)
    new = notebook_header.load_repo_setting(root)
    for path in files:
        text = path.read_text(encoding="utf-8")
        updated = rewrite_text(text, old, new_repo, new_branch)
        if path == root / "README.md":
            updated = render_note(updated, new.is_placeholder())
        if path.suffix == ".ipynb" and notebook_header.HEADER_KEY in updated:
            import json
            nb = json.loads(updated)
            if any(notebook_header.header_kind(c) for c in nb.get("cells", [])):
                rel = notebook_header.relative_path(path, root)
                if notebook_header.apply(nb, rel, new):
                    updated = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Set the course's GitHub location (owner/name) everywhere.")
    parser.add_argument("repo", nargs="?", help="owner/name, e.g. alice/softmax-lab")
    parser.add_argument("--branch", help="branch for badges and installs (default: keep the current one)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help="change nothing; list links that disagree")
    args = parser.parse_args(argv)
    if args.check or not args.repo:
        if not args.check:
            parser.error("give REPO as owner/name (make set-repo REPO=alice/softmax-lab), or --check")
        problems = check(args.root)
        for p in problems:
            print(p)
        repo = notebook_header.load_repo_setting(args.root)
        print(f"set_repo: {len(problems)} link(s) disagree with {repo.REPO} (branch {repo.BRANCH})"
              if problems else f"set_repo: every link agrees with {repo.REPO} (branch {repo.BRANCH})")
        return 1 if problems else 0
    try:
        changed = set_repo(args.root, args.repo, args.branch)
    except ValueError as exc:
        print(f"set_repo: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"set_repo: rewrote {path.relative_to(args.root)}")
    problems = check(args.root)
    for p in problems:
        print(f"set_repo: still disagrees: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
