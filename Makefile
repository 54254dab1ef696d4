# The Cancer Blog. `make run` serves the demo site; `make test` runs every check and test.

# The first Python >= 3.12 that works on this machine (pyenv's 3.13 where present).
PYTHON ?= $(shell for c in "env PYENV_VERSION=3.13.0 python3.13" python3.13 python3.12 python3; do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
TEST_ENV := SECRET_KEY=test-only-not-secret TASKS_BACKEND=immediate
# Unit tests run in this many processes (pytest-xdist); browser journeys run in one.
TEST_PROCESSES ?= 2
# `make run` listens here (`make run PORT=8001`); the demo site's address follows.
HOST ?= 127.0.0.1
PORT ?= 8000
LOCAL_ENV := DEBUG=1 BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)}

.PHONY: run test test-unit test-e2e lint migrate seed clean bench

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is required (set PYTHON=/path/to/python3.12+)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

migrate: $(VENV)/.installed
	mkdir -p var
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(LOCAL_ENV) $(PY) manage.py seed_demo

run: seed
	HOST=$(HOST) PORT=$(PORT) ./scripts/run-local

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo --no-cache
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

test-unit: $(VENV)/.installed
	$(TEST_ENV) $(PY) -m pytest --ignore=e2e -n $(TEST_PROCESSES)

test-e2e: $(VENV)/.installed
	$(TEST_ENV) $(PY) -m pytest e2e

test: lint test-unit test-e2e

# `make bench` runs every benchmark; BENCH=web, BENCH=alerts or BENCH=import runs one (see
# bench/README.md). web: public pages with wrk against gunicorn, nginx and two ceilings (needs
# wrk and nginx, installed here with apt-get when missing). alerts: email alerts to 10,000 and
# 100,000 subscribers through real workers and a local SMTP sink. import: a generated WordPress
# export parsed and imported (BENCH_IMPORT_ARGS="--posts 25000" for a ~500 MB file).
BENCH ?= all
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cancerblog_bench
BENCH_WEB_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cancerblog_bench_web
BENCH_IMPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cancerblog_bench_import
BENCH_IMPORT_ARGS ?=

bench: $(VENV)/.installed
ifneq ($(filter $(BENCH),all web),)
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 || { \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends wrk nginx >/dev/null; }
	SECRET_KEY=bench-only TASKS_BACKEND=database DATABASE_URL=$(BENCH_WEB_DATABASE_URL) \
		$(PY) bench/web.py
endif
ifneq ($(filter $(BENCH),all alerts),)
	SECRET_KEY=bench-only TASKS_BACKEND=database DATABASE_URL=$(BENCH_DATABASE_URL) \
		$(PY) bench/alerts.py
endif
ifneq ($(filter $(BENCH),all import),)
	SECRET_KEY=bench-only TASKS_BACKEND=database DATABASE_URL=$(BENCH_IMPORT_DATABASE_URL) \
		$(PY) bench/import_wordpress.py $(BENCH_IMPORT_ARGS)
endif

clean:
	rm -rf $(VENV) var
