"""The one repository setting (softmax_lab/_repo.py) and every badge and link derived from it.

``make set-repo REPO=owner/name`` (tools/set_repo.py) must move every link; these tests
check that the checkout agrees with the setting, that the check notices a stale link,
and that set-repo moves everything (on a copy) and back again byte for byte.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import notebook_header  # noqa: E402
import set_repo  # noqa: E402

REPO = notebook_header.load_repo_setting()


def copy_tree(dest: Path) -> Path:
    """The files set-repo reads and writes, copied under ``dest`` (outside git)."""
    for path in set_repo.candidate_files(ROOT) + [ROOT / set_repo.REPO_FILE]:
        target = dest / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


def texts(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_badge_and_link_agrees_with_the_setting():
    assert set_repo.check(ROOT) == []


def test_the_files_checked_include_readme_docs_notebooks_and_pyproject():
    names = {p.relative_to(ROOT).as_posix() for p in set_repo.candidate_files(ROOT)}
    assert {"README.md", "pyproject.toml", "docs/teaching.md", "notebooks/02_one_example_two_classes.ipynb",
            "homework/student/01_stable_softmax.ipynb"} <= names
    assert not any(n.startswith(("tests/", ".venv/")) for n in names)


def test_readme_first_lines_say_what_to_run_while_the_owner_is_the_placeholder():
    top = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8])
    if REPO.is_placeholder():
        assert "make set-repo REPO=" in top
    else:
        assert "placeholder" not in top


def test_readme_badges_open_the_start_notebook_on_binder_and_colab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({REPO.binder_url('notebooks/00_start_here.ipynb')})" in readme
    assert f"]({REPO.colab_url('notebooks/00_start_here.ipynb')})" in readme


def test_the_check_catches_stale_links_and_ignores_other_projects(tmp_path):
    root = copy_tree(tmp_path)
    doc = root / "docs" / "teaching.md"
    doc.write_text(doc.read_text(encoding="utf-8") + (
        "\n[a](https://github.com/bob/softmax-lab/blob/main/README.md)"
        f"\n[b](https://mybinder.org/v2/gh/{REPO.REPO}/some-branch?urlpath=lab)"
        f"\n[c](https://colab.research.google.com/github/{REPO.owner()}/other-name/blob/{REPO.BRANCH}/x.ipynb)"
        "\n[nbval](https://github.com/computationalmodelling/nbval) and https://jupyter.github.io/docs/\n"
    ), encoding="utf-8")
    problems = set_repo.check(root)
    assert len(problems) == 3, problems
    assert any("bob/softmax-lab" in p for p in problems)
    assert any("'some-branch'" in p for p in problems)
    assert any("other-name" in p for p in problems)
    assert not any("nbval" in p or "jupyter.github.io" in p for p in problems)


@pytest.mark.slow  # rewrites a copy of every notebook twice (seconds): `make test`, not `make test-unit`
def test_set_repo_moves_every_link_and_back_again(tmp_path):
    root = copy_tree(tmp_path)
    notebooks = notebook_header.default_notebooks(root)
    assert notebook_header.main(["--root", str(root)] + [str(p) for p in notebooks]) == 0
    before = texts(root)

    set_repo.set_repo(root, "alice-k/course", "dev")
    moved = notebook_header.load_repo_setting(root)
    assert (moved.REPO, moved.BRANCH) == ("alice-k/course", "dev")
    assert set_repo.check(root) == []
    after = texts(root)
    leftovers = [name for name, text in after.items() if "OWNER/softmax-lab" in text and name != "softmax_lab/_repo.py"]
    assert leftovers == []
    readme = after["README.md"]
    assert "make set-repo" not in "\n".join(readme.splitlines()[:8])
    assert "git clone https://github.com/alice-k/course.git && cd course" in readme
    assert "https://mybinder.org/v2/gh/alice-k/course/dev?urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme
    pyproject = after["pyproject.toml"]
    assert 'Source = "https://github.com/alice-k/course"' in pyproject
    nb = json.loads(after["notebooks/02_one_example_two_classes.ipynb"])
    badges, install = ("".join(c["source"]) for c in nb["cells"][:2])
    assert ("https://colab.research.google.com/github/alice-k/course/blob/dev/"
            "notebooks/02_one_example_two_classes.ipynb") in badges
    assert "https://github.com/alice-k/course/archive/refs/heads/dev.zip" in install
    student = json.loads(after["homework/student/02_loss_and_gradient.ipynb"])
    assert "mybinder.org/v2/gh/alice-k/course/dev?urlpath=lab/tree/homework/student/02_loss_and_gradient.ipynb" \
        in "".join(student["cells"][0]["source"])
    assert notebook_header.main(["--check", "--root", str(root)] + [str(p) for p in notebooks]) == 0

    set_repo.set_repo(root, REPO.REPO, REPO.BRANCH)
    assert texts(root) == before


@pytest.mark.parametrize("kind", sorted(REPO.URLS))
def test_every_kind_of_link_the_builder_makes_is_found_checked_and_moved(kind):
    # one template per kind in _repo.URLS: the builder fills it in, set-repo finds it with it
    link = REPO.url(kind, "notebooks/03_three_classes_stochastic.ipynb")
    text = f"see [it]({link}) and <{REPO.url(kind, 'docs/teaching.md', branch='stale')}>\n"
    assert [k for k, _, _ in set_repo.find_links(text, REPO)] == [kind, kind]
    problems = set_repo.link_problems(text, REPO)
    if "{branch}" in REPO.URLS[kind]:
        assert len(problems) == 1 and "'stale'" in problems[0], problems
    else:
        assert problems == []
    moved = set_repo.rewrite_text(text, REPO, "alice-k/course", "dev")
    assert REPO.url(kind, "notebooks/03_three_classes_stochastic.ipynb", repo="alice-k/course", branch="dev") in moved
    assert "OWNER" not in moved.replace("owner", "") and REPO.REPO not in moved


@pytest.mark.parametrize("bad", ["alice", "alice/", "-alice/x", "alice/x y", "https://github.com/alice/x"])
def test_set_repo_rejects_what_is_not_owner_slash_name(tmp_path, bad, capsys):
    root = tmp_path  # the setting alone: a refused name must be refused before any file is read
    (root / set_repo.REPO_FILE).parent.mkdir(parents=True)
    shutil.copyfile(ROOT / set_repo.REPO_FILE, root / set_repo.REPO_FILE)
    assert set_repo.main(["--root", str(root), "--", bad]) == 2
    err = capsys.readouterr().err
    assert "owner/name" in err and bad in err
    assert notebook_header.load_repo_setting(root).REPO == REPO.REPO  # nothing written


def test_every_notebook_starts_with_a_current_binder_colab_header():
    # Fails until `python tools/notebook_header.py` has been run on the checkout (the lead
    # runs it at merge, then re-executes the notebooks); afterwards it catches a new
    # notebook without the header and a header left behind by a changed setting.
    stale = [p.relative_to(ROOT).as_posix() for p in notebook_header.default_notebooks(ROOT)
             if notebook_header.apply(json.loads(p.read_text(encoding="utf-8")), p.relative_to(ROOT).as_posix())]
    assert stale == [], "run: python tools/notebook_header.py (then re-execute the notebooks)"
