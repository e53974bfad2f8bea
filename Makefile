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
	$(BIN)/desabot i18n compile
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

# Rasa in its own Python 3.10 environment, trained on nlu/ and served on 127.0.0.1:5005.
rasa:
	scripts/rasa.sh serve

clean:
	rm -rf $(VENV) data/*.sqlite3 .pytest_cache
