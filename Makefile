# madoguchi: `make run` sets up and starts everything; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-postgres bench lint install messages schema envdoc eval-guidance

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

messages: install
	@if ! command -v msgfmt >/dev/null; then echo "msgfmt not found: using the committed .mo files"; \
	elif [ -d madoguchi/locale ]; then $(BIN)/python manage.py compilemessages -v0 --ignore=.venv; fi

run: install messages
	PORT=$(PORT) bin/run

test: install messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m madoguchi.bench

eval-guidance: install
	$(BIN)/python -m madoguchi.guidance.evaluate $(EVAL_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

schema: install
	$(BIN)/python manage.py export_openapi docs/openapi.json

envdoc: install
	$(BIN)/python manage.py envdoc
