# `make run` and `make test` work on a fresh machine: they set up .venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 7860

# llama.cpp's native build turns on AMX kernels that crash on this machine's CPU (SIGSEGV in
# ggml_backend_amx_mul_mat on any prompt longer than one token), so llama-cpp-python is built
# once for plain AVX2 and the wheel kept outside the repo; pip's own cache would hand back a
# native build.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE   := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
WHEELS        := $(HOME)/.cache/rag-wheels/portable-avx2

.PHONY: setup browser index run test lint bench eval clean

setup: $(STAMP)

# torch first, pinned to the CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	ls $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="$(LLAMA_CMAKE)" $(PY) -m pip wheel -q --no-deps --no-cache-dir -w $(WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(PY) -m pip install -q --no-deps --force-reinstall $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
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
	$(VENV)/bin/ruff format --check -q rag tests
	$(PY) -m pytest -q

# Speed and memory, measured (not tested): one table, written to bench/results.md.
bench: setup
	$(PY) bench/bench.py

eval: setup
	$(VENV)/bin/rag eval eval/seeds_dev.jsonl --out eval/results.jsonl --report eval/report.html

clean:
	rm -rf index/gen-* index/CURRENT index/corpora artifacts
