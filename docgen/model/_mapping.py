"""Plain data → a :class:`~docgen.model.Report`, with one error naming every problem."""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from cattrs.errors import BaseValidationError

from docgen.errors import DataError, DocgenError
from docgen.i18n import lazy
from docgen.model._blocks import Image
from docgen.model._problems import _data_error, _problems
from docgen.model._report import Report, map_images
from docgen.model._structure import _converter, _found


def report_from_mapping(
    data: Mapping[str, Any],
    *,
    source: str = "<data>",
    base_dir: str | os.PathLike[str] | None = None,
    allow_files: bool = True,
) -> Report:
    """Build a :class:`Report` from plain data (parsed YAML/JSON/TOML, or an HTTP request).

    *source* names the data in error messages.  A picture's ``source`` is a file path or the
    picture itself as a ``data:`` URL (``data:image/png;base64,…``), which becomes its bytes.
    With *base_dir*, relative paths are taken relative to it (``load_report`` passes the data
    file's folder).  ``allow_files=False`` refuses file paths: pass it for data from
    someone else (a request, an upload), which must not name files on your machine to read.

    >>> report = report_from_mapping({
    ...     "title": "2013学年第一学期党支部工作小结",
    ...     "term": "2013学年第一学期",
    ...     "sections": [{"title": "围绕主题，开展学习活动", "blocks": ["在本学期活动中，……"]}],
    ...     "signature": {"org": "徐汇区东二小学党支部", "date": "2014-01"},
    ... })
    >>> report.sections[0].blocks[0].text, report.signature.date
    ('在本学期活动中，……', datetime.date(2014, 1, 1))
    >>> report_from_mapping({"title": "小结", "sectoins": []}, source="x.yaml")
    Traceback (most recent call last):
    ...
    docgen.errors.DataError: x.yaml: sectoins: is not a known key (did you mean sections?);
      expected one of title, status, intro, sections, closing, signature, term, attachments,
      extra, template
    >>> photo = {"type": "image", "source": "/etc/passwd"}
    >>> report_from_mapping({"title": "题", "intro": [photo]}, source="request", allow_files=False)
    Traceback (most recent call last):
    ...
    docgen.errors.DataError: request: intro[0].source: is a file path, and this data may not
      name files; expected the picture itself as a data: URL (data:image/png;base64,…);
      found '/etc/passwd'
    """
    if not isinstance(data, Mapping):
        raise DataError(
            lazy("must hold a mapping of report fields at the top level"),
            where=source,
            expected=lazy("keys such as title:, sections:"),
            found=_found(data),
            code="data.wrong_type",
        )
    try:
        report: Report = _converter.structure(data, Report)
    except (BaseValidationError, DocgenError) as exc:
        raise _data_error(source, list(_problems(exc))) from None
    if report.template is not None:
        report = attrs.evolve(
            report,
            template=template_in_data(
                report.template, source=source, base_dir=base_dir, allow_files=allow_files
            ),
        )
    return map_images(
        report, functools.partial(_picture, source=source, base=base_dir, files=allow_files)
    )


def is_template_path(name: str) -> bool:
    """Whether a data file's ``template:`` names a file or folder rather than a template name.

    >>> is_template_path("official"), is_template_path("my-templates/our-summary")
    (False, True)
    >>> is_template_path("school.docx")
    True
    """
    return "/" in name or "\\" in name or name.lower().endswith(".docx")


def template_in_data(
    name: str,
    *,
    source: str,
    base_dir: str | os.PathLike[str] | None = None,
    allow_files: bool = True,
) -> str:
    """A data file's ``template:``: a name as it is; a path checked, or made relative to it.

    >>> template_in_data("official", source="x.yaml", base_dir="/data")
    'official'
    >>> template_in_data("our.docx", source="x.yaml", base_dir="/data")
    '/data/our.docx'
    """
    if not is_template_path(name):
        return name
    if not allow_files:
        raise DataError(
            lazy("is a file path, and this data may not name files"),
            where=f"{source}: template",
            expected=lazy("the name of an installed template, such as official"),
            found=repr(name[:80]),
            code="data.file_path",
        )
    if base_dir is None or Path(name).is_absolute():
        return name
    return str(Path(base_dir) / name)


_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[\w=.+-]+)*),(.*)", re.DOTALL)


def _picture(
    image: Image, where: str, *, source: str, base: str | os.PathLike[str] | None, files: bool
) -> Image:
    """A picture of data: a ``data:`` URL decoded, a path checked or made absolute."""
    if not isinstance(image.source, str):
        return image
    place = f"{source}: {where}.source"
    match = _DATA_URL.fullmatch(image.source.strip())
    if match is None:
        if not files:
            raise DataError(
                lazy("is a file path, and this data may not name files"),
                where=place,
                expected=lazy("the picture itself as a data: URL (data:image/png;base64,…)"),
                found=repr(image.source[:80]),
                code="data.file_path",
            )
        if base is None or Path(image.source).is_absolute():
            return image
        return attrs.evolve(image, source=str(Path(base) / image.source))
    try:
        if ";base64" in match[2].lower():
            data = base64.b64decode(re.sub(r"\s+", "", match[3]), validate=True)
        else:
            data = urllib.parse.unquote_to_bytes(match[3])
    except (binascii.Error, ValueError):
        raise DataError(
            lazy("is not a valid data: URL"),
            where=place,
            expected=lazy("data:image/png;base64, followed by the picture's bytes in base64"),
            found=repr(image.source[:40] + "…"),
        ) from None
    return attrs.evolve(image, source=data)
