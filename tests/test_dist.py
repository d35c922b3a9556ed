"""Packaging and reaching students outside the repository (issue 16, items 2 and 3).

Fast tests (run by ``make test``): the notebook header tool, the install cell's logic
(with pip and Colab faked), the course copy command, the long description's links, the
``kernel`` extra.

Slow tests (``make test-dist``, which sets ``SOFTMAX_LAB_TEST_DIST=1``; skipped otherwise,
saying so): ``python -m build`` + ``twine check``, then ONE fresh venv, in stages:

1. the wheel alone (numpy only): ``softmax-lab notebooks``, ``python -m softmax_lab
   notebooks``, and the ImportError of the plotting/widget modules naming the extra;
2. the wheel with ``[lab]``: the copied notebook 02 under nbval;
3. ``softmax-lab`` uninstalled, the lab dependencies kept: notebook 02 with its header
   executed with ``SOFTMAX_LAB_SOURCE`` = this checkout (the real install path, a build
   from source), then every other notebook under nbval with the source = the built wheel,
   uninstalling between notebooks.

What the fresh venv printed, the wheel's size and contents go to
``test-artifacts/dist-report.md``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import types
import zipfile
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli (pytest's own dependency there)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import add_slide_metadata  # noqa: E402
import notebook_header  # noqa: E402

REPO = notebook_header.load_repo_setting()
NB02 = "notebooks/02_one_example_two_classes.ipynb"
REPORT = ROOT / "test-artifacts" / "dist-report.md"
# --no-compile: byte-compiling JupyterLab's files would cost more than the install
PIP_QUIET = ["-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-compile"]


def lessons():
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


def read_nb(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def without_header(nb: dict) -> dict:
    """``nb`` as it was before the header tool (the checkout's notebooks may carry a header)."""
    return dict(nb, cells=[c for c in nb["cells"] if not notebook_header.header_kind(c)])


def write_nb(path: Path, nb: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_with_header(rel: str, root: Path) -> Path:
    """A copy of the checkout's notebook ``rel`` under ``root``, with the header tool applied."""
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / rel, dest)
    assert notebook_header.main(["--root", str(root), str(dest)]) == 0
    return dest


# ================================================================== the header tool
def test_header_goes_on_top_once_and_leaves_every_other_cell_alone(tmp_path):
    original = without_header(read_nb(ROOT / NB02))
    path = tmp_path / NB02
    write_nb(path, original)
    assert notebook_header.main(["--root", str(tmp_path), str(path)]) == 0
    nb = read_nb(path)
    badges, install = nb["cells"][:2]
    assert nb["cells"][2:] == original["cells"]
    assert nb["metadata"] == original["metadata"]
    assert badges["cell_type"] == "markdown" and install["cell_type"] == "code"
    assert f"[![Open in Binder]({REPO.BINDER_BADGE})]({REPO.binder_url(NB02)})" in src(badges)
    assert f"[![Open in Colab]({REPO.COLAB_BADGE})]({REPO.colab_url(NB02)})" in src(badges)
    assert REPO.binder_url(NB02).endswith("?urlpath=lab/tree/notebooks/02_one_example_two_classes.ipynb")
    assert REPO.archive_url() in src(install)
    for cell in (badges, install):
        assert cell["metadata"]["slideshow"] == {"slide_type": "skip"}
    assert install["metadata"]["tags"] == ["nbval-ignore-output"]

    text = path.read_text(encoding="utf-8")
    assert notebook_header.main(["--root", str(tmp_path), str(path)]) == 0
    assert path.read_text(encoding="utf-8") == text  # idempotent, byte for byte
    assert notebook_header.main(["--check", "--root", str(tmp_path), str(path)]) == 0


def test_check_reports_a_missing_or_stale_header_and_a_rerun_repairs_it(tmp_path):
    bare = tmp_path / "bare" / NB02
    write_nb(bare, without_header(read_nb(ROOT / NB02)))
    text = bare.read_text(encoding="utf-8")
    assert notebook_header.main(["--check", "--root", str(tmp_path / "bare"), str(bare)]) == 1
    assert bare.read_text(encoding="utf-8") == text  # --check writes nothing

    path = copy_with_header(NB02, tmp_path)
    nb = read_nb(path)
    nb["cells"][0]["source"] = ["[Open in Binder](https://mybinder.org/v2/gh/someone/else/main)"]
    header = nb["cells"][:2]
    nb["cells"] = nb["cells"][2:5] + header + nb["cells"][5:]  # stale, and moved down
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert notebook_header.main(["--check", "--root", str(tmp_path), str(path)]) == 1
    assert notebook_header.main(["--root", str(tmp_path), str(path)]) == 0
    fixed = read_nb(path)
    assert [notebook_header.header_kind(c) for c in fixed["cells"][:3]] == ["badges", "install", None]
    assert sum(bool(notebook_header.header_kind(c)) for c in fixed["cells"]) == 2
    assert fixed["cells"][2:] == without_header(read_nb(ROOT / NB02))["cells"]
    assert REPO.binder_url(NB02) in src(fixed["cells"][0])


def test_slide_metadata_tool_keeps_the_header_out_of_the_slides(tmp_path):
    nb = read_nb(copy_with_header(NB02, tmp_path))
    add_slide_metadata.annotate(nb)
    assert [c["metadata"]["slideshow"]["slide_type"] for c in nb["cells"][:2]] == ["skip", "skip"]


def test_student_versions_get_a_header_that_opens_the_student_notebook(tmp_path, monkeypatch):
    import homework
    import nbformat

    solution_path = copy_with_header("homework/01_stable_softmax.ipynb", tmp_path)
    monkeypatch.setattr(homework, "HOMEWORK", solution_path.parent)
    source = homework.source_notebook("01_stable_softmax")  # what nbgrader is given
    links = "".join(source.cells[0].source)
    assert REPO.colab_url("homework/student/01_stable_softmax.ipynb") in links
    assert "homework/01_stable_softmax.ipynb" not in links
    # the header tool agrees that this is the student notebook's current header
    assert not notebook_header.apply(json.loads(nbformat.writes(source)), "homework/student/01_stable_softmax.ipynb")


# ================================================================== the install cell's logic
def run_install_cell(monkeypatch, *, installed, source=None, pip_rc=0, modules=None):
    """Execute the header's code cell in-process with pip (and maybe Colab) faked.

    Returns (printed text, list of pip command lines, exception or None).
    """
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, pip_rc, stdout="pip out\n", stderr="ERROR: no such project\n")

    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: (None if name == "softmax_lab" and not installed else real_find_spec(name, *a)))
    monkeypatch.setattr(subprocess, "run", fake_run)
    if source is None:
        monkeypatch.delenv(notebook_header.ENV_SOURCE, raising=False)
    else:
        monkeypatch.setenv(notebook_header.ENV_SOURCE, str(source))
    for name, module in (modules or {}).items():
        monkeypatch.setitem(sys.modules, name, module)
    out, error = io.StringIO(), None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(notebook_header.install_source(REPO), "<install cell>", "exec"), {})
        except Exception as exc:  # noqa: BLE001 - inspected by the tests
            error = exc
    return out.getvalue(), calls, error


