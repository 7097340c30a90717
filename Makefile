# 律师服务平台 — the two commands are `make run` and `make test`.
#
#   make run    venv + packages (htmx included), migrate, demo data, then the web
#               server and a task worker together on http://127.0.0.1:8000
#   make test   test packages, lint, types (mypy), migrations check, the whole suite
#               (REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 turn skips into failures;
#               DATABASE_URL=postgres://… runs it on PostgreSQL)
#   make bench  flash crowd of lawyers booking against gunicorn, and the
#               availability look-up with 10^5 and 10^6 past bookings; SQLite,
#               and PostgreSQL too when DATABASE_URL is set (docs/performance.md)
#   .ci/run     what CI runs: both databases, browser tests required
SHELL := /bin/bash
# Every target here is a development context: the settings fail closed
# (DEBUG off, every key required) unless DEBUG is turned on, so make turns it
# on; `DEBUG=0 make run` runs with production settings and needs the keys.
export DEBUG ?= 1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Each stamp depends on pyproject.toml, so changed dependencies are reinstalled.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the suite takes about half the time on two cores (docs/decisions/0002).
PYTEST_ARGS ?= -n 2
# What ruff checks and formats (not docs/: ruff would reformat code examples in Markdown).
PY_SOURCES := lvshi tests bench conftest.py manage.py

.PHONY: run test lint format install install-test messages migrate seed worker clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet -e '.[test]'
	@touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)

# The compiled translations (.mo) are committed, so installing needs no
# gettext; after editing a .po file, run `make messages` and commit both.
messages: $(STAMP)
	@if compgen -G 'lvshi/locale/*/LC_MESSAGES/*.po' >/dev/null; then \
		command -v msgfmt >/dev/null || { echo "gettext is needed to compile translations: apt-get install -y gettext"; exit 1; }; \
		$(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Web server and a task worker together, so notifications are delivered.
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runall --host $(HOST) --port $(PORT)

worker: install
	$(PY) manage.py run_worker

test: install-test
	$(VENV)/bin/ruff check $(PY_SOURCES)
	$(VENV)/bin/ruff format --check $(PY_SOURCES)
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check $(PY_SOURCES)
	$(VENV)/bin/ruff format --check $(PY_SOURCES)

format: install-test
	$(VENV)/bin/ruff check --fix $(PY_SOURCES)
	$(VENV)/bin/ruff format $(PY_SOURCES)

# Not part of `make test`: it takes minutes and its numbers are the point.
# LAWYERS, CLIENTS, ROOMS, WORKERS, HEALTHZ_SECONDS, PAST, LAW_QUERIES: docs/performance.md.
bench: install
	$(PY) -m bench.flash_crowd
	$(PY) -m bench.laws
	$(PY) -m bench.registry

clean:
	rm -rf $(VENV) var artifacts test-results
