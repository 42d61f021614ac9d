# `make demo`: set up and build the sample anthology.  `make test`: set up and run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench fuzz field clean
.PHONY: checkers native

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup native
	$(BIN)/ficbook build recipes/spuffy.yaml

# `make native`: the converter compiled with mypyc into the cache folder (ficbook/native.py),
# about a minute; used only while the source is exactly what it was built from. Where it
# cannot be built (no C compiler), ficbook runs as Python, as it does after any edit.
native: setup
	$(BIN)/python -m ficbook.nativebuild || echo "make native: not built; ficbook runs as Python"

test: setup checkers
	$(BIN)/python -m pytest -q

# `make checkers`: Debian's Chromium and calibre, and DAISY Ace from npm, for tests/engines/
# (tests/engines/install.sh). Installs only what is missing and never fails: where it cannot
# install, the tests that need them skip (under CI=true they fail instead).
checkers:
	sh tests/engines/install.sh

# `make fuzz MINUTES=10`: Hypothesis on the converter, the HTML reader and the recipe loader,
# plus atheris when it installs here; crashes land in tests/hostile/regressions/.
MINUTES ?= 10
fuzz: setup
	$(BIN)/python -m pip install --quiet atheris || echo "atheris does not install here: Hypothesis only"
	if $(BIN)/python -c "import atheris" 2>/dev/null; then \
		$(BIN)/python -m fuzz --minutes $(MINUTES) --atheris; \
	else \
		$(BIN)/python -m fuzz --minutes $(MINUTES); \
	fi

bench: setup native
	$(BIN)/python bench/run.py
	$(BIN)/python bench/parallel.py

# `make field`: re-fetch the field corpus of real files from local snapshots (field/fetch.py;
# a missing snapshot is named, not fatal) and print the scorecard (field/score.py). Not part of
# `make test`: CI has no snapshots. FIELD_ARGS='--only ID' scores one file.
FIELD_ARGS ?=
field: setup
	-$(BIN)/python field/fetch.py
	mkdir -p build
	$(BIN)/python field/score.py --json build/field.json $(FIELD_ARGS)

clean:
	rm -rf build .pytest_cache .hypothesis .mypy_cache
