"""The installed ``journey`` console script, run as a real process: exit codes and clean output."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOURNEY = Path(sys.executable).parent / "journey"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JOURNEY), *args], capture_output=True, text=True, timeout=60, check=False)


def test_validate_reports_issues_and_unusable_files_without_tracebacks(
    write_json: Any, tmp_path: Path
) -> None:
    broken = write_json("broken.json", {"key": "broken", "name": "Broken", "nodes": []})
    missing = tmp_path / "missing.yaml"
    done = _run("validate", str(EXAMPLES / "loyalty-loop.json"), str(broken), str(missing))
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == f"{EXAMPLES / 'loyalty-loop.json'}: valid"
    assert f"{broken}: -: no_trigger: " in done.stdout
    assert done.stderr == f"{missing}: cannot read: No such file or directory\n"


def test_simulate_prints_json_that_programs_can_read() -> None:
    done = _run(
        "simulate",
        str(EXAMPLES / "re-engagement.json"),
        "--input",
        '{"days_inactive": 40}',
        "--user",
        '{"id": "u4", "email": "u4@example.com"}',
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "completed"
    assert result["path"] == ["went_inactive", "ab", "wait_return", "mark_dormant", "done"]
