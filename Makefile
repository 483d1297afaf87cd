# `make run` and `make test` work on a fresh machine: they set up .venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
# The default reader (rag/answer/models.py DOWNLOADS): ~1.1 GB from PyPI, joined and sha256-checked once.
READER := qwen2.5-coder-1.5b
PORT   ?= 7860

# llama.cpp with runtime dispatch: CPU kernels for several x86-64 levels are built as
# libggml-cpu-<level>.so beside libllama, and ggml loads the best one the CPU has
# (rag.answer.generation.llama_cpp asks it to). One wheel is right on any machine, so a wheel built on
# one and cached never runs kernels another CPU lacks. Of llama.cpp's 14 x86 levels five are
# built: x64 (any CPU), haswell (AVX2), skylakex (AVX-512), zen4 (AVX-512 with VNNI and BF16) and
# sapphirerapids (those and Intel's AMX matrix units); a CPU between two levels loads the lower
# one. All 14 took ~25 min on 2 cores, most of CI's time.
# Built once from the sdist unpacked under $(LLAMA_HOME), in a kept build folder that `make bench`
# reuses for llama.cpp's own llama-bench.
LLAMA_VERSION := 0.3.36
space := $(subst ,, )
LLAMA_CMAKE   := -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON \
                 -DCMAKE_INSTALL_BINDIR=llama_cpp/lib -DLLAVA_BUILD=OFF
LLAMA_SKIPPED := sse42 sandybridge ivybridge piledriver cannonlake cascadelake icelake cooperlake \
                 alderlake
# ggml's AMX kernels build their tile configuration on the stack and hand it to ldtilecfg, whose
# builtin GCC does not treat as reading memory: the stores are dropped and the first tile
# instruction dies (SIGILL) on a Xeon with AMX. Kept in thread-local storage, the configuration
# is written. With it, the reader reads its prompt at 194 tok/s there against 118 with the zen4
# kernels (Qwen2.5-Coder-1.5B Q4_K_M, 2 threads).
LLAMA_AMX_FIX := s/^( *)alignas\(64\) tile_config_t tc = \{\};/\1alignas(64) static thread_local tile_config_t tc;/
LLAMA_HOME    := $(HOME)/.cache/rag-llama
LLAMA_SRC     := $(LLAMA_HOME)/src/llama_cpp_python-$(LLAMA_VERSION)
LLAMA_BUILD   := $(LLAMA_HOME)/build
# a wheel cached by an older recipe is not reused: its folder is named after the recipe
LLAMA_RECIPE  := $(shell printf '%s' '$(LLAMA_CMAKE) $(LLAMA_SKIPPED) $(LLAMA_AMX_FIX)' | sha256sum | cut -c1-12)
WHEELS        := $(LLAMA_HOME)/wheels/$(LLAMA_RECIPE)
LLAMA_WHEEL   := $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-py3-none-linux_x86_64.whl
LLAMA_BENCH   := $(LLAMA_BUILD)/bin/llama-bench

.PHONY: setup browser index run check test lint bench eval clean models decision

setup: $(STAMP)

# torch first, pinned to the CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	test -f $(LLAMA_WHEEL) || $(MAKE) --no-print-directory $(LLAMA_WHEEL)
	$(PY) -m pip install -q --no-deps --force-reinstall $(LLAMA_WHEEL)
	$(PY) -m pip install -q -e '.[dev]'
	$(VENV)/bin/rag models quantize
	$(VENV)/bin/rag models install $(READER)
	touch $@

$(LLAMA_WHEEL):
	rm -rf $(LLAMA_HOME)/src $(LLAMA_BUILD)
	mkdir -p $(LLAMA_HOME)/src
	$(PY) -m pip download -q --no-deps --no-binary :all: -d $(LLAMA_HOME)/src llama-cpp-python==$(LLAMA_VERSION)
	tar xzf $(LLAMA_HOME)/src/llama_cpp_python-$(LLAMA_VERSION).tar.gz -C $(LLAMA_HOME)/src
	sed -i -E 's/^( *)(ggml_add_cpu_backend_variant\(($(subst $(space),|,$(strip $(LLAMA_SKIPPED)))) )/\1# \2/' \
	  $(LLAMA_SRC)/vendor/llama.cpp/ggml/src/CMakeLists.txt
	sed -i -E '$(LLAMA_AMX_FIX)' $(LLAMA_SRC)/vendor/llama.cpp/ggml/src/ggml-cpu/amx/mmq.cpp
	grep -q 'static thread_local tile_config_t tc;' $(LLAMA_SRC)/vendor/llama.cpp/ggml/src/ggml-cpu/amx/mmq.cpp
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(PY) -m pip wheel -q --no-deps --no-cache-dir \
	  --config-settings=build-dir=$(LLAMA_BUILD) -w $(WHEELS) $(LLAMA_SRC)

