"""The designer's generated inputs (web/src/api/openapi.json, node-types.json) match the API
and the node registry; `make web-types` rewrites them (and schema.d.ts, checked by vitest)."""

import json
from pathlib import Path

import pytest
from scripts.gen_web_types import generated


@pytest.mark.parametrize("path", list(generated()), ids=lambda path: Path(path).name)
def test_generated_file_is_up_to_date(path: Path) -> None:
    expected = generated()[path]
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != expected:
        pytest.fail(f"{path} is stale: the API or the node registry changed; run `make web-types`")
    json.loads(current)
