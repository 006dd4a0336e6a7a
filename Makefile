# The README's two commands. Each sets up .venv by itself on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The matcher's modules compiled with mypyc (factcheck/compiled.py), rebuilt when one of
# them changes. Where they cannot be built (no C compiler), factcheck runs as pure Python.
# NATIVE_SOURCES are the files of factcheck/native.py's MODULES: one missing here is still
# never run stale (native.py's guard), only left as pure Python until the next build.
NATIVE := $(VENV)/.compiled
NATIVE_SOURCES := $(wildcard factcheck/matcher.py factcheck/anchor.py factcheck/conditions.py factcheck/segment.py \
                  factcheck/normalize/*.py)

.PHONY: report test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NATIVE): $(STAMP) $(NATIVE_SOURCES)
	-$(BIN)/python -m factcheck.compiled build
	touch $(NATIVE)

report: $(NATIVE)
	$(BIN)/factcheck check examples/putin-peace-talks.md --out reports --format html,pdf,json

test: $(NATIVE)
	$(BIN)/python -m pytest

bench: $(NATIVE)
	$(BIN)/python bench/run.py

clean:
	if [ -x $(BIN)/python ]; then $(BIN)/python -m factcheck.compiled clean; fi
	rm -rf $(VENV) .factcheck_cache reports/*.html reports/*.pdf reports/*.json
