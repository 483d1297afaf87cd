# `make run` and `make test` work on a fresh machine: they set up .venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 7860

.PHONY: setup browser index run test lint bench eval clean

setup: $(STAMP)

# torch first, pinned to the CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# Debian's chromium for the browser tests (Playwright drives it by executable_path).
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

index: setup
	$(VENV)/bin/rag index

run: index
	$(VENV)/bin/rag serve --host $(HOST) --port $(PORT)

test: setup browser
	$(VENV)/bin/ruff check rag tests
	$(PY) -m pytest -q

eval: setup
	$(VENV)/bin/rag eval eval/seeds_dev.jsonl --out eval/results.jsonl --report eval/report.html

clean:
	rm -rf index/gen-* index/CURRENT index/corpora artifacts
