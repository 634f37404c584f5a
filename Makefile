SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The shared data (seed pages, recorded Crossref answers, gold data) sits beside the checkout; a clone made
# elsewhere (/tmp/fresh, say) finds it beside the checkout it was cloned from.
ORIGIN := $(patsubst file://%,%,$(shell git config --get remote.origin.url 2>/dev/null))
SHARED_DIR ?= $(firstword $(foreach dir,../shared $(ORIGIN)/../shared,$(wildcard $(abspath $(dir))/seeds/.)))
SHARED_DIR := $(patsubst %/seeds/.,%,$(SHARED_DIR))
HOST ?= 127.0.0.1
PORT ?= 8000
export SHARED_DIR

.PHONY: run setup test lint bench services database chromium bibtex-tools format shared

## run: set everything up, then serve the web app and a Celery worker together (Ctrl-C stops both)
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ with a Celery worker; Ctrl-C stops both."
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A config worker --loglevel=info --concurrency=2 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## setup: venv, dependencies, database, migrations (with the finding vocabulary), sample import, admin user
setup: $(VENV)/.installed database shared
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_sources $(SHARED_DIR)/seeds
	$(BIN)/python manage.py ensure_admin

## test: lint, migration check and the whole suite on real PostgreSQL, Redis, Celery and Chromium
test: $(VENV)/.installed services chromium bibtex-tools shared
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## bench: timings and parser accuracy, written as Markdown tables under docs/
bench: $(VENV)/.installed services shared
	$(BIN)/python -m bench.import_seeds --output docs/benchmarks.md
	$(BIN)/python -m bench.refparse --output docs/refparse-benchmark.md
	$(BIN)/python -m bench.readers --output docs/benchmarks-readers.md
	$(BIN)/python -m bench.reference_lists --output docs/benchmarks-reference-lists.md
	$(BIN)/python -m bench.crossref_matching --output docs/crossref-matching.md
	$(BIN)/python -m bench.crossref_throughput --output docs/benchmarks-crossref.md
	$(BIN)/python -m bench.export_bibtex --output docs/benchmarks-export.md
	$(BIN)/python -m bench.workspace --output docs/benchmarks-workspace.md
	$(BIN)/python -m bench.import_records --output docs/benchmarks-import-records.md
	$(BIN)/python -m bench.pubmed_throughput --output docs/benchmarks-pubmed.md
	$(BIN)/python -m bench.curation_queue --output docs/benchmarks-curation-queue.md

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

shared:
	@test -d "$(SHARED_DIR)/seeds" || { echo "No shared data: set SHARED_DIR to the folder with seeds/ and fixtures/." >&2; exit 1; }

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "PostgreSQL or Redis did not start" >&2; exit 1

database: services
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'curation'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres curation

chromium:
	@command -v chromium >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## bibtex-tools: biber, bibtex, pdflatex, and lualatex with Unicode fonts (DejaVu; WenQuanYi Micro Hei for CJK),
## which the export tests run on every exported file
bibtex-tools:
	@command -v biber >/dev/null && command -v bibtex >/dev/null && command -v pdflatex >/dev/null && \
	kpsewhich fontspec.sty luaotfload.sty >/dev/null && fc-list -q "DejaVu Serif" && fc-list -q "WenQuanYi Micro Hei" || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			biber texlive-bibtex-extra texlive-latex-base texlive-latex-recommended texlive-luatex \
			fonts-dejavu-core fonts-wqy-microhei >/dev/null)
