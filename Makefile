# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# uv installs the exact versions of uv.lock in seconds (pip: about 100 s). Taken from the PATH,
# else fetched once into .uv/ with pip (`pip install --target`: no venv to build); without
# either, pip installs from pyproject.toml. `make run` installs what the bot needs; `make test`
# adds the dev tools (pytest, ruff, playwright), which a first run does not wait for.
UV ?= $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
STALE_LOCK := "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock"
PIP_QUIET := --quiet --disable-pip-version-check
export PIP_ROOT_USER_ACTION := ignore
GET_UV := [ -x "$(UV)" ] || $(PYTHON) -m pip install $(PIP_QUIET) --target .uv uv \
	  || { rm -rf .uv; $(PYTHON) -m venv .uv && .uv/bin/pip install $(PIP_QUIET) uv; } \
	  || { echo "uv could not be installed; pip will install instead"; rm -rf .uv; }

.PHONY: run test lint i18n lock lock-check rasa clean

# --inexact: a later `make run` keeps the dev tools `make test` installed.
$(STAMP): pyproject.toml uv.lock
	@$(GET_UV)
	@if [ -x "$(UV)" ]; then \
	  $(UV) lock --check --quiet || { echo $(STALE_LOCK); exit 1; }; \
	  $(UV) sync --frozen --inexact --python $(PYTHON) --quiet; \
	else \
	  $(PYTHON) -m venv $(VENV) && $(BIN)/pip install $(PIP_QUIET) -e .; \
	fi
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	@if [ -x "$(UV)" ]; then \
	  $(UV) sync --frozen --inexact --extra dev --python $(PYTHON) --quiet; \
	else \
	  $(BIN)/pip install $(PIP_QUIET) -e '.[dev]'; \
	fi
	touch $(DEV_STAMP)

# After any change to the dependencies in pyproject.toml: regenerate the lock, then commit it.
lock:
	@$(GET_UV)
	$(UV) lock

# CI: a lock that does not match pyproject.toml fails here, loudly, instead of installing
# something else than what was reviewed.
lock-check:
	@$(GET_UV)
	@$(UV) lock --check --quiet || { echo $(STALE_LOCK); exit 1; }

run: $(STAMP)
	$(BIN)/desabot run

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/desabot i18n check
	$(BIN)/desabot content check
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

i18n: $(STAMP)
	$(BIN)/desabot i18n update

# Rasa in its own Python 3.10 environment, trained on nlu/ and served on 127.0.0.1:5005.
rasa:
	scripts/rasa.sh serve

clean:
	rm -rf $(VENV) .uv data/*.sqlite3 .pytest_cache
