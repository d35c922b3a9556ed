"""A throw-away JupyterLab server + Debian's Chromium, for the browser test and
the click-to-paint benchmark (bench/click_to_paint.py, tests/test_browser.py).

``running_lab(root, pythonpath=...)`` starts ``jupyter lab`` with no token on a
free localhost port, serving ``root`` (user settings kept out), and stops it
on exit.  ``launch_chromium(p)`` starts a headless Chromium through Playwright for
Python: the one named by ``$SOFTMAX_LAB_CHROMIUM``, else Debian's ``/usr/bin/chromium``,
else Playwright's own (``python -m playwright install chromium``); ``chromium_problem(p)``
says why none is there (the browser tests skip with that reason).
``open_and_run_all(page, url)`` opens a notebook and runs Run -> Run All Cells
as a student would, answering the "Select Kernel" dialog if it pops up.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

#: an environment variable naming the Chromium (or Chrome) executable to drive
CHROMIUM_ENV = "SOFTMAX_LAB_CHROMIUM"
#: Debian's Chromium, used when the variable is not set
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[1]


def free_port():
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
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout:.0f} s")


@contextlib.contextmanager
def running_lab(root, *, pythonpath=None, settings=None):
    """Serve ``root`` with JupyterLab; yields the base URL.

    pythonpath : str, optional
        Put first on the kernel's ``PYTHONPATH`` (e.g. an older copy of the
        package, for a "before" measurement).
    settings : dict, optional
        JupyterLab user settings, ``{"@jupyterlab/apputils-extension:themes":
        {"theme": "JupyterLab Dark"}}``.
    """
    root = Path(root)
    port = free_port()
    env = dict(os.environ)
    cfg = root / ".jupyter-config"
    env["JUPYTER_CONFIG_DIR"] = str(cfg)  # no user settings leak in
    settings_dir = root / ".lab-settings"
    for plugin, values in (settings or {}).items():
        pkg, name = plugin.split(":")
        target = settings_dir / pkg / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        import json

        target.write_text(json.dumps(values), encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, str(REPO), env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
           f"--LabApp.workspaces_dir={root / '.workspaces'}",
           f"--LabApp.user_settings_dir={settings_dir}", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           # a loaded 2-core machine can take more than the default 60 s to start a kernel
           "--MappingKernelManager.kernel_info_timeout=300"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = root / "jupyter.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_server(f"http://127.0.0.1:{port}/api/status", proc)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def chromium_executable():
    """The browser to drive: ``$SOFTMAX_LAB_CHROMIUM``, else Debian's ``/usr/bin/chromium``,
    else None (Playwright's own Chromium)."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen
    return DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else None


def chromium_problem(p):
    """Why no Chromium can be launched (a sentence), or None when one can."""
    chosen = chromium_executable()
    if chosen and not Path(chosen).is_file():
        return f"{CHROMIUM_ENV}={chosen} is not a file: point it at a Chromium or Chrome executable"
    if chosen is None and not Path(p.chromium.executable_path).exists():
        return (f"no Chromium: set {CHROMIUM_ENV}=/path/to/chromium, install Debian's chromium "
                "(apt-get install chromium) or Playwright's (python -m playwright install chromium)")
    return None


def launch_chromium(p):
    problem = chromium_problem(p)
    if problem:
        raise RuntimeError(problem)
    return p.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)


def accept_dialog(page):
    """Press the default button of a JupyterLab dialog (e.g. Select Kernel -> Select)."""
    button = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    if button.count() and button.first.is_visible():
        button.first.click()


def start_kernel(base, path, head_start=8.0):
    """Create the notebook's session (and kernel) through the REST API and give the kernel
    a head start: on a loaded machine JupyterLab's first connection to a kernel that is
    still starting can time out, and the widget then never shows."""
    import json

    body = json.dumps({"path": path, "type": "notebook", "name": path,
                       "kernel": {"name": "python3"}}).encode()
    req = urllib.request.Request(f"{base}/api/sessions", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        kernel_id = json.loads(r.read())["kernel"]["id"]
    time.sleep(head_start)
    return kernel_id


def _run_all_once(page, url, timeout_ms, selector, cell_text, wait_s):
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms, state="attached")
    news = page.get_by_role("button", name="No", exact=True)  # "official Jupyter news?" toast
    if news.count():
        news.first.click()
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']"
                 " >> visible=true").first.wait_for(timeout=timeout_ms)
    page.wait_for_timeout(500)
    accept_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    ui = page.locator(selector).first
    cell = page.locator(".jp-CodeCell", has_text=cell_text).last
    t0 = time.monotonic()
    while not ui.is_visible():
        accept_dialog(page)
        if time.monotonic() - t0 > wait_s:
            return None
        # JupyterLab renders only the cells near the view: bring the widget's cell there
        try:
            cell.scroll_into_view_if_needed(timeout=1500)
        except Exception:  # not laid out yet: scroll the notebook down a screen, wrap at the end
            page.evaluate("""() => { const o = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
                if (!o) return; if (o.scrollTop + o.clientHeight >= o.scrollHeight - 2) o.scrollTop = 0;
                else o.scrollBy(0, o.clientHeight * 0.8); }""")
        page.wait_for_timeout(300)
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']"
                 " >> visible=true").first.wait_for(timeout=timeout_ms)
    ui.scroll_into_view_if_needed()
    return ui


def open_and_run_all(page, url, *, timeout_ms=180_000, selector=".softmax-lab-stepper",
                     cell_text="stepper_widget(", attempts=3):
    """Open a notebook, Run All Cells from the Run menu, wait for ``selector``; return its locator.

    If the widget does not show (e.g. the page lost its first kernel connection on a loaded
    machine and shows the still picture instead), reload the page and run again.
    """
    base, _, path = url.partition("/lab/tree/")
    start_kernel(base, path)
    for attempt in range(attempts):
        ui = _run_all_once(page, url, timeout_ms, selector, cell_text, wait_s=timeout_ms / 1000 / attempts)
        if ui is not None:
            return ui
    raise TimeoutError(f"{selector} did not appear after Run All Cells ({attempts} attempts)")
