"""``journey validate FILE...``: check journey documents the way publishing will.

One line per issue, ``file: node: code: message``, so the output greps and reads like a
compiler's. Exit 0 when no file has errors (warnings alone pass), 1 when one has, 2 when a file
could not be used at all: a broken file is a different problem from a broken journey.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from journey.cli.loading import LoadError, load_document
from journey.cli.output import EXIT_PROBLEMS, EXIT_UNUSABLE, print_json, stderr, stdout

if TYPE_CHECKING:
    from journey.dsl.issues import Issue

_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow"}


@dataclass(frozen=True)
class FileReport:
    """What checking one file found; ``error`` says why the file could not be checked at all."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    error: str | None = None

    @property
    def valid(self) -> bool:
        from journey.dsl.issues import has_errors

        return self.error is None and not has_errors(self.issues)

    def to_json(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "file": self.file,
            "valid": self.valid,
            "issues": [item.model_dump(mode="json", exclude_none=True) for item in self.issues],
        }
        if self.error is not None:
            report["error"] = self.error
        return report


def validate_command(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Journey documents, JSON or YAML.", show_default=False),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print [{"file", "valid", "issues"}] as JSON.')
    ] = False,
) -> None:
    """Check journey documents: print each issue, exit 1 if any has errors."""
    reports = [check_file(path) for path in files]
    if as_json:
        print_json([report.to_json() for report in reports])
    else:
        for report in reports:
            _print_report(report)
    if any(report.error is not None for report in reports):
        raise typer.Exit(EXIT_UNUSABLE)
    if not all(report.valid for report in reports):
        raise typer.Exit(EXIT_PROBLEMS)


def check_file(path: Path) -> FileReport:
    """Load and validate one file; never raises."""
    from journey.dsl.validate import validate

    try:
        document = load_document(path)
    except LoadError as error:
        return FileReport(str(path), error=str(error))
    return FileReport(str(path), validate(document))


def print_issues(source: str, issues: list[Issue]) -> None:
    """Each issue as ``file: node: code: message``, the code coloured by severity on a terminal."""
    for item in issues:
        line = Text(f"{source}: {item.node_id or '-'}: ")
        line.append(item.code, style=_SEVERITY_STYLES[item.severity])
        line.append(f": {item.message}")
        stdout.print(line)


def _print_report(report: FileReport) -> None:
    if report.error is not None:
        stderr.print(report.error, markup=False)
    elif report.issues:
        print_issues(report.file, report.issues)
    else:
        stdout.print(f"{report.file}: valid", markup=False)
