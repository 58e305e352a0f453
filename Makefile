# Every target bootstraps .venv on first use: a fresh machine needs only Python 3.11+ and make.
# `make run` installs what running needs; `make test` (and lint, bench) adds the test tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# where `make install` links the secondview command: a folder on your PATH
BINDIR ?= $(HOME)/.local/bin

.PHONY: run install uninstall test bench lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(TEST_STAMP)

run: $(STAMP)
	$(BIN)/secondview $(ARGS)

# The command line everywhere: a link in BINDIR to the venv's secondview (which stays in use,
# so `git pull` updates it). `pipx install .` is the other way, with a copy of its own.
install: $(STAMP)
	@mkdir -p $(BINDIR)
	ln -sfn $(abspath $(BIN))/secondview $(BINDIR)/secondview
	@echo "secondview is now $(BINDIR)/secondview"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; \
		*) echo "$(BINDIR) is not on your PATH: add it (in ~/.profile: export PATH=\"$(BINDIR):\$$PATH\")";; esac

uninstall:
	@if [ -L $(BINDIR)/secondview ] && [ "$$(readlink $(BINDIR)/secondview)" = "$(abspath $(BIN))/secondview" ]; then \
		rm $(BINDIR)/secondview && echo "removed $(BINDIR)/secondview"; \
	else echo "$(BINDIR)/secondview is not this checkout's link; left as it is"; fi

OWN_WORDS := ../shared/tools/own-words

test: lint
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)
	@if [ -f $(OWN_WORDS) ]; then \
		$(PYTHON) $(OWN_WORDS) . || { echo "own-words: prose above repeats the reference articles"; exit 1; }; \
	else echo "own-words: skipped, $(OWN_WORDS) not found (it sits beside the project on CI)"; fi

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

# ruff reads its rules and the complexity limit from pyproject.toml; mypy its files (core/ and
# store/, strict) from there too
lint: $(TEST_STAMP)
	$(BIN)/python -m compileall -q src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
