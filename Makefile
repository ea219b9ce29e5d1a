# The two commands a newcomer needs (see README.md):
#   make run    set everything up and run the tracker, its Celery worker and beat at http://127.0.0.1:8000
#   make test   set everything up and run the whole test suite
# Both create .venv from pyproject.toml's pinned dependencies on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint setup migrate seed clean ci chromium mutation

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end packages (GOV.UK Frontend, axe-core for the browser tests) from the npm registry,
# pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# GOV.UK Frontend's compiled CSS, JS and images served as Django static files from static/govuk/
# (gitignored). The tracker is not a GOV.UK service, so the GDS Transport font and its
# @font-face rules are left out (text falls back to Arial, as the Design System asks).
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
static/govuk/.installed: node_modules/.package-lock.json
	rm -rf static/govuk && mkdir -p static/govuk/assets
	sed -e 's/@font-face{[^}]*}//g' -e 's/font-family:GDS Transport,/font-family:/g' \
	    -e 's#url(/assets/#url(assets/#g' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
	    $(GOVUK_DIST)/govuk-frontend.min.css > static/govuk/govuk-frontend.min.css
	sed -e 's#//\# sourceMappingURL=.*##' $(GOVUK_DIST)/govuk-frontend.min.js > static/govuk/govuk-frontend.min.js
	cp -R $(GOVUK_DIST)/assets/images static/govuk/assets/images
	touch $@

# The browser tests drive Debian's Chromium (no browser downloads): install it when missing.
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  echo "Installing Chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

setup: $(BIN)/.installed static/govuk/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed_data

# ensure_admin runs as a process of the Procfile, a few seconds in, so the generated password is
# printed after the web server's and Celery's start-up banners rather than scrolled away by them.
run: seed
	$(BIN)/honcho --procfile Procfile.dev start

test: setup chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The linters (configured in pyproject.toml; .ci/run runs them first). Functions stay at or
# under a McCabe complexity of 12.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/djlint templates --lint

# Mutation testing of the deadline rules (pyproject.toml [tool.mutmut]; results in bench/MUTATION.md).
# Slow (minutes): not part of .ci/run. `mutmut show NAME` shows one surviving mutant.
mutation: $(BIN)/.installed
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2; $(BIN)/mutmut results

ci:
	.ci/run

clean:
	rm -rf $(VENV) var .pytest_cache node_modules static/govuk
