"""Pin every dependency pyproject.toml declares to the lowest version it allows.

    python tools/min_deps.py > min-constraints.txt                # the runtime dependencies
    python tools/min_deps.py --extra web > min-constraints.txt    # and the web extra's

Each ``name>=X`` (``name>=X,<Y`` too) becomes ``name==X``, environment markers kept, so
``pip install -c min-constraints.txt .`` installs the oldest versions docgen says it works with.
A dependency without a lower bound is an error: "the oldest version" would mean nothing.
``.ci/run`` installs these minimums in a venv of their own and runs a smoke subset of the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def lowest(requirement: str) -> str:
    """``name==X`` for a requirement whose lowest allowed version is X (markers kept).

    >>> lowest("docxtpl>=0.17,<0.21")
    'docxtpl==0.17'
    >>> lowest("tomli>=2.0; python_version < '3.11'")
    'tomli==2.0; python_version < "3.11"'
    >>> lowest("mkdocstrings[python]>=1.0")
    'mkdocstrings==1.0'
    """
    req = Requirement(requirement)
    floors = [spec.version for spec in req.specifier if spec.operator in (">=", "==", "~=")]
    if len(floors) != 1:
        raise SystemExit(f"{requirement!r}: expected one lower bound (>=X), found {len(floors)}")
    marker = f"; {req.marker}" if req.marker else ""
    return f"{req.name}=={floors[0]}{marker}"


def constraints(pyproject: Path, extras: list[str]) -> list[str]:
    """The lowest-version pins of the runtime dependencies and of *extras*."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return [lowest(r) for r in requirements]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", action="append", default=[], help="also pin this extra")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    print("\n".join(constraints(args.pyproject, args.extra)))


if __name__ == "__main__":
    main()
