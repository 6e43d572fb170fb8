# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# Every target creates .venv when it is missing; the stamp files re-install when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: demo test lint bench fuzz docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The project alone (what a user installs).
$(VENV)/.stamp-base: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

# The project with the deploy and test extras (what CI and developers need).
$(VENV)/.stamp-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[deploy,test]'
	@touch $@ $(VENV)/.stamp-base

demo: $(VENV)/.stamp-base
	$(BIN)/templategen generate examples/*.yaml --format both
	$(BIN)/templategen generate examples/vmsnapshot-*.yaml --snippet --format both
	$(BIN)/templategen lint examples/

test: $(VENV)/.stamp-test
	$(PY) -m pytest -n auto -q
	$(BIN)/templategen generate --check examples/*.yaml --format both
	$(BIN)/templategen generate --check examples/vmsnapshot-*.yaml --snippet --format both

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check templategen tests benchmarks
	$(BIN)/ruff format --check templategen tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.stamp-test
	$(PY) benchmarks/run.py

# The long fuzzing campaign: 4,500 examples per fuzz test, at least 100,000 inputs in all (the
# session fails if fewer ran); the counts per test are written to build/fuzz-report.json.
FUZZ_EXAMPLES ?= 4500
FUZZ_MIN_TOTAL ?= 100000

fuzz: $(VENV)/.stamp-test
	@mkdir -p build
	TEMPLATEGEN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TEMPLATEGEN_FUZZ_MIN_TOTAL=$(FUZZ_MIN_TOTAL) \
		TEMPLATEGEN_FUZZ_REPORT=build/fuzz-report.json \
		$(PY) -m pytest -q -p no:cacheprovider -n auto tests/fuzz

docs: $(VENV)/.stamp-base
	$(BIN)/templategen rules --format markdown -o docs/rules.md
	$(PY) -m templategen.rules.indexgen -o templategen/rules/index.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
