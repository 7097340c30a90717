# 律师服务平台 — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench install install-test assets migrate seed worker clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install --quiet -e '.[test]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the front-end packages: apt-get install -y npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) node_modules/.package-lock.json
install-test: $(TEST_STAMP) node_modules/.package-lock.json
assets: node_modules/.package-lock.json

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
	$(VENV)/bin/ruff check lvshi tests
	$(VENV)/bin/ruff format --check lvshi tests
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check lvshi tests
	$(VENV)/bin/ruff format --check lvshi tests

format: install-test
	$(VENV)/bin/ruff check --fix lvshi tests
	$(VENV)/bin/ruff format lvshi tests

bench: install-test
	$(PY) -m tests.bench

clean:
	rm -rf $(VENV) node_modules var
