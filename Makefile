# softmax-lab — two commands:   make lab    make test
# (GNU make; recipes are indented with TABs.)
#
# Adding a target: write it below with a "## one-line description" after the
# colon line, and it shows up in `make help`.  Reuse $(LAB_STAMP) / $(TEST_STAMP)
# as prerequisites to get a ready .venv, and $(BIN)/python, $(BIN)/jupyter, ...

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON     ?= python3
VENV       ?= .venv
BIN        := $(VENV)/bin
PIP        := $(BIN)/python -m pip --disable-pip-version-check
START_NB   := notebooks/00_start_here.ipynb
# extra arguments for `jupyter lab`, e.g. make lab ARGS="--no-browser --port=18931"
ARGS       ?=
# extra arguments for pytest, e.g. make test PYTEST_ARGS="-k softmax -x"
PYTEST_ARGS ?=
# Jupyter refuses to start as root (containers, CI) unless told: say it for root only
LAB_ROOT   := $(if $(filter 0,$(shell id -u)),--allow-root)
# pytest-xdist workers. Notebooks run in their own kernels, so 2 workers on
# 2 cores roughly halve the wall time; JOBS=0 runs everything in one process.
JOBS       ?= 2

# installs are recorded by stamp files: re-running does not reinstall unless
# pyproject.toml changed (or the venv was deleted)
LAB_STAMP  := $(VENV)/.softmax-lab-lab.stamp
TEST_STAMP := $(VENV)/.softmax-lab-test.stamp

# every notebook that nbval checks: the lessons and the homework SOLUTIONS
# (homework/student/ holds stubs that are meant to fail: never collected)
NOTEBOOKS  := notebooks $(sort $(wildcard homework/[0-9]*.ipynb))

# the docstring examples of the package run with the unit tests
DOCTEST    := softmax_lab --doctest-modules

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg \
               --nbval-cell-timeout=300
ifeq ($(JOBS),0)
XDIST_FLAGS :=
else
# nbval + xdist: loadscope keeps all cells of one notebook on one worker (in order)
XDIST_FLAGS := -n $(JOBS) --dist loadscope
endif

.PHONY: help lab test test-unit test-notebooks test-oldest binder-check venv clean distclean

help: ## list the targets
	@echo "softmax-lab — make targets:"
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  make %-16s %s\n", $$1, $$2}'
	@echo "variables: ARGS (jupyter lab), PYTEST_ARGS, JOBS (xdist workers, 0 = none), PYTHON"

# ---------------------------------------------------------------- environment
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "softmax-lab needs Python >= 3.10; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[lab]"
	@touch $@

# the developer-only tools (test, dist, site) are dependency groups, not published extras:
# `pip install --group` needs pip >= 25.1, installed first
NEW_PIP    := "pip>=25.1"

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q $(NEW_PIP)
	$(PIP) install -e ".[lab,grade]" --group test --group lint
	@touch $@ $(LAB_STAMP)

venv: $(TEST_STAMP) ## create/update .venv with everything (the lab and grade extras + the test and lint groups)

# ------------------------------------------------------------------ the lab
# root_dir = the repository, so the file browser and the notebooks' links to
# docs/ and homework/ work (given only a file, Jupyter would serve notebooks/)
lab: $(LAB_STAMP) ## open JupyterLab on the start notebook (ARGS="--no-browser --port=8888")
	@echo "softmax-lab: the start notebook is <server URL>/lab/tree/$(START_NB) (Ctrl+C twice stops the server)"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(START_NB) $(LAB_ROOT) $(ARGS)

# ------------------------------------------------------------------ tests
test: $(TEST_STAMP) ## unit tests + docstring examples + every notebook under nbval
	$(BIN)/python -m pytest tests $(DOCTEST) $(NOTEBOOKS) $(NBVAL_FLAGS) $(XDIST_FLAGS) $(PYTEST_ARGS)

