"""Limits on what one input may ask for, each with the setting that changes it.

A small hostile input must never cost gigabytes or minutes: what it may ask for is bounded
here, checked where the input is read, and a request past a limit is a clear error naming the
limit and the way to raise it.  (The sandbox's limits on what a template builds live in
:mod:`docgen.sandbox`, a package's in :mod:`docgen.ooxml`.)
"""

from __future__ import annotations

import math
import os

__all__ = [
    "DATA_NODES_SETTING",
    "MAX_DATA_DEPTH",
    "MAX_DATA_NODES",
    "MAX_PICTURE_BYTES",
    "MAX_RECORDS",
    "MAX_TABLE_COLUMNS",
    "PICTURE_SETTING",
    "RECORDS_SETTING",
    "data_node_limit",
    "picture_limit",
    "record_limit",
]

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


MAX_DATA_DEPTH = 64
"""How deep a data file's lists and tables may nest (a report needs about fifteen levels)."""

MAX_DATA_NODES = 1_000_000
"""The most values one YAML data file may stand for once its aliases are expanded."""

DATA_NODES_SETTING = "DOCGEN_MAX_DATA_VALUES"


def data_node_limit() -> int:
    """The expanded-values limit: ``DOCGEN_MAX_DATA_VALUES`` when set, else the default."""
    return _setting(DATA_NODES_SETTING, MAX_DATA_NODES)


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