def test_install_cell_does_nothing_and_prints_nothing_when_the_package_is_there(monkeypatch):
    printed, calls, error = run_install_cell(monkeypatch, installed=True)
    assert (printed, calls, error) == ("", [], None)


def test_install_cell_installs_the_kernel_extra_from_github_or_from_the_override(monkeypatch):
    printed, calls, error = run_install_cell(monkeypatch, installed=False)
    assert error is None
    assert calls == [[sys.executable, "-m", "pip", "install", "-q", f"softmax-lab[kernel] @ {REPO.archive_url()}"]]
    assert "softmax-lab installed." in printed

    printed, calls, error = run_install_cell(monkeypatch, installed=False, source=ROOT)
    assert error is None
    assert calls[0][-1] == f"softmax-lab[kernel] @ {ROOT.resolve().as_uri()}"
    assert ROOT.resolve().as_uri() in printed


def test_install_cell_shows_pips_error_when_pip_fails(monkeypatch):
    _, _, error = run_install_cell(monkeypatch, installed=False, pip_rc=1)
    assert isinstance(error, RuntimeError)
    assert "pip could not install softmax-lab" in str(error) and "ERROR: no such project" in str(error)


def test_install_cell_asks_for_a_restart_when_an_old_ipywidgets_was_already_loaded(monkeypatch):
    old = types.SimpleNamespace(__version__="7.7.1")
    _, _, error = run_install_cell(monkeypatch, installed=False, modules={"ipywidgets": old})
    assert isinstance(error, RuntimeError)
    assert "7.7.1" in str(error) and "Restart session" in str(error)


