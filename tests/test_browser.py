"""The stepper widget in a real JupyterLab, driven by headless Chromium.

Starts ``jupyter lab`` (no token, free localhost port, a temporary root dir
holding a copy of the notebook), opens notebook 03 with Playwright for Python
and Debian's Chromium, runs all cells from the Run menu, clicks "next ▶"
three times and checks the page shows "step 3" and the step-3 loss that
``TrainingStepper`` computes here; then "◀ back" once and checks step 2.
Screenshots go to ``test-artifacts/`` (gitignored).

Skips (with the reason) when /usr/bin/chromium or playwright is missing.
``SOFTMAX_LAB_BROWSER_NOTEBOOK=/path/to/nb.ipynb`` points the test at another
notebook holding the same widget cell (used to develop it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import softmax_lab as sl
from softmax_lab.stepper import TrainingStepper

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
NOTEBOOK = Path(os.environ.get("SOFTMAX_LAB_BROWSER_NOTEBOOK",
                               REPO / "notebooks" / "03_three_classes_stochastic.ipynb"))
ARTIFACTS = REPO / "test-artifacts"
TIMEOUT_MS = 180_000  # a cold kernel on a shared 2-core CI machine is slow

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _expected_stepper():
    """The stepper notebook 03's widget cell builds (keep the two in step)."""
    d = sl.datasets.load_slide_table("iris9_petal")
    return TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1, batch_size=1,
                           order=[1, 0, 2, 3, 4, 5, 6, 7, 8])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url, proc, timeout=120.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def playwright_sync():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                    "to run the browser test")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (Python) is not installed: pip install playwright")
    return sync_playwright


@pytest.fixture(scope="module")
def lab(tmp_path_factory, playwright_sync):
    if not NOTEBOOK.exists():
        pytest.fail(f"notebook {NOTEBOOK} does not exist")
    if "stepper_widget(" not in NOTEBOOK.read_text(encoding="utf-8"):
        pytest.fail(f"{NOTEBOOK.name} has no stepper_widget(...) cell: insert the widget cell "
                    "(see softmax_lab/widgets.py) so the browser test can drive it")
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port = _free_port()
    env = dict(os.environ)
    env["JUPYTER_CONFIG_DIR"] = str(root / ".jupyter-config")  # no user settings leak in
    env.setdefault("PYTHONPATH", str(REPO))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
           f"--LabApp.workspaces_dir={root / '.workspaces'}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(root / "jupyter.log", "w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/status", proc)
        yield f"http://127.0.0.1:{port}", root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _accept_dialog(page):
    """Press the default button of a JupyterLab dialog (e.g. Select Kernel -> Select)."""
    button = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    if button.count() and button.first.is_visible():
        button.first.click()


def test_stepper_widget_in_jupyterlab(lab, playwright_sync):
    from playwright.sync_api import expect

    base, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    stem = "browser_" + NOTEBOOK.stem
    console = []

    expected = _expected_stepper()
    expected.run(3)
    loss3 = f"L = {expected.last.loss:.4f}"
    expected.back()
    loss2 = f"L = {expected.last.loss:.4f}"

    with playwright_sync() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK.name}", timeout=TIMEOUT_MS)
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=TIMEOUT_MS)
            news = page.get_by_role("button", name="No", exact=True)  # "official Jupyter news?" toast
            if news.count():
                news.first.click()
            # wait for the kernel to be idle before running (status in the toolbar)
            page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']"
                         " >> visible=true").first.wait_for(timeout=TIMEOUT_MS)
            page.wait_for_timeout(1000)
            _accept_dialog(page)
            # Run -> Run All Cells, as a student would
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()

            ui = page.locator(".softmax-lab-stepper").first
            t0 = time.monotonic()
            while not ui.is_visible():
                _accept_dialog(page)  # "Select Kernel" may pop up while the kernel connects
                if time.monotonic() - t0 > TIMEOUT_MS / 1000:
                    raise TimeoutError("the stepper widget did not appear after Run All Cells")
                page.wait_for_timeout(500)
            step = ui.locator(".sl-step")
            loss = ui.locator(".sl-loss")
            expect(step).to_have_text("step 0", timeout=TIMEOUT_MS)
            # the panels arrived as images
            expect(ui.locator("img")).to_have_count(3, timeout=TIMEOUT_MS)
            ui.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{stem}_step0.png"), full_page=False)

            next_button = ui.get_by_role("button", name="next ▶")
            for k in (1, 2, 3):
                next_button.click()
                expect(step).to_have_text(f"step {k}", timeout=60_000)
            expect(loss).to_have_text(loss3, timeout=60_000)
            page.wait_for_timeout(1500)  # let MathJax typeset the recipe for the screenshot
            ui.screenshot(path=str(ARTIFACTS / f"{stem}_step3.png"))
            page.screenshot(path=str(ARTIFACTS / f"{stem}_step3_page.png"), full_page=False)

            ui.get_by_role("button", name="◀ back").click()
            expect(step).to_have_text("step 2", timeout=60_000)
            expect(loss).to_have_text(loss2, timeout=60_000)
            page.wait_for_timeout(1000)
            ui.screenshot(path=str(ARTIFACTS / f"{stem}_back_to_step2.png"))
        except Exception as err:
            page.screenshot(path=str(ARTIFACTS / f"{stem}_failure.png"), full_page=True)
            log = (root / "jupyter.log").read_text(errors="replace")[-2000:]
            raise AssertionError(
                f"browser test failed: {str(err)[:1500]}\n(screenshot: test-artifacts/{stem}_failure.png)"
                "\nBrowser console errors:\n" + "\n".join(console[-20:])
                + "\n--- jupyter log (tail) ---\n" + log
            ) from None
        finally:
            browser.close()
