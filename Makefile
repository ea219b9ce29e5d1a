# The two commands a newcomer needs (see README.md):
#   make run    set everything up and run the tracker, its Celery worker and beat at http://127.0.0.1:8000
#   make test   set everything up and run the whole test suite
# Both create .venv from pyproject.toml's pinned dependencies on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test setup migrate seed clean ci

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed_data

run: seed
	$(BIN)/python manage.py ensure_admin
	$(BIN)/honcho --procfile Procfile.dev start

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

ci:
	.ci/run

clean:
	rm -rf $(VENV) var .pytest_cache
