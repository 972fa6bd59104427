"""Limits on what one input may ask for, each with the setting that changes it.

A small hostile input must never cost gigabytes or minutes.  Every limit docgen keeps is
stated here, once: the time a render may take, what a template may build (kept by
:mod:`docgen.sandbox`), what a template package may hold (kept by :mod:`docgen.ooxml`), and
what data may ask for (tables, pictures, record files, data files).  Each is checked where the
input is read, and a request past a limit is a clear error naming the limit and the way to
raise it: the environment variable next to it (read when docgen is imported, or when the
limit is checked for those with a function), or the module attribute itself.
"""

from __future__ import annotations

import math
import os

from docgen.errors import PackageError
from docgen.i18n import _, lazy

__all__ = [
    "DATA_NODES_SETTING",
    "MAX_BUILT",
    "MAX_DATA_DEPTH",
    "MAX_DATA_NODES",
    "MAX_INT_BITS",
    "MAX_OUTPUT",
    "MAX_PARTS",
    "MAX_PICTURE_BYTES",
    "MAX_RECORDS",
    "MAX_TABLE_COLUMNS",
    "MAX_TAGS",
    "MAX_TEXT",
    "MAX_UNPACKED",
    "PICTURE_SETTING",
    "PROCESS_TIMEOUT",
    "RECORDS_SETTING",
    "RENDER_TIMEOUT",
    "UNPACKED_SETTING",
    "data_node_limit",
    "megabytes",
    "picture_limit",
    "record_limit",
    "unpacked_limit",
]


def _setting(name: str, default: int, *, scale: int = 1) -> int:
    """The environment variable *name* as a positive number times *scale*, else *default*.

    A value that is not a positive number keeps the default (a limit is never lifted by a
    typing mistake).
    """
    try:
        value = float(os.environ.get(name, "").strip())
    except ValueError:
        return default
    return round(value * scale) if math.isfinite(value) and value > 0 else default


# --- what a template may build and how long it may take (kept by docgen.sandbox) -------------

RENDER_TIMEOUT: float | None = None
"""Seconds a library render may take before :class:`~docgen.errors.RenderTimeoutError`.

None (the default): no limit unless ``render(..., timeout=…)`` or the environment variable
``DOCGEN_RENDER_TIMEOUT`` sets one.  The ``docgen`` command and batch workers use
:data:`PROCESS_TIMEOUT`.
"""

PROCESS_TIMEOUT = 60.0
"""The time limit of a render in a process docgen owns (the CLI, batch workers), in seconds."""

MAX_TEXT = _setting("DOCGEN_MAX_TEXT", 10_000_000)
"""The most characters (or items) one template expression may build: ``'x' * n``, ``~``, …"""

MAX_INT_BITS = _setting("DOCGEN_MAX_INT_BITS", 100_000)
"""The largest integer (in bits, about 30,000 digits) one template expression may build."""

MAX_OUTPUT = _setting("DOCGEN_MAX_OUTPUT", 100_000_000)
"""The most characters one part (``word/document.xml``, a header, …) may render to."""

MAX_BUILT = _setting("DOCGEN_MAX_BUILT", 200_000_000)
"""The most characters (or items) all of one render's expressions may build together.

Each value is bounded by :data:`MAX_TEXT`; this bounds their sum, so a loop building
just-under-limit values again and again stops too (a budget, like memory, for the render).
"""

MAX_TAGS = _setting("DOCGEN_MAX_TAGS", 20_000)
"""The most Jinja tags one part of a template may hold (a school's template holds hundreds)."""

# --- what a template package may hold (kept by docgen.ooxml) ------------------------------------

MAX_UNPACKED = 200 * 1024 * 1024
"""The most bytes a ``.docx`` may unpack to (200 MB), so a zip bomb is refused, not unpacked.

Raise it per call (``Template.load(..., max_unpacked=...)``) or for the process with the
``DOCGEN_MAX_UNPACKED_MB`` environment variable.
"""

MAX_PARTS = _setting("DOCGEN_MAX_PARTS", 10_000)
"""The most parts (zip members) a ``.docx`` may hold; a Word document has a few dozen."""

# --- what data may ask for ---------------------------------------------------------------------

MAX_TABLE_COLUMNS = 63
"""The most grid columns a table may have, counting ``colspan``: Word's own limit."""

MAX_PICTURE_BYTES = 50 * 1024 * 1024
"""The most bytes one picture file may hold (50 MB; ``DOCGEN_MAX_PICTURE_MB`` changes it)."""

PICTURE_SETTING = "DOCGEN_MAX_PICTURE_MB"


def picture_limit() -> int:
    """The picture size limit in bytes: ``DOCGEN_MAX_PICTURE_MB`` when set and valid.

    >>> picture_limit() == MAX_PICTURE_BYTES or PICTURE_SETTING in os.environ
    True
    """
    return _setting(PICTURE_SETTING, MAX_PICTURE_BYTES, scale=1024 * 1024)


MAX_RECORDS = 100_000
"""The most records one record file (CSV, XLSX, JSON, YAML) may hold for a batch."""

RECORDS_SETTING = "DOCGEN_MAX_RECORDS"


def record_limit() -> int:
    """The record limit: ``DOCGEN_MAX_RECORDS`` when set to a whole number, else the default.

    >>> record_limit() == MAX_RECORDS or RECORDS_SETTING in os.environ
    True
    """
    return _setting(RECORDS_SETTING, MAX_RECORDS)


MAX_DATA_DEPTH = _setting("DOCGEN_MAX_DATA_DEPTH", 64)
"""How deep a data file's lists and tables may nest (a report needs about fifteen levels)."""

MAX_DATA_NODES = 1_000_000
"""The most values one YAML data file may stand for once its aliases are expanded."""

DATA_NODES_SETTING = "DOCGEN_MAX_DATA_VALUES"


def data_node_limit() -> int:
    """The expanded-values limit: ``DOCGEN_MAX_DATA_VALUES`` when set, else the default."""
    return _setting(DATA_NODES_SETTING, MAX_DATA_NODES)


#: The environment variable that sets the unpacked-size limit of a package, in MB.
UNPACKED_SETTING = "DOCGEN_MAX_UNPACKED_MB"


def unpacked_limit() -> int:
    """The unpacked-size limit in bytes: ``DOCGEN_MAX_UNPACKED_MB`` when set, else the default."""
    setting = os.environ.get(UNPACKED_SETTING, "").strip()
    if not setting:
        return MAX_UNPACKED
    try:
        size = float(setting)
    except ValueError:
        size = -1.0
    if not size > 0:
        raise PackageError(
            lazy("is not a size"),
            where=lazy("the environment variable {name}", name=UNPACKED_SETTING),
            expected=lazy("a positive number of megabytes, such as 500"),
            found=repr(setting),
            code="settings.invalid",
        )
    return int(size * 1024 * 1024)


def megabytes(size: int) -> str:
    """*size* for people: ``3 MB``, or ``512 bytes`` below a megabyte (in the current language)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.0f} MB"
    return _("{size} bytes", size=format(size, ","))
