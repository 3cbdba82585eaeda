# Journey: the two commands a newcomer needs are `make up` and `make test`.
# Everything else they need is installed here, from the package registries only.

SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PY := .venv/bin

.PHONY: up test lint fmt bench deps check-generated pytest clean

up: deps
	$(PY)/journey up

test: deps lint pytest

deps: $(UV) .venv/.synced

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

lint: deps
	$(PY)/ruff check src tests bench
	$(PY)/ruff format --check src tests bench
	$(PY)/mypy

pytest: deps
	$(PY)/pytest

fmt: deps
	$(PY)/ruff check --fix src tests bench
	$(PY)/ruff format src tests bench

bench: deps
	$(PY)/python -m bench

clean:
	rm -rf .venv .tools .journey .pytest_cache .mypy_cache .ruff_cache
