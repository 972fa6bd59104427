"""The manifest: what ``template.toml`` says about a template.

Roles (title, heading1, body, …) mapped to Word styles, the faces and sizes each role is set
in, the heading numbering scheme, the signature's date style, and the fields a template needs
beyond the report.  Pure data: :meth:`Manifest.read` is the one function that opens a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from docgen.cn.dates import DATE_STYLES
from docgen.cn.numbering import NumberingScheme
from docgen.cn.typography import font_size
from docgen.errors import ConventionError, TemplateError
from docgen.files import toml_module
from docgen.i18n import lazy, lazy_or

__all__ = [
    "DATA_KINDS",
    "DEFAULT_STYLE_IDS",
    "ROLES",
    "STARTER_KEYS",
    "FieldSpec",
    "FontSpec",
    "Manifest",
]

ROLES = (
    "title",
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "body",
    "list_bullet",
    "list_number",
    "table_text",
    "caption",
    "signature",
    "attachment",
)
"""The roles a template maps to Word styles; the body slot writes each with its style."""

# Style ids tried, in order, for a role when the manifest does not name one.
DEFAULT_STYLE_IDS: dict[str, tuple[str, ...]] = {
    "title": ("Title",),
    "heading1": ("Heading1", "1"),
    "heading2": ("Heading2", "2"),
    "heading3": ("Heading3", "3"),
    "heading4": ("Heading4", "4"),
    "body": ("BodyText", "Normal"),
    "list_bullet": ("ListBullet", "BodyText", "Normal"),
    "list_number": ("ListNumber", "BodyText", "Normal"),
    "table_text": ("TableText", "Normal"),
    "caption": ("Caption", "Normal"),
    "signature": ("Signature", "BodyText", "Normal"),
    "attachment": ("Attachment", "BodyText", "Normal"),
}
DATA_KINDS = ("report", "plain")
"""What ``data =`` in ``template.toml`` may say: the template reads a report, or plain data."""

STARTER_KEYS = ("title", "status", "org")
"""What ``[starter]`` may set: the placeholders ``docgen new`` writes for the report."""

_FALLBACK_EAST_ASIA = "宋体"
_FALLBACK_LATIN = "Times New Roman"


@attrs.define(frozen=True)
class FontSpec:
    """Faces and size of one role, as the manifest names them."""

    east_asia: str | None = None
    latin: str | None = None
    size_pt: float | None = None


@attrs.define(frozen=True)
class FieldSpec:
    """A field a template needs beyond the report (``doc_number`` for 公文, say).

    The data supplies it in ``extra`` (or as a keyword of :func:`docgen.render`); when it does
    not, ``default`` is used, and a field without a default is an error naming it.
    """

    description: str = ""
    default: Any = None
    required: bool = True
    example: Any = None


def _fields(data: Any, where: str) -> dict[str, FieldSpec]:
    if not isinstance(data, Mapping):
        raise TemplateError(
            lazy("must be a table of fields"),
            where=f"{where}: fields",
            found=repr(data),
            code="template.manifest",
        )
    out = {}
    for name, spec in data.items():
        if not str(name).isidentifier():
            raise TemplateError(
                lazy("is not a name a template can use"),
                where=f"{where}: fields",
                expected=lazy("letters, digits and _"),
                found=repr(name),
                code="template.manifest",
            )
        table = spec if isinstance(spec, Mapping) else {"default": spec}
        unknown = set(table) - {"description", "default", "required", "example"}
        if unknown:
            raise TemplateError(
                lazy("has unknown keys"),
                where=f"{where}: fields.{name}",
                expected=lazy("description, default, required, example"),
                found=", ".join(sorted(unknown)),
                code="template.manifest",
            )
        out[str(name)] = FieldSpec(
            description=str(table.get("description", "")),
            default=table.get("default"),
            required=bool(table.get("required", "default" not in table)),
            example=table.get("example", table.get("default")),
        )
    return out


@attrs.define(frozen=True)
class Manifest:
    """What ``template.toml`` says about a template.

    >>> m = Manifest.from_mapping({"name": "notice", "numbering": "GBT9704",
    ...                            "fonts": {"body": {"east_asia": "仿宋", "size": "三号"}}})
    >>> m.fonts["body"].size_pt
    16.0
    """

    name: str
    display_name: str = ""
    description: str = ""
    numbering: str = "SCHOOL"
    date_style: str = "year_month"  # the signature's date, when the data does not say
    styles: Mapping[str, str] = attrs.field(factory=dict)
    fonts: Mapping[str, FontSpec] = attrs.field(factory=dict)
    fields: Mapping[str, FieldSpec] = attrs.field(factory=dict)
    #: ``"report"`` or ``"plain"``: the data the template is written for; None to tell by its
    #: slots (:attr:`docgen.Template.uses_report`).
    data: str | None = None
    #: What ``docgen new`` writes for the report's title and status (``[starter]``).
    starter: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "template.toml") -> Manifest:
        """Build a manifest from parsed TOML, naming the key of any wrong value."""

        def text(key: str, value: Any) -> str:
            if not isinstance(value, str):
                raise TemplateError(
                    lazy("must be text"),
                    where=f"{where}: {key}",
                    found=lazy("{value!r}", value=value),
                    code="template.manifest",
                )
            return value

        known = {
            "name",
            "display_name",
            "description",
            "numbering",
            "date_style",
            "styles",
            "fonts",
            "fields",
            "data",
            "starter",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise TemplateError(
                lazy("has unknown keys"),
                where=where,
                expected=", ".join(sorted(known)),
                found=", ".join(unknown),
                code="template.manifest",
            )
        name = text("name", data.get("name", ""))
        numbering = text("numbering", data.get("numbering", "SCHOOL"))
        try:
            NumberingScheme.preset(numbering)
        except ConventionError as exc:
            raise TemplateError(
                lazy("names an unknown numbering scheme"),
                where=f"{where}: numbering",
                expected=exc.expected,
                found=repr(numbering),
                code="template.manifest",
            ) from None

        def not_one_of(message: str, key: str, choices: Sequence[str], value: str) -> TemplateError:
            expected = ", ".join(choices)
            return TemplateError(
                message, where=f"{where}: {key}", expected=expected, found=repr(value)
            )

        date_style = text("date_style", data.get("date_style", "year_month"))
        if date_style not in DATE_STYLES:
            raise not_one_of("names an unknown date style", "date_style", DATE_STYLES, date_style)
        styles = {}
        for role, sid in dict(data.get("styles", {})).items():
            if role not in ROLES:
                raise not_one_of("maps an unknown role", f"styles.{role}", ROLES, role)
            styles[role] = text(f"styles.{role}", sid)
        fonts = {}
        for role, spec in dict(data.get("fonts", {})).items():
            if role not in ROLES:
                raise not_one_of("names fonts for an unknown role", f"fonts.{role}", ROLES, role)
            if not isinstance(spec, Mapping):
                raise TemplateError(
                    lazy("must be a table"),
                    where=f"{where}: fonts.{role}",
                    expected=lazy(
                        '{ east_asia = "仿宋", latin = "Times New Roman", size = "三号" }'
                    ),
                    found=repr(spec),
                    code="template.manifest",
                )
            size = spec.get("size")
            try:
                size_pt = (
                    font_size(size)
                    if isinstance(size, str)
                    else (float(size) if isinstance(size, (int, float)) else None)
                )
            except ConventionError as exc:
                raise TemplateError(
                    lazy("has an unknown 字号"),
                    where=f"{where}: fonts.{role}.size",
                    expected=exc.expected,
                    found=repr(size),
                    code="template.manifest",
                ) from None
            fonts[role] = FontSpec(
                text(f"fonts.{role}.east_asia", spec["east_asia"]) if "east_asia" in spec else None,
                text(f"fonts.{role}.latin", spec["latin"]) if "latin" in spec else None,
                size_pt,
            )
        kind = data.get("data")
        if kind is not None and kind not in DATA_KINDS:
            raise TemplateError(
                lazy("names an unknown kind of data"),
                where=f"{where}: data",
                expected=lazy_or(f'"{k}"' for k in DATA_KINDS),
                found=repr(kind),
                code="template.manifest",
            )
        starter = data.get("starter", {})
        if not isinstance(starter, Mapping) or set(starter) - set(STARTER_KEYS):
            raise TemplateError(
                lazy("must be a table of the starter's placeholders"),
                where=f"{where}: starter",
                expected=", ".join(STARTER_KEYS),
                found=repr(starter),
                code="template.manifest",
            )
        return cls(
            name=name,
            display_name=text("display_name", data.get("display_name", "")),
            description=text("description", data.get("description", "")),
            numbering=numbering,
            date_style=date_style,
            styles=styles,
            fonts=fonts,
            fields=_fields(data.get("fields", {}), where),
            data=kind,
            starter={key: text(f"starter.{key}", value) for key, value in starter.items()},
        )

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read ``template.toml``; a syntax error names the file and line."""
        try:
            data = toml_module().loads(path.read_text(encoding="utf-8"))
        except toml_module().TOMLDecodeError as exc:
            raise TemplateError(
                lazy("is not valid TOML"), where=str(path), found=str(exc), code="template.manifest"
            ) from None
        return cls.from_mapping(data, str(path))
