# Samverkan – set-up and checks. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run serve test test-sqlite test-postgres lint typecheck messages browser-deps bench bench-quick crash-test clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/check-python.sh
	@bash scripts/check-python.sh "$(PYTHON)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

messages: install
	@bash scripts/compile-messages.sh $(PY)

var:
	@mkdir -p var

run: install messages var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py demo_logins
	@echo "Samverkan serves at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(VENV)/bin/gunicorn samverkan.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 10

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy samverkan

test: install messages var lint typecheck test-sqlite test-postgres

test-sqlite: install messages var
	@echo "== Test suite on SQLite =="
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q

test-postgres: install messages var
	@echo "== Test suite on PostgreSQL =="
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) var/staticfiles var/test*.sqlite3*