# the developer's loop (about a minute on 2 cores): everything not marked `slow`
# (tests/conftest.py marks whole slow modules: nbgrader's pipeline, the browser, decks,
# site, static views, benchmark smoke runs; `make test` runs them too)
test-unit: $(TEST_STAMP) ## unit tests + docstring examples, without the slow ones (~1 min)
	$(BIN)/python -m pytest tests $(DOCTEST) -m "not slow" $(XDIST_FLAGS) $(PYTEST_ARGS)

test-notebooks: $(TEST_STAMP) ## notebooks under nbval only
	$(BIN)/python -m pytest $(NOTEBOOKS) $(NBVAL_FLAGS) $(XDIST_FLAGS) $(PYTEST_ARGS)

# Binder builds from binder/requirements.txt (exact pins) with the Python of
# binder/runtime.txt. This rebuilds that environment in a FRESH temporary venv
# (from the repository root, as repo2docker does) and runs the notebooks there.
binder-check: ## install binder/requirements.txt in a fresh temp venv, run nbval there
	@want=$$(sed -n 's/^python-\([0-9.]*\).*/\1/p' binder/runtime.txt); \
	have=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if [ "$$want" != "$$have" ]; then \
	  echo "warning: binder/runtime.txt asks for Python $$want, $(PYTHON) is $$have (use make binder-check PYTHON=python$$want)"; \
	fi; \
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/softmax-lab-binder.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; \
	echo "fresh venv: $$tmp/venv"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check -q -r binder/requirements.txt; \
	"$$tmp/venv/bin/python" -m pip check; \
	"$$tmp/venv/bin/python" -c 'import softmax_lab, numpy, matplotlib, ipywidgets, sklearn, jupyterlab; print("binder env: softmax_lab", softmax_lab.__file__)'; \
	"$$tmp/venv/bin/jupyter" labextension list 2>&1 | grep -E '@jupyter-widgets/jupyterlab-manager .*enabled' \
	  || { echo "binder env: JupyterLab's widget manager extension is missing: widgets would not render on Binder"; exit 1; }; \
	"$$tmp/venv/bin/python" -m pytest $(NOTEBOOKS) $(NBVAL_FLAGS) -p no:cacheprovider $(PYTEST_ARGS)

# The OLDEST versions pyproject.toml declares (every ">=X" floor of the dependencies,
# of OLDEST_EXTRAS and of OLDEST_GROUPS, pinned to "==X" by tools/oldest_constraints.py,
# run by the fresh venv's Python: on 3.10 it reads TOML with tomli, installed there first)
# installed in a FRESH temporary venv, then the library's tests, the doctests and
# every notebook under nbval there. A floor that is declared is a floor that is tested.
# Left out there: the tooling tests that do not exercise those floors and need tools
# the floors exclude or a second full build (nbgrader's grading pipeline, the browser,
# the wheel, the decks, the site and the handouts, the workflow linter); `make test` runs them with current versions.
OLDEST_EXTRAS ?= lab
OLDEST_GROUPS ?= test
COMMA := ,
OLDEST_SKIP := --ignore=tests/test_grading.py --ignore=tests/test_browser.py --ignore=tests/test_dist.py \
               --ignore=tests/test_site.py --ignore=tests/test_static_views.py --ignore=tests/test_slides_build.py \
               --ignore=tests/test_bench_smoke.py --ignore=tests/test_workflows.py --ignore=tests/test_handouts.py