# llama.cpp's own benchmark from the same source and build folder (only the tool is compiled).
$(LLAMA_BENCH): $(LLAMA_WHEEL)
	test -f $(LLAMA_BUILD)/CMakeCache.txt || { rm -f $(LLAMA_WHEEL); $(MAKE) --no-print-directory $(LLAMA_WHEEL); }
	cmake -S $(LLAMA_SRC) -B $(LLAMA_BUILD) -DLLAMA_BUILD_TOOLS=ON -Wno-dev >/dev/null
	cmake --build $(LLAMA_BUILD) --target llama-bench -j 2

# The packaged model requantized to the format measured fastest here (make setup runs it too).
models: setup
	$(VENV)/bin/rag models quantize

# Debian's chromium for the browser tests (Playwright drives it by executable_path), and
# axe-core from npm, which the accessibility test injects into the page.
AXE_VERSION := 4.14.1
AXE         := $(VENV)/node_modules/axe-core/axe.min.js

browser: $(AXE)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

$(AXE):
	@command -v npm >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q npm; }
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV) axe-core@$(AXE_VERSION)

index: setup
	$(VENV)/bin/rag index

# Off loopback (HOST=0.0.0.0) the chat starts only with a login, AUTH=user:password or AUTH=FILE,
# or questions-only, READ_ONLY=1.
run: index
	$(VENV)/bin/rag serve --host $(HOST) --port $(PORT) $(if $(AUTH),--auth '$(AUTH)') $(if $(READ_ONLY),--read-only)

# The fast tier, for every few minutes: lint, the type checker, and every test that loads no
# model (no e2e, browser or model marker). `make test` (what CI runs) runs everything.
check: setup
	$(VENV)/bin/ruff check rag tests
	$(VENV)/bin/ruff format --check -q rag tests
	$(VENV)/bin/mypy rag
	$(PY) -m pytest -q -m "not e2e and not browser and not model"

# KERNELS=haswell (or any libggml-cpu-* variant this CPU runs) tests under those kernels alone:
# answers may differ between kernels, and a test of the model's behaviour must hold on each.
test: setup browser
	$(VENV)/bin/ruff check rag tests
	$(VENV)/bin/ruff format --check -q rag tests
	$(VENV)/bin/mypy rag
	$(if $(KERNELS),RAG_CPU_KERNELS=$(KERNELS)) $(PY) -m pytest -q --durations=15

# Speed and memory, measured (not tested): one table, written to bench/results.md.
bench: setup $(LLAMA_BENCH)
	LLAMA_BENCH=$(LLAMA_BENCH) $(PY) bench/bench.py

eval: setup
	$(VENV)/bin/rag eval eval/seeds_dev.jsonl --out eval/results.jsonl --report eval/report.html

# The calibrated check's weights (rag/answer/decision_weights.json): the training split (seeds_dev and
# realtimeqa questions 0–59; scored on seeds_heldout, squad2 250–499, realtimeqa 100–205 and RGB) read by the default reader with the check off, then fitted (see
# rag/measure/train_decision.py). About an hour on AVX2.
BENCH := ../shared/bench
decision: setup
	mkdir -p artifacts/decision
	$(VENV)/bin/rag eval eval/seeds_dev.jsonl --policy min_confidence=0 --out artifacts/decision/seeds_dev.jsonl
	$(VENV)/bin/rag eval $(BENCH)/realtimeqa_2022/questions.jsonl --corpus $(BENCH)/realtimeqa_2022/docs \
	  --limit 60 --policy min_confidence=0 --out artifacts/decision/realtimeqa_0_59.jsonl
	$(PY) -m rag.measure.train_decision artifacts/decision/*.jsonl

# The indexes go; each corpus's trash of removed documents and its log of changes stay (a
# removal stays recoverable for its 30 days).
clean:
	rm -rf index/gen-* index/CURRENT artifacts
	[ ! -d index/corpora ] || find index/corpora -mindepth 2 -maxdepth 2 ! -name .trash ! -name changes.jsonl -exec rm -rf {} +
