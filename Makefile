# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint format seed install install-test chromium migrate superuser clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The dependencies named in pyproject.toml, at the versions requirements.lock pins.
REQUIREMENTS = $(PY) -c 'import sys, tomllib; project = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"] * ("test" in sys.argv)))'

$(STAMP): pyproject.toml requirements.lock | $(PY)
	@$(REQUIREMENTS) > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -c requirements.lock -r $(VENV)/requirements.txt
	touch $@

$(TEST_STAMP): $(STAMP)
	@$(REQUIREMENTS) test > $(VENV)/requirements-test.txt
	$(PY) -m pip install --quiet -c requirements.lock -r $(VENV)/requirements-test.txt
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "Chromium is not installed: browser tests will be skipped."

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seeds
	$(PY) manage.py import_representatives

# The site and the task worker that sends letters for supporters; Ctrl-C stops both.
run: seed
	@echo ""
	@echo "Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/"
	@echo "Create a staff login with:  $(PY) manage.py createsuperuser"
	@echo "Mail (confirmations and letters, to the test recipient) is written to var/mail/"
	@echo ""
	$(PY) manage.py db_worker --interval 1 --no-startup-delay & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000

test: install-test chromium
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: install
	$(PY) manage.py createsuperuser

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache
