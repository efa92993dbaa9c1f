# Chores for the Always Events service. `make run` and `make test` are the two
# commands in the README; both start with the idempotent `make install`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test audit lint format services check-deploy clean bench bench-national bench-load


help:
	@echo "make run      set up, load demo data and serve on http://$(HOST):$(PORT) (SQLite, tasks in process)"
	@echo "make test     set up and run the whole test suite on PostgreSQL and Redis, with browser tests"
	@echo "make install  the idempotent set-up step both of them use"
	@echo "make lint     ruff and the migrations check"
	@echo "make audit    known vulnerabilities in the locked Python and npm packages (part of make test)"

install: $(VENV)/.synced node_modules/.installed static/dist/.built

$(VENV)/.synced: pyproject.toml uv.lock
	@scripts/check-python $(PYTHON)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/dist/.built: node_modules/.installed static/src/main.scss static/src/app.js static/src/bundle.mjs
	npm run --silent build
	@touch $@

run: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite audits too, but an audit service that cannot be reached only warns there
# (a found vulnerability still fails): an outage of someone else's service must not
# stop every change from landing. `make audit` on its own fails in both cases.
test: install services
	AUDIT_UNREACHABLE=$${AUDIT_UNREACHABLE:-warn} $(BIN)/python scripts/audit
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run --skip-checks
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

services:
	@scripts/ensure-services

# pip-audit (uv.lock) and npm audit (package-lock.json). Fails when a vulnerability is
# found, and when an audit service cannot be reached (AUDIT_UNREACHABLE=warn to go on).
audit: install
	$(BIN)/python scripts/audit

lint: install
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run --skip-checks

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install
	DEBUG=false SECRET_KEY=check-deploy-$$RANDOM-$$RANDOM-long-enough-to-pass-the-deploy-check-0123456789 \
	  ALLOWED_HOSTS=always-events.example.nhs.uk $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles db.sqlite3

# Each writes its own section of docs/benchmarks.md; the figures reuse the database
# the recompute benchmark loaded.
bench: install services
	$(BIN)/python -m bench.recompute --size small
	$(BIN)/python -m bench.figures --size small

bench-national: install services
	$(BIN)/python -m bench.recompute --size national
	$(BIN)/python -m bench.figures --size national

# 200 patients submitting at once for 10 minutes through gunicorn; DURATION=60 for a short run.
DURATION ?= 600
bench-load: install services
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(BIN)/python -m bench.load --duration $(DURATION)