def fake_colab():
    output = types.SimpleNamespace(calls=0)
    output.enable_custom_widget_manager = lambda: setattr(output, "calls", output.calls + 1)
    colab = types.ModuleType("google.colab")
    colab.output = output
    google = types.ModuleType("google")
    google.colab = colab
    return {"google": google, "google.colab": colab, "google.colab.output": output}, output


def test_install_cell_switches_on_colabs_widget_manager_on_colab_only(monkeypatch):
    modules, output = fake_colab()
    printed, calls, error = run_install_cell(monkeypatch, installed=True, modules=modules)
    assert (printed, calls, error, output.calls) == ("", [], None, 1)

    monkeypatch.delitem(sys.modules, "google.colab")
    _, _, error = run_install_cell(monkeypatch, installed=True)
    assert error is None and output.calls == 1  # not called again off Colab


# ================================================================== the course copy, metadata
def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def test_extras_compose_and_developer_tools_are_not_published():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    # `lab` and `grade` build on `kernel` (the install cell's extra): each pin written once
    assert extras["lab"][0] == extras["grade"][0] == "softmax-lab[kernel]"
    assert {_name(r) for r in extras["lab"][1:]} == {"jupyterlab", "notebook"}  # the servers, nothing else
    pinned = [_name(r) for reqs in extras.values() for r in reqs if _name(r) != "softmax-lab"]
    assert len(pinned) == len(set(pinned)), f"a requirement is repeated across extras: {sorted(pinned)}"
    # tests, wheel building and the website are developer-only groups, not runtime extras
    assert set(extras) == {"kernel", "lab", "grade"}
    assert {"test", "dist", "site"} <= set(pyproject["dependency-groups"])


def test_long_description_has_only_absolute_links():
    import importlib.util
    import re

    spec = importlib.util.spec_from_file_location("softmax_lab_setup", ROOT / "setup.py")
    setup_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup_py)  # guarded: does not call setup()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = setup_py.absolute_links(readme, REPO)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets and all(t.startswith(("https://", "#")) for t in targets), targets
    assert f"({REPO.github_url('LICENSE')})" in text
    assert "[MIT](LICENSE)" in readme  # the README itself keeps its relative links
    assert setup_py.absolute_links("![fig](docs/a.png) [d](docs)", REPO) == (
        f"![fig](https://raw.githubusercontent.com/{REPO.REPO}/{REPO.BRANCH}/docs/a.png) "
        f"[d]({REPO.github_url('docs/')})")


def test_notebooks_command_copies_the_course_and_says_how_to_open_it(tmp_path):
    dest = tmp_path / "my course"
    cmd = [sys.executable, "-m", "softmax_lab", "notebooks", str(dest)]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*.ipynb"))
    expected = sorted(lessons() + [p.relative_to(ROOT).as_posix() for p in (ROOT / "homework" / "student").glob("*.ipynb")])
    assert copied == expected
    assert (dest / "docs" / "errata.md").is_file() and (dest / "LICENSE-notebooks.md").is_file()
    assert (dest / NB02).read_bytes() == (ROOT / NB02).read_bytes()
    n_starters = len(list((ROOT / "homework" / "student").glob("*.ipynb")))
    assert f"Copied {len(lessons())} lesson notebooks and {n_starters} homework starters" in first.stdout
    assert f"jupyter lab {dest / 'notebooks' / '00_start_here.ipynb'}" in first.stdout

    (dest / NB02).write_text("my work", encoding="utf-8")
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 1
    assert "--force" in again.stderr and str(dest) in again.stderr
    assert (dest / NB02).read_text(encoding="utf-8") == "my work"  # never overwritten silently
    forced = subprocess.run(cmd + ["--force"], capture_output=True, text=True, cwd=tmp_path)
    assert forced.returncode == 0 and (dest / NB02).read_bytes() == (ROOT / NB02).read_bytes()


# ================================================================== slow: build, fresh venv
needs_dist = pytest.mark.skipif(os.environ.get("SOFTMAX_LAB_TEST_DIST") != "1",
                                reason="builds the wheel and a fresh venv (minutes): run `make test-dist`")


def report(section: str, body: str) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as f:
        f.write(f"## {section}\n\n{body.rstrip()}\n\n")


