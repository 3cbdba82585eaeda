# Journey: the two commands a newcomer needs are `make up` and `make test`.
# Everything else they need is installed here, from the package registries only.

SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PY := .venv/bin

.PHONY: up test lint fmt bench deps check-generated pytest clean

up: deps web-build
	$(PY)/journey up

test: deps lint web-test web-build e2e-deps pytest

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
	rm -rf web/node_modules web/dist test-results

# The designer (web/): Node 20 and npm from the machine, packages from the npm registry.
.PHONY: web-deps web-build web-test web-types e2e-deps
WEB_INPUTS := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

web-deps: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web-build: web/dist/index.html

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_INPUTS)
	cd web && npm run build
	touch $@

web-test: web-deps
	cd web && npm run typecheck && npm run lint && npm test

# Regenerate what the designer is generated from (the OpenAPI, the node registry, the TS types).
web-types: deps web-deps
	$(PY)/python scripts/gen_web_types.py
	cd web && npm run gen:types

# Debian's Chromium for the browser tests (tests/e2e); Playwright never downloads a browser.
e2e-deps:
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