test-oldest: ## declared minimum of every dependency, fresh temp venv: unit tests + doctests + nbval
	@start=$$(date +%s); \
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/softmax-lab-oldest.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check -q $(NEW_PIP) "tomli>=1.1; python_version < '3.11'"; \
	"$$tmp/venv/bin/python" tools/oldest_constraints.py --extras "$(OLDEST_EXTRAS)" --groups "$(OLDEST_GROUPS)" \
	    > "$$tmp/constraints.txt"; \
	echo "test-oldest: fresh venv $$tmp/venv with"; sed 's/^/    /' "$$tmp/constraints.txt"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check -q \
	    -c "$$tmp/constraints.txt" -e ".[$(OLDEST_EXTRAS)]" $(foreach g,$(subst $(COMMA), ,$(OLDEST_GROUPS)),--group $(g)); \
	"$$tmp/venv/bin/python" -m pip check; \
	echo "test-oldest: installed in $$(( $$(date +%s) - start )) s"; \
	"$$tmp/venv/bin/python" -m pytest tests $(OLDEST_SKIP) $(DOCTEST) $(NOTEBOOKS) $(NBVAL_FLAGS) $(XDIST_FLAGS) \
	    -p no:cacheprovider $(PYTEST_ARGS); \
	echo "test-oldest: passed in $$(( $$(date +%s) - start )) s"

# ------------------------------------------------------------------ JavaScript
# The stepper's browser half: its pure modules (frame contract, layout, drawing, keys) under
# node's own test runner, on frames Python made (tests/js/fixtures; node >= 18, no npm packages).
.PHONY: test-js
test: test-js
test-js: ## the stepper's JavaScript under `node --test` (run by make test too)
	node --test tests/js/

# ------------------------------------------------------------------ classroom
# Stored outputs are part of the product. This executes every lesson and homework
# solution in place, each in a fresh kernel, WITHOUT storing widget state, so that
# static views (GitHub, nbconvert, slides, the site) show each widget's still PNG.
outputs: $(LAB_STAMP) ## re-execute every notebook in place (fresh kernel each; no stored widget state)
	$(BIN)/python tools/run_notebooks.py $(sort $(wildcard notebooks/[0-9]*.ipynb)) $(sort $(wildcard homework/[0-9]*.ipynb))

check-outputs: $(LAB_STAMP) ## check (without running) that every notebook is stored as `make outputs` stores it
	$(BIN)/python tools/run_notebooks.py --check $(sort $(wildcard notebooks/[0-9]*.ipynb)) $(sort $(wildcard homework/[0-9]*.ipynb))

