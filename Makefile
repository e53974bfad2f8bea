# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs the exact versions of uv.lock in seconds (pip: about 100 s). Taken from the PATH,
# else bootstrapped once into .uv/ with pip; without either, pip installs from pyproject.toml.
UV ?= $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
STALE_LOCK := "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock"

.PHONY: run test lint i18n lock lock-check rasa clean

$(STAMP): pyproject.toml uv.lock
	@[ -x "$(UV)" ] || { $(PYTHON) -m venv .uv && .uv/bin/pip install --quiet uv; } \
	  || { echo "uv could not be installed; pip will install instead"; rm -rf .uv; }
	@if [ -x "$(UV)" ]; then \
	  $(UV) lock --check --quiet || { echo $(STALE_LOCK); exit 1; }; \
	  $(UV) sync --frozen --extra dev --python $(PYTHON) --quiet; \
	else \
	  $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet --upgrade pip \
	    && $(BIN)/pip install --quiet -e '.[dev]'; \
	fi
	$(BIN)/desabot i18n compile
	touch $(STAMP)

# After any change to the dependencies in pyproject.toml: regenerate the lock, then commit it.
lock:
	@[ -x "$(UV)" ] || { $(PYTHON) -m venv .uv && .uv/bin/pip install --quiet uv; }
	$(UV) lock

# CI: a lock that does not match pyproject.toml fails here, loudly, instead of installing
# something else than what was reviewed.
lock-check:
	@[ -x "$(UV)" ] || { $(PYTHON) -m venv .uv && .uv/bin/pip install --quiet uv; }
	@$(UV) lock --check --quiet || { echo $(STALE_LOCK); exit 1; }

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
	rm -rf $(VENV) .uv data/*.sqlite3 .pytest_cache
