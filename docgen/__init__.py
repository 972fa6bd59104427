"""docgen: typed report objects to well-formed Chinese Word documents."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from docgen import cn
from docgen.errors import DocgenError

try:
    __version__ = version("docgen-cn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["DocgenError", "__version__", "cn"]
