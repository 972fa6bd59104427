"""Record sets for batch rendering: a spreadsheet row, or a list item, is one record.

CSV and XLSX columns map to fields; a dotted column name (``student.name``) nests.  JSON and
YAML files hold a list of records (or a mapping with a ``records`` list).  Each record keeps a
label naming where it came from (``row 5`` is the fifth line of the sheet, the header being
row 1), so an error in one record says where to look.
"""

from __future__ import annotations

import collections
import csv
import io
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docgen.errors import DataError, DocgenWarning, Text
from docgen.files import decode_text
from docgen.i18n import _, lazy
from docgen.limits import RECORDS_SETTING, record_limit
from docgen.loaders import parse_data

__all__ = ["nest", "read_records"]


def nest(flat: Mapping[str, Any], where: str = "record") -> dict[str, Any]:
    """Turn dotted keys into nested mappings.

    >>> nest({"student.name": "张三", "student.class": "三(2)班", "comment": "认真"})
    {'student': {'name': '张三', 'class': '三(2)班'}, 'comment': '认真'}
    """
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if key is None or not str(key).strip():
            continue
        parts = [p.strip() for p in str(key).split(".")]
        node = out
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise DataError(
                    lazy("uses a column name both as a value and as a group"),
                    where=where,
                    expected=lazy("either {part} or {part}.…, not both", part=part),
                    found=str(key),
                    code="data.columns",
                )
            node = child
        if parts[-1] in node and isinstance(node[parts[-1]], dict):
            raise DataError(
                lazy("uses a column name both as a value and as a group"),
                where=where,
                expected=lazy("either {key} or {key}.…, not both", key=key),
                found=str(key),
                code="data.columns",
            )
        node[parts[-1]] = value
    return out