# nbgrader (the `grade` extra) writes the starters: generate_assignment in a
# throwaway course directory, its output copied to homework/student/.
GRADE_STAMP := $(VENV)/.softmax-lab-grade.stamp
$(GRADE_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[lab,grade]"
	@touch $@ $(LAB_STAMP)

.PHONY: homework homework-release slides outputs check-outputs
homework: $(GRADE_STAMP) ## homework/student/ = nbgrader generate_assignment of homework/NN_*.ipynb
	$(BIN)/python tools/homework.py student

homework-release: $(LAB_STAMP) ## build/homework-release/ + .zip: starters, softmax_lab, student README, no solutions
	$(BIN)/python tools/homework.py release --out build/homework-release

# The JupyterHub path of homework/README.md: the wheel with [kernel] in a fresh venv
# (pip, a minute or two); `make test` runs the quick half (the wheel alone).
.PHONY: test-hub bench-grading
test-hub: $(TEST_STAMP) ## homework on a JupyterHub: the wheel + [kernel] in a fresh venv serves every starter (slow)
	SOFTMAX_LAB_TEST_HUB=1 $(BIN)/python -m pytest tests/test_course.py -k hub -p no:cacheprovider $(PYTEST_ARGS)

# nbgrader autograde on a synthetic class, serial and in parallel: seconds per submission
# (bench/RESULTS.md, section "Grading"). BENCH_ARGS="--students 200 --assignments 01_stable_softmax"
BENCH_ARGS ?=
bench-grading: $(GRADE_STAMP) ## grade a synthetic class (50 per assignment) with nbgrader: s/submission (~15 min)
	$(BIN)/python bench/grading.py $(BENCH_ARGS)

slides: $(LAB_STAMP) ## reveal.js decks of every lesson notebook into build/slides/ (offline; npm fetches reveal.js + MathJax once)
	$(BIN)/python tools/build_slides.py

# ------------------------------------------------------------------ static views
.PHONY: site handouts test-static
# The read-only course website: one page per lesson from the STORED outputs (run
# `make outputs` first if a notebook changed), offline math and search, Binder/Colab
# links. Published by .github/workflows/pages.yml; see README "Course website".
site: $(LAB_STAMP) ## read-only course website of every lesson into build/site/ (from stored outputs, no execution)
	$(BIN)/python tools/build_site.py

# Printable handouts: each lesson's site page printed to A4 PDF by the local Chromium
# (Playwright, offline, the site's print stylesheet), from the STORED outputs.
handouts: $(TEST_STAMP) ## one PDF per lesson into build/handouts/ (A4; figures, formulas, widget stills; offline Chromium)
	$(BIN)/python tools/build_handouts.py

# Every slide of every deck, every page of the site and every handout in Chromium with the
# network blocked, axe-core's WCAG 2 A/AA rules on each page and slide, and every picture's
# alt text, and the stepper in JupyterLab (keyboard, live region, axe in Light and Dark)
# (make test checks one lesson of each; .ci/run runs this too).
test-static: $(TEST_STAMP) ## offline checks of ALL decks, site pages and handouts in headless Chromium, with axe (~15 min)
	SOFTMAX_LAB_FULL_STATIC=1 $(BIN)/python -m pytest tests/test_slides_build.py tests/test_site.py \
	  tests/test_static_views.py tests/test_alt_text.py tests/test_handouts.py tests/test_a11y.py \
	  tests/test_browser.py $(XDIST_FLAGS) $(PYTEST_ARGS)

# ------------------------------------------------------------------ benchmarks
# torch is a benchmark-only peer (bench/torch_peer.py): installed here, never a
# dependency of the lab or of `make test`.  See bench/README.md.
.PHONY: bench
bench: $(TEST_STAMP) ## benchmarks -> bench/RESULTS.md (installs torch==2.13.0 for the peer; < 10 min)
	@$(BIN)/python -c 'import torch' 2>/dev/null || $(PIP) install torch==2.13.0
	$(BIN)/python bench/run_all.py

# ------------------------------------------------------------------ distribution
# The GitHub location is written once, in softmax_lab/_repo.py; set-repo rewrites it
# and every badge/link (tools/set_repo.py; standard library only, no .venv needed).
.PHONY: set-repo dist test-dist
DIST_STAMP := $(VENV)/.softmax-lab-dist.stamp

set-repo: ## set the GitHub location everywhere: make set-repo REPO=owner/name [BRANCH=main]
	@test -n "$(REPO)" || { echo "usage: make set-repo REPO=owner/name [BRANCH=main]   (now: REPO BRANCH = $$($(PYTHON) softmax_lab/_repo.py))"; exit 2; }
	$(PYTHON) tools/set_repo.py "$(REPO)" $(if $(BRANCH),--branch "$(BRANCH)")

$(DIST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -q $(NEW_PIP)
	$(PIP) install --group dist
	@touch $@

dist: $(DIST_STAMP) ## sdist + wheel (course notebooks included) into dist/, checked by twine
	rm -rf dist build/lib build/bdist.*
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*
	@ls -l dist

# Builds the sdist + wheel, then in ONE fresh venv: the wheel alone (console script,
# ImportErrors naming the extra), the wheel + [lab] (the copied notebook 02 under nbval),
# then without softmax-lab (every notebook's install cell installs it, nbval runs it).
test-dist: $(TEST_STAMP) $(DIST_STAMP) ## packaging tests in fresh venvs: wheel, install cells, Colab path (slow, minutes)
	SOFTMAX_LAB_TEST_DIST=1 $(BIN)/python -m pytest tests/test_dist.py -p no:cacheprovider $(PYTEST_ARGS)

# ------------------------------------------------------------------ cleaning
clean: ## remove caches and build output (keeps .venv)
	rm -rf .pytest_cache .hypothesis build dist test-artifacts *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name .ipynb_checkpoints -type d -exec rm -rf {} +

distclean: clean ## clean, and also delete .venv
	rm -rf $(VENV)
