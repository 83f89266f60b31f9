# The two commands of the README: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test bench lint format clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# axe-core for the accessibility tests (tests/browser/package.json), where npm exists;
# npm downloads no browser: the tests drive Debian's Chromium.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --silent --no-audit --no-fund --ignore-scripts && touch $(AXE); \
	else echo "npm not found: the axe accessibility tests will fail (apt-get install nodejs npm)"; fi

install: $(STAMP) $(AXE)

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_sample_data
	@echo ""
	@echo "  Report Cards is running at http://$(HOST):$(PORT)/"
	@echo "  Log in as analyst, reviewer, publisher or admin (password printed above)."
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production on one machine (docs/production.md): production settings, a required
# SECRET_KEY, PostgreSQL and Redis from DATABASE_URL and REDIS_URL; web, worker and beat.
serve: install
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY (and DATABASE_URL, REDIS_URL, ALLOWED_HOSTS): see docs/production.md"; exit 2; }
	DJANGO_SETTINGS_MODULE=reportcards.settings_production $(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=reportcards.settings_production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=reportcards.settings_production $(PY) manage.py collectstatic --noinput
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" DJANGO_SETTINGS_MODULE=reportcards.settings_production honcho start -f Procfile

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/recompute.py
	$(PY) bench/queries.py
	$(PY) bench/pdf.py
	$(PY) bench/export.py
	$(PY) bench/markdown.py
	$(PY) bench/load.py

# ruff (style, and no private names of libraries), and no function above complexity C.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@complex=$$($(VENV)/bin/radon cc --min D --show-complexity --exclude '*/migrations/*' accounts assessments core discussions reportcards statutes bench tests); \
	if [ -n "$$complex" ]; then echo "Functions above complexity C (split them):"; echo "$$complex"; exit 1; fi

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* staticfiles media .pytest_cache