def _csv(text: str, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        yield from _csv_rows(reader, path)
    except csv.Error as exc:  # a cell over csv's field limit, a NUL byte, a broken quote
        raise DataError(
            lazy("cannot be read as CSV ({exc})", exc=exc),
            where=lazy(
                "{path}, row {row}", path=path, row=reader.line_num + 1
            ),  # the row it could not finish
            expected=lazy(
                "cells of at most {field_size_limit:,} characters, quotes closed",
                field_size_limit=csv.field_size_limit(),
            ),
            code="data.syntax",
        ) from None


def _csv_rows(reader: csv.DictReader[str], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not reader.fieldnames:
        raise DataError(
            lazy("has no header row"),
            where=path,
            expected=lazy("a first row naming the columns (e.g. name,class,comment)"),
            code="data.columns",
        )
    _check_header(
        [str(n).strip() for n in reader.fieldnames], lazy("{path}, row {row}", path=path, row=1)
    )
    for row in reader:
        label = f"row {reader.line_num}"
        if None in row:
            raise DataError(
                lazy("has more cells than the header has columns"),
                where=lazy("{path}, row {row}", path=path, row=reader.line_num),
                expected=lazy("{n} cells", n=len(reader.fieldnames)),
                found=lazy("extra cells {row!r}", row=row[None]),
                code="data.columns",
            )
        if not any((v or "").strip() for v in row.values()):
            continue  # a blank line
        # a short row leaves its last cells out (None): those fields are absent, not empty;
        # a cell of spaces only is empty, as it looks in a spreadsheet
        present = {k: v if v.strip() else "" for k, v in row.items() if v is not None}
        yield label, nest(present, f"{path}, {label}")


def _xlsx(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        import openpyxl  # noqa: PLC0415 - only batch from spreadsheets needs it
    except ImportError:  # pragma: no cover - a dependency
        raise DataError(
            lazy("needs openpyxl to be read"),
            where=str(path),
            expected=lazy("pip install openpyxl"),
            code="data.openpyxl_missing",
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DataError(
            lazy("is not a readable Excel workbook"),
            where=str(path),
            expected=lazy("an .xlsx file"),
            found=lazy("{kind}: {exc}", kind=type(exc).__name__, exc=exc),
            code="data.unreadable",
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        first = next(rows, None)
        header = [cell.value for cell in first] if first is not None else None
        if not header or not any(header):
            raise DataError(
                lazy("has no header row"),
                where=f"{path} ({sheet.title})",
                expected=lazy("a first row naming the columns"),
                code="data.columns",
            )
        names = [str(h).strip() if h is not None else "" for h in header]
        _check_header(
            names, lazy("{path} ({sheet}), row {row}", path=path, sheet=sheet.title, row=1)
        )
        blank: list[str] = []  # formula cells whose value was never saved
        for number, cells in enumerate(rows, start=2):
            values = [cell.value for cell in cells]
            if not any(v not in (None, "") for v in values):
                continue
            label = f"row {number}"
            blank.extend(
                f"{label} {name}"
                for name, cell in zip(names, cells, strict=False)
                if name and cell.value is None and type(cell).__name__ != "EmptyCell"
            )
            record = {n: _cell(v) for n, v in zip(names, values, strict=False) if n}
            yield label, nest(record, f"{path}, {label}")
        if blank:
            shown = ", ".join(blank[:5])
            if len(blank) > 5:
                shown += _(" and {n} more", n=len(blank) - 5)
            warnings.warn(
                DocgenWarning(
                    lazy(
                        "{path}: {n} cell(s) hold a formula whose value was never saved "
                        "({cells}); they were read as empty. Open the file in Excel or WPS and "
                        "save it, so that the values are computed and kept",
                        path=path,
                        n=len(blank),
                        cells=shown,
                    )
                ),
                stacklevel=2,
            )
    finally:
        book.close()


def _cell(value: Any) -> Any:
    """A spreadsheet cell's value; an empty cell, or one of spaces only, is ``""``."""
    return "" if value is None or (isinstance(value, str) and not value.strip()) else value


def _listed(data: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(data, Mapping) and "records" in data:
        data = data["records"]
    if not isinstance(data, list):
        raise DataError(
            lazy("holds no list of records"),
            where=path,
            expected=lazy("a list of records, or a mapping with a records: list"),
            found=type(data).__name__,
            code="data.wrong_type",
        )
    for n, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise DataError(
                lazy("is not a record"),
                where=lazy("{path}, record {n}", path=path, n=n),
                expected=lazy("a mapping of field names to values"),
                found=type(item).__name__,
                code="data.wrong_type",
            )
        yield f"record {n}", dict(item)


def read_records(path: str | Path, *, limit: int | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Read a record set: ``.csv``, ``.xlsx``, ``.json``, ``.yaml``/``.yml``.

    Returns ``(label, record)`` pairs; blank rows are skipped. CSV, JSON and YAML text is
    decoded by :func:`docgen.files.decode_text` (UTF-8, UTF-16 with its mark, or GBK/GB18030 —
    as Excel in China saves CSV — with a :class:`~docgen.errors.DocgenWarning`).

    At most *limit* records are read (default: ``DOCGEN_MAX_RECORDS``, 100,000), counted
    while the file is read.

    Raises:
        DataError: the file is missing, of an unknown kind (an old ``.xls`` is refused with
            how to convert it), or malformed (naming the row), or holds more than *limit*
            records.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise DataError(
            lazy("does not exist"),
            where=str(p),
            expected=lazy("a .csv, .xlsx, .json or .yaml file of records"),
            code="data.not_found",
        )
    if suffix == ".xls" or (suffix == ".xlsx" and _is_old_excel(p)):
        raise DataError(
            lazy("is an Excel 97-2003 workbook (.xls), which docgen does not read"),
            where=str(p),
            expected=lazy(
                "an .xlsx or .csv file: open it in Excel or WPS and save it as “Excel "
                "工作簿 (*.xlsx)”, or run: soffice --headless --convert-to xlsx FILE.xls"
            ),
            found=lazy("the Excel 97-2003 format"),
            code="data.format",
        )
    if suffix == ".xlsx":
        return _bounded(_xlsx(p), str(p), limit)
    if suffix not in {".csv", ".json", ".yaml", ".yml"}:  # before reading a byte of it
        raise DataError(
            lazy("is not a kind of record file docgen reads"),
            where=str(p),
            expected=lazy(".csv, .xlsx, .json, .yaml or .yml"),
            found=suffix or "no suffix",
            code="data.format",
        )
    text = decode_text(p.read_bytes(), str(p))
    if suffix == ".csv":
        return _bounded(_csv(text, str(p)), str(p), limit)
    data = parse_data(text, "json" if suffix == ".json" else "yaml", str(p))
    return _bounded(_listed(data, str(p)), str(p), limit)


# The compound-file signature every Excel 97-2003 workbook starts with (a renamed .xls).
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_old_excel(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(_OLE_SIGNATURE)) == _OLE_SIGNATURE


def _bounded(
    records: Iterator[tuple[str, dict[str, Any]]], path: str, given: int | None
) -> list[tuple[str, dict[str, Any]]]:
    """The records, read one by one and stopped past :func:`docgen.limits.record_limit`.

    The limit is checked while the file is read, so a small workbook that unpacks to millions
    of rows costs the limit, not the millions.
    """
    limit = record_limit() if given is None else given
    raise_it = "" if given is not None else f", or a higher limit in {RECORDS_SETTING}"
    out: list[tuple[str, dict[str, Any]]] = []
    for record in records:
        if len(out) >= limit:
            raise DataError(
                lazy("holds more than the {limit:,} records a batch may have", limit=limit),
                where=path,
                expected=lazy("a smaller record file{raise_it}", raise_it=raise_it),
                found=lazy("more than {limit:,} records", limit=limit),
                code="data.too_large",
            )
        out.append(record)
    return out


def _check_header(names: list[str], where: Text) -> None:
    """A column named twice would silently lose one of them: refuse it, naming the name."""
    counts = collections.Counter(n for n in names if n)
    twice = sorted(n for n, count in counts.items() if count > 1)
    if twice:
        raise DataError(
            lazy("names a column twice"),
            where=where,
            expected=lazy("every column name once in the header row"),
            found=", ".join(twice),
            code="data.columns",
        )
