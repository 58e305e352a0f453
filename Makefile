# Every target bootstraps .venv on first use: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/secondview $(ARGS)

OWN_WORDS := ../shared/tools/own-words

test: lint
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)
	@if [ -f $(OWN_WORDS) ]; then \
		$(PYTHON) $(OWN_WORDS) . || { echo "own-words: prose above repeats the reference articles"; exit 1; }; \
	else echo "own-words: skipped, $(OWN_WORDS) not found (it sits beside the project on CI)"; fi

bench: $(STAMP)
	$(BIN)/python -m bench

# ruff reads its rules and the complexity limit from pyproject.toml; mypy its files (core/ and
# store/, strict) from there too
lint: $(STAMP)
	$(BIN)/python -m compileall -q src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
