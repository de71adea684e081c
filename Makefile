# Samverkan – set-up and checks. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Test processes (pytest-xdist); the browser tests run in one process after the rest.
TEST_WORKERS ?= 2

.PHONY: install run serve test test-sqlite test-postgres test-browser test-browser-postgres lint typecheck messages browser-deps oidc-provider-deps bench bench-quick crash-test system-test clean

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

# `make run` is the demo: every page says DEMO and the log-in page lists the demo
# users' current one-time codes (SAMVERKAN_DEMO=1; settings refuse it in production).
run: export SAMVERKAN_DEMO = 1
run: install messages var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py demo_logins
	@echo "Samverkan serves at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	bash scripts/serve.sh $(VENV) $(HOST) $(PORT) $(WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy samverkan

# Browser tests (pytest -m browser: Playwright + Debian's chromium + axe-core)
# run in the SQLite pass only. They test what the user sees – markup, WCAG,
# keyboard, layout at 320/1280 px – which does not depend on the database
# engine, while each one costs a live server, a real browser and a database
# flush; the engine-specific behaviour is covered by the rest of the suite,
# which runs on both. `make test-browser-postgres` runs them on PostgreSQL too
# (they pass there; run it when touching the live-server fixtures).
# Screenshots at 320 and 1280 px land in test-artifacts/screenshots/.
test: install messages var browser-deps oidc-provider-deps lint typecheck test-sqlite test-postgres

# Installs Debian's chromium when missing (root + apt-get); otherwise says so
# loudly and the browser tests skip. Set SAMVERKAN_REQUIRE_BROWSER=1 to make
# them fail instead of skipping (CI runs as root, so they always run there).
browser-deps:
	@bash scripts/browser-deps.sh

# The OIDC browser tests log in through a real OpenID provider on loopback: the
# npm package oidc-provider, pinned in tests/oidc-provider/package-lock.json and
# installed with `npm ci` (Node.js >= 20.12; as root, Debian's nodejs/npm when
# missing). Like browser-deps it only reports: without it those tests skip, or
# fail under SAMVERKAN_REQUIRE_BROWSER=1.
oidc-provider-deps:
	@bash scripts/oidc-provider-deps.sh

test-sqlite: install messages var
	@echo "== Test suite on SQLite (with the browser tests) =="
	$(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not browser and not system"
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q -m browser
	@echo "== Benchmark code (the benchmarking app, installed only with SAMVERKAN_BENCHMARK=1) =="
	SAMVERKAN_BENCHMARK=1 DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q -n 0 samverkan/benchmarking

test-postgres: install messages var
	@echo "== Test suite on PostgreSQL (browser tests ran in the SQLite pass) =="
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not browser and not system"
	SAMVERKAN_BENCHMARK=1 bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -n 0 samverkan/benchmarking

test-browser: install messages var browser-deps oidc-provider-deps
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest -q -m browser

test-browser-postgres: install messages var browser-deps oidc-provider-deps
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -m browser

# Crash safety (issue 9.3): the production server (scripts/serve.sh) killed with
# SIGKILL three times while 1,000 reports arrive through the API, on a fresh
# SQLite file and on a throw-away PostgreSQL; nothing acknowledged may be lost
# or doubled, at least one request per engine must be cut off by a kill (the count
# is printed), and the audit chain must verify (scripts/crash_test.py). Then the
# system tests. Not part of `make test`; CI runs it after.
crash-test: install messages var
	$(PY) manage.py collectstatic --noinput --verbosity 0
	bash scripts/crash-test.sh $(VENV)
	$(MAKE) --no-print-directory system-test

# System tests (pytest -m system, issue 9.4 and 8.5): two production servers and
# two workers on one PostgreSQL – 50 simultaneous acceptances/approvals, the
# escalation job in two workers, no task done twice, no lost write.
system-test: install messages var
	@echo "== System tests on PostgreSQL (two servers, two workers) =="
	$(PY) manage.py collectstatic --noinput --verbosity 0
	bash scripts/with-postgres.sh $(VENV)/bin/pytest -q -p no:xdist -m system

# Benchmarks (issue 8; not part of `make test`): the production server on loopback,
# PostgreSQL (throw-away cluster) and SQLite; prints a table and one line per figure
# `name=value goal=… ok|FAIL`; results JSON in benchmarks/results/. See benchmarks/README.md.
bench: install messages var
	$(PY) benchmarks/run.py

bench-quick: install messages var
	$(PY) benchmarks/run.py --quick --parallel

clean:
	rm -rf $(VENV) var/staticfiles var/test*.sqlite3* test-artifacts tests/oidc-provider/node_modules
