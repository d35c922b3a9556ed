#!/usr/bin/env python
"""Set the course's GitHub location in one go: ``make set-repo REPO=owner/name [BRANCH=main]``.

The location is written once, in ``softmax_lab/_repo.py``, and so is every kind of link
to it (``URLS`` there: GitHub pages and clones, zips, raw files, Binder, Colab, GitHub
Pages). This tool turns each kind into ONE pattern (the template with the repository
and branch left open), and with those patterns

* ``--check`` lists every link in the repository's text files (README, ``docs/``,
  notebooks, homework, ``pyproject.toml``, ``binder/``, workflows; code builds its links
  from ``_repo.py``) that points at this course but disagrees with the setting
  (``tests/test_repo_setting.py`` runs the same check);
* ``set_repo.py owner/name`` writes the new setting, moves every link that points at the
  old location (and its branch) to the new one, refreshes the notebooks' Binder/Colab
  header (``tools/notebook_header.py``) and README's note that asks for this command
  while the owner is the placeholder ``OWNER``.

Usage::

    python tools/set_repo.py alice/softmax-lab [--branch main]
    python tools/set_repo.py --check

Standard library only.
"""

from __future__ import annotations

import argparse
import json
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

_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_BRANCH_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")  # no "/": links cut the branch at "/"

# what the placeholders of a template match; a match ends where a URL ends or goes on
_FIELDS = {"repo": r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+?", "owner": r"[A-Za-z0-9-]+", "name": r"[A-Za-z0-9._-]+?",
           "branch": r"[A-Za-z0-9._-]+?"}
_END = r"""(?=[/?#)"'\s\]>@`,;\\]|$)"""  # a backslash too: JSON's \" after a link
# beyond the URLs: the README's clone command names the folder git creates
EXTRA_TEMPLATES = {"clone-cd": "git clone https://github.com/{repo}.git && cd {name}"}


def _matched(template: str) -> str:
    """The part of a template that a link must contain: up to the last field before
    ``{path}`` (what follows it is the link's own business), without the scheme."""
    if "{path}" in template:
        template = template[: template.index("{path}")]
        template = template[: template.rindex("}") + 1]
    return template.removeprefix("https://").rstrip("/")


def _pattern(template: str) -> re.Pattern:
    """One regex per kind of link: the template's literal text, its fields left open."""
    parts = re.split(r"\{(\w+)\}", _matched(template))  # literal, field, literal, ..., literal
    regex = "".join(f"(?P<{part}>{_FIELDS[part]})" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    scheme = "" if template.startswith("git ") else r"(?<![\w.-])(?P<scheme>https?://)?"
    return re.compile(scheme + regex + _END)


def find_links(text: str, repo) -> list[tuple[str, re.Match, dict]]:
    """(kind, match, fields) for every link in ``text`` of a kind ``_repo.URLS`` knows,
    each found once (the first kind in ``URLS`` order wins: a clone before the bare page)."""
    found, taken = [], []
    for kind, template in {**EXTRA_TEMPLATES, **repo.URLS}.items():
        for m in _pattern(template).finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append(m.span())
            fields = {k: v for k, v in m.groupdict().items() if k != "scheme"}
            if "repo" in fields:
                fields["owner"], fields["name"] = fields["repo"].split("/")
            found.append((kind, m, fields))
    return sorted(found, key=lambda f: f[1].start())


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
    for kind, m, f in find_links(text, repo):
        if not ours(f["owner"], f["name"], repo):
            continue
        if (f["owner"].lower(), f["name"]) != (repo.owner().lower(), repo.name()) or (
                "repo" in f and f["repo"] != repo.REPO):
            problems.append(f"{m[0]!r}: {kind} link to {f['owner']}/{f['name']}, the setting says {repo.REPO}")
        elif f.get("branch", repo.BRANCH) != repo.BRANCH:
            problems.append(f"{m[0]!r}: {kind} link to branch {f['branch']!r}, the setting says {repo.BRANCH!r}")
    return problems


def readme_note_problem(root: Path, repo):
    """README's note asking for `make set-repo`: present in its first lines iff placeholder."""
    lines = (Path(root) / "README.md").read_text(encoding="utf-8").splitlines()
    has = "make set-repo" in "\n".join(lines[:8])
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
    """``text`` with every link to the old location (and its branch) moved to the new one."""
    new_owner, new_name = new_repo.split("/")
    out, pos = [], 0
    for kind, m, f in find_links(text, old):
        if (f["owner"].lower(), f["name"]) != (old.owner().lower(), old.name()):
            continue  # another project, or a link that the check reports
        branch = new_branch if f.get("branch", old.BRANCH) == old.BRANCH else f["branch"]
        template = _matched({**EXTRA_TEMPLATES, **old.URLS}[kind])
        owner = new_owner.lower() if kind == "pages" else new_owner
        new = template.format(repo=new_repo, owner=owner, name=new_name, branch=branch)
        out += [text[pos:m.start()], (m.groupdict().get("scheme") or "") + new]
        pos = m.end()
    return "".join(out) + text[pos:]


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
        raise ValueError(f"BRANCH={new_branch!r} is not a branch name without '/' (e.g. BRANCH=main).")
    files = candidate_files(root)
    rewrite_repo_file(root / REPO_FILE, new_repo, new_branch)
    changed = [root / REPO_FILE]
    new = notebook_header.load_repo_setting(root)
    for path in files:
        text = path.read_text(encoding="utf-8")
        updated = rewrite_text(text, old, new_repo, new_branch)
        if path == root / "README.md":
            updated = render_note(updated, new.is_placeholder())
        if path.suffix == ".ipynb" and notebook_header.HEADER_KEY in updated:
            nb = json.loads(updated)
            if any(notebook_header.header_kind(c) for c in nb.get("cells", [])) and \
                    notebook_header.apply(nb, notebook_header.relative_path(path, root), new):
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
    if not args.check and not args.repo:
        parser.error("give REPO as owner/name (make set-repo REPO=alice/softmax-lab), or --check")
    if not args.check:
        try:
            changed = set_repo(args.root, args.repo, args.branch)
        except ValueError as exc:
            print(f"set_repo: {exc}", file=sys.stderr)
            return 2
        for path in changed:
            print(f"set_repo: rewrote {path.relative_to(args.root)}")
    problems = check(args.root)
    repo = notebook_header.load_repo_setting(args.root)
    for p in problems:
        print(p if args.check else f"set_repo: still disagrees: {p}", file=sys.stdout if args.check else sys.stderr)
    if args.check:
        print(f"set_repo: {len(problems)} link(s) disagree with {repo.REPO} (branch {repo.BRANCH})"
              if problems else f"set_repo: every link agrees with {repo.REPO} (branch {repo.BRANCH})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
