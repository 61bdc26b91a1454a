# CivicDesk — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export CIVICDESK_HOME := $(CURDIR)

.PHONY: run setup install lock test test-pg test-api quality deadcode format bench clean messages

# Every install takes the exact versions and hashes of requirements.lock, so two fresh machines run the same
# holidays, ortools and Django; the package itself is installed last, without touching its dependencies.
$(BIN)/civicdesk: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/civicdesk

# `make lock` pins what pyproject.toml added or changed and keeps every other pin; `make lock UPGRADE=1` moves
# everything to the newest versions pyproject.toml allows. Run `make test` (and .ci/run) before committing it.
lock:
	test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock; }
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" --quiet $(if $(UPGRADE),--upgrade) --output-file requirements.lock

setup: install
	mkdir -p var
	$(BIN)/civicdesk migrate --noinput
	$(BIN)/civicdesk createcachetable
	$(BIN)/civicdesk demo

# Serves the app and, beside it, the background worker (embedded SQLite queue); Ctrl-C stops both.
run: setup
	@echo "CivicDesk: http://$(HOST):$(PORT)/  (worker running alongside; Ctrl-C to stop)"
	@$(BIN)/civicdesk worker > var/worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/civicdesk runserver $(HOST):$(PORT)

# The suite runs in one process per core (pytest-xdist; each worker has its own test database and var/ folder, and
# loads the demo for tests/acceptance itself): `make test PYTEST_WORKERS=0` runs it in this one process (--pdb, one
# test), `PYTEST_WORKERS=3` in three.
PYTEST_WORKERS ?= auto
test: install
	CIVICDESK_TESTING=1 $(BIN)/pytest -q -p no:randomly -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/civicdesk} $(MAKE) test

# Schemathesis calls every operation of /api/openapi.json in-process (no server, no network) on a test database built
# from the factories: it fails on any 5xx and on any status the spec does not list. Fixed seed, 25 generated cases
# per operation, the operations shared among the workers; `API_FUZZ_SEED=random API_FUZZ_EXAMPLES=200 make test-api`
# explores further.
test-api: install
	CIVICDESK_TESTING=1 $(BIN)/pytest -q -p no:randomly -p schemathesis -n $(PYTEST_WORKERS) tests/api/conformance.py \
		$(PYTEST_ARGS)

# lint-imports: the layers between apps (contracts in pyproject.toml, docs/decisions/0003-app-layers.md); djlint:
# the templates (rules chosen in pyproject.toml).
quality: install
	$(BIN)/ruff check civicdesk tests bench eval
	$(BIN)/ruff format --check civicdesk tests bench eval
	$(BIN)/lint-imports --no-cache
	$(BIN)/djlint civicdesk/templates --lint --quiet
	CIVICDESK_TESTING=1 $(BIN)/civicdesk makemigrations --check --dry-run

# Functions, classes and constants nothing calls (vulture, settings in pyproject.toml). A report to read, not a gate:
# a name used only from a template or by string (a job's "module.function") is listed too; grep before removing.
deadcode: install
	-$(BIN)/vulture

format: install
	$(BIN)/ruff check --fix civicdesk tests bench eval
	$(BIN)/ruff format civicdesk tests bench eval

messages: install
	cd civicdesk && ../$(BIN)/civicdesk makemessages -l en --no-obsolete && ../$(BIN)/civicdesk compilemessages

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf var/civicdesk.sqlite3* var/jobs.sqlite3* var/static
