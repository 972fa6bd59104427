"""docgen's version, from the installed distribution's metadata.

A module of its own so that ``docgen --version`` (and anything else that needs only the
version) reads it without importing the rest of docgen.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("docgen-cn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
