# CivicDesk — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export CIVICDESK_HOME := $(CURDIR)

.PHONY: run setup install test test-pg quality format bench clean messages

$(BIN)/civicdesk: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/civicdesk

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

test: install
	CIVICDESK_TESTING=1 $(BIN)/pytest -q -p no:randomly $(PYTEST_ARGS)

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/civicdesk} $(MAKE) test

quality: install
	$(BIN)/ruff check civicdesk tests bench
	$(BIN)/ruff format --check civicdesk tests bench
	CIVICDESK_TESTING=1 $(BIN)/civicdesk makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix civicdesk tests bench
	$(BIN)/ruff format civicdesk tests bench

messages: install
	cd civicdesk && ../$(BIN)/civicdesk makemessages -l en --no-obsolete && ../$(BIN)/civicdesk compilemessages

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf var/civicdesk.sqlite3* var/jobs.sqlite3* var/static