def run(cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd} failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(sdist, wheel) from ``python -m build`` (the wheel is built from the sdist)."""
    if REPORT.exists():
        REPORT.unlink()
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, ROOT])
    (sdist,), (wheel,) = list(out.glob("*.tar.gz")), list(out.glob("*.whl"))
    return sdist, wheel


class Venv:
    def __init__(self, path: Path):
        self.path = path
        self.python = path / "bin" / "python"
        # PATH first: jupyter's "python3" kernel and the console script come from here
        self.env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_PATH")}
        self.env["PATH"] = f"{path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"

    def run(self, *cmd, env=None, check=True, cwd=None, **kwargs):
        # never the checkout as working directory: its softmax_lab/ would be importable from there
        full_env = dict(self.env, **(env or {}))
        result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=full_env,
                                cwd=cwd or self.path, **kwargs)
        if check:
            assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
        return result

    def has_package(self) -> bool:
        return self.run(self.python, "-c", "import softmax_lab", check=False).returncode == 0


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory, built):
    """A fresh venv with only the built wheel (and numpy) installed."""
    path = tmp_path_factory.mktemp("venv") / "fresh"
    run([sys.executable, "-m", "venv", path])
    venv = Venv(path)
    venv.run(venv.python, *PIP_QUIET, built[1])
    return venv


@pytest.fixture(scope="module")
def lab_venv(bare_venv, built):
    """The same venv with the wheel's [lab] extra and nbval."""
    bare_venv.run(bare_venv.python, *PIP_QUIET, f"{built[1]}[lab]", "nbval>=0.11", "pytest>=8")
    return bare_venv


def nbval(venv, *notebooks, cwd, env=None):
    return venv.run(venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                    "--nbval-sanitize-with", ROOT / "nbval_sanitize.cfg", "--nbval-cell-timeout=300",
                    *notebooks, cwd=cwd, env=env, check=False)



@pytest.mark.slow
@needs_dist
def test_sdist_and_wheel_pass_twine_and_carry_the_course(built):
    sdist, wheel = built
    run([sys.executable, "-m", "twine", "check", "--strict", sdist, wheel])
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
        sizes = {i.filename: i.file_size for i in zf.infolist()}
    course = [n for n in names if n.startswith("softmax_lab/course/")]
    expected = {f"softmax_lab/course/{rel}" for rel in lessons()}
    expected |= {f"softmax_lab/course/homework/student/{p.name}" for p in (ROOT / "homework" / "student").glob("*.ipynb")}
    assert expected <= set(course)
    assert not any("/course/homework/0" in n for n in course)  # never the solutions
    assert "softmax_lab/data/iris.csv" in names and "softmax_lab/__main__.py" in names
    assert "softmax-lab = softmax_lab.__main__:main" in entry
    body = meta.split("\n\n", 1)[1]
    assert "](LICENSE)" not in body and f"]({REPO.github_url('LICENSE')})" in body
    assert "Provides-Extra: kernel" in meta and f"Project-URL: Source, {REPO.github_url()}" in meta
    # runtime extras only: the developer tools (test, dist, site) are dependency groups, not published
    assert sorted(re.findall(r"^Provides-Extra: (\S+)$", meta, flags=re.M)) == ["grade", "kernel", "lab"]
    with tarfile.open(sdist) as tf:
        snames = tf.getnames()
    assert any(n.endswith("/" + NB02) for n in snames) and any(n.endswith("/setup.py") for n in snames)
    # no half test suite (test files without conftest.py and the helpers they import): none
    assert not [n for n in snames if "/tests/" in n], "the sdist ships tests; MANIFEST.in prunes them"
    listing = "\n".join(f"{sizes[n]:>9}  {n}" for n in names)
    report("Wheel", f"`{wheel.name}`: {wheel.stat().st_size / 1024:.0f} kB compressed, {len(names)} files, "
           f"{sum(sizes.values()) / 1024:.0f} kB uncompressed; sdist `{sdist.name}` "
           f"{sdist.stat().st_size / 1024:.0f} kB.\n\n```\n{listing}\n```")


