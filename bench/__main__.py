"""Run every benchmark module in this package, or the ones named: ``python -m bench validate``."""

import importlib
import pkgutil
import sys
from pathlib import Path

SUFFIX = "_bench"


def available() -> list[str]:
    """The benchmark names, from the ``*_bench`` modules beside this file."""
    found = pkgutil.iter_modules([str(Path(__file__).parent)])
    return sorted(module.name.removesuffix(SUFFIX) for module in found if module.name.endswith(SUFFIX))


def main(names: list[str]) -> int:
    known = available()
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; available: {', '.join(known)}", file=sys.stderr)
        return 2
    for name in names or known:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}{SUFFIX}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
