# jixiao: everything a fresh machine needs comes from these targets.
#   make report   set up, then build the example township's report into reports/
#                 (report.html, report.pdf and report.docx)
#   make doctor   check fonts, the Jupyter kernel and the PDF/Word renderers
#   make test     set up, then run the whole test suite (what CI runs, after make lint)
#   make lint     ruff (lint and format), mypy, notebooks without outputs

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.jixiao-installed
EXAMPLE_PARAMS := params/dongshiduan-2023.yaml
EXAMPLE_DIR    := examples/dongshiduan-2023
KEY_PARAMS     := params/nanhuqu-road-2023.yaml
KEY_DIR        := examples/nanhuqu-road-2023

.PHONY: setup report doctor test test-fast lint lab example docs bench clean

$(STAMP): pyproject.toml system-packages.txt scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	# A kernel named for this environment, so notebooks never run on another Python.
	$(BIN)/python -m ipykernel install --sys-prefix --name jixiao --display-name "jixiao (Python 3)" >/dev/null
	touch $@

setup: $(STAMP)

# The key project first: the township report links to its evaluation report.
report: setup
	$(BIN)/jixiao evaluate $(KEY_PARAMS) --format html,pdf,docx
	$(BIN)/jixiao run $(EXAMPLE_PARAMS) --format html,pdf,docx

doctor: setup
	$(BIN)/jixiao doctor

test: setup
	$(BIN)/python -m pytest

# Skips the slow end-to-end tests and every test that starts a Jupyter kernel (CI runs
# them all through `make test`).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not kernel"

# What CI checks before the tests; `.venv/bin/pre-commit install` runs the same on commit.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb notebooks/key_project/*.ipynb

lab: setup
	$(BIN)/jupyter lab notebooks/

# Rebuild the bundled example workbooks from their YAML transcriptions.
example: setup
	$(BIN)/jixiao template $(EXAMPLE_DIR)/dongshiduan-2023.xlsx --data $(EXAMPLE_DIR)/transcription
	$(BIN)/jixiao template $(KEY_DIR)/nanhuqu-road-2023.xlsx --kind key-project --data $(KEY_DIR)/transcription
	$(BIN)/python scripts/make_example_form.py
	$(BIN)/python scripts/make_example_survey.py

# The benchmark (about 10 min on an idle 2-core machine): a table, then the `bench:` line;
# results in reports/bench/*.json.
bench: setup
	$(BIN)/python bench/run.py

docs: setup
	$(BIN)/jixiao docs docs/data-format.md

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache .hypothesis .ruff_cache .mypy_cache
