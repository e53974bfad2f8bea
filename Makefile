# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint i18n rasa clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/desabot run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/desabot i18n check
	$(BIN)/desabot content check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

i18n: $(STAMP)
	$(BIN)/desabot i18n update

clean:
	rm -rf $(VENV) data/*.sqlite3 .pytest_cache
