"""Write what the designer is generated from: the API's OpenAPI and the node registry.

    python scripts/gen_web_types.py          # write web/src/api/{openapi,node-types,journey-schema}.json
    python scripts/gen_web_types.py --check  # exit 1 when a written file is stale

``make web-types`` runs this and then openapi-typescript (openapi.json -> schema.d.ts). The
designer reads node types and the document schema from the API at run time;
``node-types.json`` and ``journey-schema.json`` are the copies its unit tests run against.
``tests/e2e/test_generated.py`` (the JSON files) and a vitest test (schema.d.ts) fail when stale.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from journey.api.app import create_app
from journey.api.state import ApiState
from journey.dsl.schema import journey_schema, node_types_payload
from journey.settings import Settings
from journey.store.database import Database
from journey.store.sql_event_log import SqlEventLog

ROOT = Path(__file__).resolve().parents[1]
API_DIR = ROOT / "web" / "src" / "api"


def openapi() -> dict[str, Any]:
    """The OpenAPI document of the app (no request is served: the database is never opened)."""
    database = Database.connect("sqlite+aiosqlite://")
    state = ApiState(settings=Settings(), database=database, events=SqlEventLog(database), temporal=None)
    return create_app(state).openapi()


def generated() -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    return {
        API_DIR / "openapi.json": _dump(openapi()),
        API_DIR / "node-types.json": _dump(node_types_payload()),
        API_DIR / "journey-schema.json": _dump(journey_schema()),
    }


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args()
    stale = []
    for path, text in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        names = ", ".join(str(path.relative_to(ROOT)) for path in stale)
        print(f"stale: {names}; run `make web-types`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
