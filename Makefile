# The two commands a newcomer needs: `make run` and `make test`. Both set up first
# (system packages, .venv, node_modules); setup is skipped step by step when nothing changed.
#
#   make run                        app with demo data on http://127.0.0.1:8000
#   make test                       the whole test suite
#   make test PYTEST_ARGS='-x -k signoff'   extra arguments for pytest
#   make test PYTEST_WORKERS=0      the suite in one process (default: one worker per core)
#   make lock                       rewrite requirements.lock from the current .venv
#   make bench                      queries and server time of the main pages, 10 vs 1 000 procurements,
#                                   and the reminder sweep at 10, 1 000 and 100 000 deadlines

PYTHON ?= python3.11
PYTEST_ARGS ?=
# The suite runs in parallel (pytest-xdist), one worker per core; PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: help setup run test lock bench

help:
	@sed -n 's/^#   //p' Makefile

setup:
	PYTHON=$(PYTHON) bash scripts/setup.sh

run: setup
	bash scripts/run.sh

# --dist loadfile: a module's tests stay on one worker, so a module-scoped seed_demo runs once.
test: setup
	.venv/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lock: setup
	{ echo "# Pinned versions for 'pip install -c requirements.lock -e .[dev]' (Python 3.11)."; \
	  echo "# Regenerate after changing pyproject.toml: make lock  (pip freeze --exclude-editable)."; \
	  .venv/bin/python -m pip freeze --exclude-editable; } > requirements.lock.new
	@if grep -qE '://|^-|@ ' requirements.lock.new; then \
	  echo "lock: requirements.lock.new names a URL, path or option; fix by hand" >&2; exit 1; fi
	mv requirements.lock.new requirements.lock

bench: setup
	LOG_LEVEL=WARNING .venv/bin/python benchmarks/bench_pages.py
	LOG_LEVEL=WARNING .venv/bin/python benchmarks/bench_sweep.py