@pytest.mark.slow
@needs_dist
def test_wheel_alone_copies_the_course_and_names_the_extra_for_plots_and_widgets(bare_venv, tmp_path):
    script = bare_venv.run("softmax-lab", "notebooks", tmp_path / "a", cwd=tmp_path)
    assert "Copied" in script.stdout and (tmp_path / "a" / NB02).is_file()
    module = bare_venv.run(bare_venv.python, "-m", "softmax_lab", "notebooks", tmp_path / "b", cwd=tmp_path)
    assert module.stdout.replace(str(tmp_path / "b"), "X") == script.stdout.replace(str(tmp_path / "a"), "X")
    for name in ("plotting", "widgets"):
        result = bare_venv.run(bare_venv.python, "-c", f"import softmax_lab.{name}", check=False)
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        start = max(i for i, line in enumerate(lines) if line.startswith(("ImportError", "ModuleNotFoundError")))
        message = "\n".join(lines[start:])  # the exception's message, not the traceback's source lines
        assert 'pip install "softmax-lab[lab]"' in message, result.stderr
    report("Wheel alone (numpy only)", f"`softmax-lab notebooks DIR` printed:\n\n```\n{script.stdout}```")


@pytest.mark.slow
@needs_dist
def test_copied_notebook_02_passes_nbval_with_the_installed_wheel(lab_venv, tmp_path):
    lab_venv.run("softmax-lab", "notebooks", tmp_path / "course", cwd=tmp_path)
    result = nbval(lab_venv, tmp_path / "course" / NB02, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:]


@pytest.mark.slow
@needs_dist
def test_every_notebook_installs_the_package_it_lacks_and_runs_to_the_end(lab_venv, built, tmp_path):
    lab_venv.run(lab_venv.python, "-m", "pip", "uninstall", "-y", "-q", "softmax-lab")
    assert not lab_venv.has_package()
    nb02 = copy_with_header(NB02, tmp_path)

    # notebook 02 through the real path: pip builds the package from this checkout
    executed = tmp_path / "executed"
    lab_venv.run("jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", executed,
                 "--ExecutePreprocessor.timeout=600", nb02, cwd=nb02.parent,
                 env={notebook_header.ENV_SOURCE: str(ROOT)})
    cells = read_nb(executed / nb02.name)["cells"]
    first = cells[1]
    printed = "".join("".join(o.get("text", "")) for o in first["outputs"])
    assert f"from {ROOT.resolve().as_uri()}" in printed and "softmax-lab installed." in printed
    assert all(o.get("output_type") != "error" for c in cells if c["cell_type"] == "code" for o in c["outputs"])
    assert lab_venv.has_package()
    report("Notebook 02's first code cell in a fresh venv without softmax-lab",
           f"`{notebook_header.ENV_SOURCE}={ROOT}`; the cell printed:\n\n```\n{printed}```")

    # the others: installed from the built wheel (same code path, no rebuild), under nbval
    others = [rel for rel in lessons() if rel != NB02]
    others += sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "homework").glob("[0-9]*.ipynb"))
    failures, ran = [], []
    for rel in others:
        lab_venv.run(lab_venv.python, "-m", "pip", "uninstall", "-y", "-q", "softmax-lab")
        path = copy_with_header(rel, tmp_path)
        start = time.perf_counter()
        result = nbval(lab_venv, path, cwd=path.parent, env={notebook_header.ENV_SOURCE: str(built[1])})
        if result.returncode != 0 or not lab_venv.has_package():
            failures.append(f"{rel}:\n{result.stdout[-3000:]}")
        ran.append(f"{rel} (install + nbval: {time.perf_counter() - start:.0f} s)")
    # the homework starters stop at the first `raise NotImplementedError()` by design (later
    # cells may then miss a name a stub should have defined): the install cell must have run
    # without error, and the first error must be a stub's
    for path in sorted((ROOT / "homework" / "student").glob("[0-9]*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        lab_venv.run(lab_venv.python, "-m", "pip", "uninstall", "-y", "-q", "softmax-lab")
        copy = copy_with_header(rel, tmp_path)
        lab_venv.run("jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--output-dir",
                     executed, copy, cwd=copy.parent, env={notebook_header.ENV_SOURCE: str(built[1])})
        out = read_nb(executed / copy.name)["cells"]
        errors = [o for c in out if c["cell_type"] == "code" for o in c["outputs"] if o["output_type"] == "error"]
        header_errors = [o for o in out[1]["outputs"] if o["output_type"] == "error"]
        if header_errors or (errors and errors[0]["ename"] != "NotImplementedError") or not lab_venv.has_package():
            failures.append(f"{rel}: {[(e['ename'], e['evalue']) for e in errors]}")
        ran.append(rel)
    report("Install cell, every notebook", "Each ran in the fresh venv after `pip uninstall softmax-lab`:\n\n"
           + "\n".join(f"- {r}" for r in ran) + ("\n\nFAILED:\n" + "\n".join(failures) if failures else ""))
    assert not failures, "\n\n".join(failures)
