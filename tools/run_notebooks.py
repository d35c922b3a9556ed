#!/usr/bin/env python
"""Execute notebooks in place, each from a fresh kernel, the way softmax-lab stores them.

``make outputs`` runs this on every lesson and homework solution::

    python tools/run_notebooks.py notebooks/*.ipynb homework/0*.ipynb
    python tools/run_notebooks.py --check notebooks/*.ipynb homework/0*.ipynb   # CI: change nothing

How a notebook is stored (and why)
----------------------------------
A cell that displays a live widget stores one output bundle with three
representations: ``application/vnd.jupyter.widget-view+json`` (the live view),
``image/png`` (a still picture of the state at display time) and ``text/plain``
(one sentence that says the live controls need a kernel); see
``softmax_lab.still.WithStill`` and ``StepperWidget._repr_mimebundle_``.

Which one a viewer shows depends on the notebook's stored *widget state*
(``metadata.widgets``). nbconvert's HTML exporter, and with it GitHub's
notebook preview (it renders with nbformat + nbconvert), draws the widget view
when the state holds the widget's model: it then loads the widget renderer and
its JavaScript from a CDN, so offline, or under a strict content policy, the
cell is blank and the PNG is never shown. Without that model the exporter falls
back to the next representation, the PNG (``WidgetsDataTypeFilter``).

So this tool executes with ``store_widget_state=False`` and removes any
``metadata.widgets`` left over from an earlier save. The effect, view by view:

* ``jupyter nbconvert --to html``, nbviewer, GitHub, ``make slides``, ``make site``:
  the PNG and the sentence, offline, with no widget JavaScript loaded;
* nbval: unaffected (it skips the widget view and the PNG and compares the
  sentence, which is deterministic);
* JupyterLab 4 opening the notebook: the stored outputs are untrusted until the
  cell runs, and untrusted outputs are drawn with the safest renderer, so the
  still PNG shows (checked in JupyterLab 4 with headless Chromium on notebook
  03); running the cell draws the live widget. (A trusted notebook with no
  stored state would say "Error displaying widget: model not found" there until
  its cell is run; with a stored state every static view above would be blank.)

Other choices: cell timing metadata is not recorded (it changes on every run
and means nothing to a reader); each notebook runs in its own fresh kernel with
the notebook's folder as working directory (as nbval does); the kernel is this
interpreter's ``python3`` (run with ``.venv/bin/python`` to use the venv). A
notebook that fails is left unchanged on disk, the others are still run, and the
exit code is 1.

``--check`` executes nothing and changes nothing; it exits 1 if a notebook is not
stored this way: unexecuted or out-of-order code cells, an error output outside
a cell tagged ``raises-exception``, a stored widget state, or a widget view
without its PNG and sentence.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def problems(nb) -> list[str]:
    """Everything in ``nb`` that differs from the stored form described above."""
    found = []
    if "widgets" in nb.metadata:
        found.append("notebook metadata stores a widget state (metadata.widgets): static views "
                     "would draw the widget from a CDN instead of the still picture")
    expected = 1
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"cell {index} (code cell {expected})"
        if not cell.source.strip():
            continue
        if cell.execution_count != expected:
            found.append(f"{where}: execution_count is {cell.execution_count}, expected {expected} "
                         "(not executed top to bottom in one fresh kernel)")
        expected += 1
        tags = cell.metadata.get("tags", [])
        for out in cell.get("outputs", []):
            if out.output_type == "error" and "raises-exception" not in tags:
                found.append(f"{where}: stored error {out.ename}: {out.evalue}")
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                missing = [m for m in ("image/png", "text/plain") if m not in data]
                if missing:
                    found.append(f"{where}: a live widget is displayed without {' and '.join(missing)}: "
                                 "views without a kernel show nothing; display it through "
                                 "softmax_lab.still.WithStill(widget, still, text)")
    return found


def execute(path: Path, timeout: int, kernel_name: str) -> tuple[bool, str]:
    """Execute ``path`` in place; return (ok, message). On failure the file is not touched."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:  # timings from older runs
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        store_widget_state=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()
        return False, f"a cell raised: {first[-1] if first else exc}"
    except (DeadKernelError, TimeoutError, RuntimeError) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    nb.metadata.pop("widgets", None)  # in case a future nbclient ignores the flag
    # write next to the target, then rename: an interrupted run never leaves half a notebook
    fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    seconds = time.perf_counter() - start
    left = problems(nb)
    note = "".join(f"\n    warning: {p}" for p in left)
    return True, f"{seconds:.1f} s{note}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Execute notebooks in place (fresh kernel each, no stored widget state), or --check them.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="execute nothing; exit 1 if a notebook is not stored the project's way")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--kernel", default="python3", help="kernel name (default python3: this interpreter)")
    args = parser.parse_args(argv)

    missing = [p for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"run_notebooks: no such notebook: {', '.join(map(str, missing))} "
              "(pass paths like notebooks/*.ipynb homework/0*.ipynb)", file=sys.stderr)
        return 2
    bad = []
    for path in args.notebooks:
        if args.check:
            found = problems(nbformat.read(path, as_version=4))
            for p in found:
                print(f"{path}: {p}")
            if found:
                bad.append(path)
            continue
        print(f"run_notebooks: {path} ...", flush=True)
        ok, message = execute(path, args.timeout, args.kernel)
        print(f"run_notebooks: {path}: {'ok' if ok else 'FAILED (file left unchanged)'}, {message}", flush=True)
        if not ok:
            bad.append(path)
    if bad:
        verb = "not stored the project's way (run: python tools/run_notebooks.py" if args.check else "failed ("
        print(f"run_notebooks: {len(bad)} of {len(args.notebooks)} notebook(s) {verb} "
              f"{' '.join(map(str, bad))})", file=sys.stderr)
        return 1
    print(f"run_notebooks: {len(args.notebooks)} notebook(s) {'checked' if args.check else 'executed'}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
