# The two commands of the README: `make site` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site serve test validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) -m generator build

serve: $(STAMP)
	$(PY) -m generator build --serve

validate: $(STAMP)
	$(PY) -m generator validate

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_validate.py

clean:
	rm -rf site docs .pytest_cache test-output
