"""Template: a ``.docx`` (plus an optional ``template.toml`` manifest), loaded and compiled once.

Loading reads the package, applies the manifest's faces and sizes to the Word styles,
preprocesses each part's XML so Jinja can read tags Word has split across runs, and compiles
the Jinja source of every part in the sandbox (:mod:`docgen.sandbox`).  A :class:`Template`
is immutable: render it as often as you like, from as many threads or processes as you like.
"""

from __future__ import annotations

import marshal
import os
import re
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen import _docxtpl, limits, registry, tables, template_cache
from docgen.body import RoleStyle
from docgen.cn.numbering import NumberingScheme
from docgen.environment import (
    check_filters,
    installed_filter_names,
    make_environment,
    shared_environment,
)
from docgen.errors import (
    DocgenError,
    PackageError,
    TemplateError,
    TemplateSyntaxError,
    UnknownFilterError,
)
from docgen.filters import FILTERS
from docgen.i18n import lazy
from docgen.links import KEEP_SETTING, strip_external_links
from docgen.listnumbering import abstract_nums
from docgen.manifest import DEFAULT_STYLE_IDS, ROLES, Manifest
from docgen.ooxml import (
    DOCUMENT,
    NS,
    Package,
    W,
    parse_xml,
    read_styles,
    set_style_fonts,
    unpacked_limit,
    update_fields_on_open,
    visible_text,
)
from docgen.postrender import has_literal_breaks
from docgen.zipout import Member, deflate

__all__ = ["CompiledPart", "Template", "builtin_dir"]

_FALLBACK_EAST_ASIA = "宋体"
_FALLBACK_LATIN = "Times New Roman"


def builtin_dir() -> Path:
    """The folder holding the built-in templates (inside the wheel, or the source tree)."""
    return registry._builtin_dir()


# Compiled templates by (docx path, name, mtimes): loading by name again costs nothing.
_CACHE: dict[tuple[str, str, int, int], Template] = {}
_CACHE_SIZE = 32


# --- compiling ------------------------------------------------------------------------------


@attrs.define(frozen=True)
class CompiledPart:
    """One part's preprocessed XML and its compiled Jinja template."""

    name: str
    lines: tuple[str, ...]
    template: jinja2.Template
    variables: frozenset[str] = frozenset()  # the top-level names the part uses
    literal_breaks: bool = False  # its own text holds line breaks or tabs (postrender)
    code: types.CodeType | None = attrs.field(default=None, repr=False, eq=False)  # Jinja's

    def paragraph_text(self, lineno: int | None) -> str:
        """The visible text of the paragraph at a Jinja line number (one paragraph a line)."""
        if not lineno or lineno > len(self.lines):
            return ""
        return visible_text(self.lines[lineno - 1])[:80]

    def run_text(self, lineno: int | None) -> str:
        """The text of the runs at a Jinja line: the paragraph as Word shows it in the template.

        Unlike :meth:`paragraph_text` it leaves out the ``{%p %}`` tags of the paragraphs
        around that the line also holds (they stand outside any run).
        """
        if not lineno or lineno > len(self.lines):
            return ""
        return visible_text("".join(_RUN_TEXT.findall(self.lines[lineno - 1])))[:80]


_TAG = re.compile(r"{{|{%|{#")
_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*</w:t>")
# Names only a template written for reports uses: its slots and the report itself.  Names a
# plain docxtpl template may well use for its own data (title, intro, sections, closing) do
# not count; a template that loops over a report's sections says so in its manifest
# (``data = "report"``).
_REPORT_NAMES = frozenset({"body", "signature_block", "full_title", "report"})
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_NUMBERING_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
_IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
}


@attrs.define(frozen=True, eq=False)
class Template:
    """A compiled template.  Build it with :meth:`load`; render it with :func:`docgen.render`.

    Attributes:
        name: the template's name (manifest name, or the file's stem).
        source: where it was loaded from (a path or ``<bytes>``).
        manifest: what ``template.toml`` says (defaults when there is none).
        scheme: the heading numbering scheme the body slot uses.
        roles: role → style id and faces, for the body slot.
    """

    name: str
    source: str
    manifest: Manifest
    scheme: NumberingScheme
    roles: Mapping[str, RoleStyle]
    package: Package
    compiled: Mapping[str, CompiledPart]
    static: Mapping[str, bytes]
    text_width: int
    list_ids: tuple[int, int, int]  # bullet abstract, number abstract, first free numId
    first_rid: int
    frozen: Mapping[str, Member]  # parts no render changes, compressed once
    data: bytes = attrs.field(repr=False)  # the .docx as loaded (sent to worker processes)
    #: the caller's own Jinja filters it was compiled with (``filters=`` of :meth:`load`)
    filters: Mapping[str, Callable[..., Any]] = attrs.field(factory=dict, repr=False)

    # -- loading --

    @classmethod
    def load(
        cls,
        source: str | os.PathLike[str] | Template,
        *,
        template_dirs: Sequence[str | os.PathLike[str]] = (),
        max_unpacked: int | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
    ) -> Template:
        """Load and compile a template.

        *source* is a ``.docx`` path, a folder holding ``template.docx`` (and optionally
        ``template.toml``), or a name looked up along the chain described in
        :mod:`docgen.registry`: ``template_dirs``, then ``DOCGEN_TEMPLATE_PATH``, then
        templates registered by installed packages, then the built-ins.  A compiled template
        is cached until its files change, so loading by name again is cheap.

        A ``.docx`` that would unpack to more than *max_unpacked* bytes is refused (default
        200 MB: :data:`docgen.limits.MAX_UNPACKED`, or ``DOCGEN_MAX_UNPACKED_MB``).

        *filters* adds Jinja filters of your own (name → function), sandboxed as docgen's
        are (:mod:`docgen.environment`); a template compiled with them is not cached.

        Raises:
            TemplateNotFoundError: no such file, folder or template name.
            TemplateError: the manifest or the Jinja source is wrong (the message names the
                file, the part and the paragraph).
            PackageError: the ``.docx`` is not a valid Word package.
        """
        if isinstance(source, Template):
            if filters:
                raise TypeError(
                    "filters= needs a template name or path: a loaded Template keeps the "
                    "filters it was loaded with (Template.load(..., filters=...))"
                )
            return source
        found = registry.find(source, template_dirs)
        if filters:  # the caller's own filters: compiled for this call, not cached
            return cls.from_bytes(
                found.docx.read_bytes(),
                source=str(found.docx),
                manifest=_manifest_of(found),
                max_unpacked=max_unpacked,
                filters=filters,
            )
        stamp = (
            str(found.docx),
            found.name,
            found.docx.stat().st_mtime_ns,
            found.manifest.stat().st_mtime_ns if found.manifest else 0,
        )
        cached = _CACHE.get(stamp)
        if cached is not None:
            return cached
        template: Template | None = None
        docx = found.docx.read_bytes()
        key = None
        if max_unpacked is None:  # compiled by an earlier process, under the same limits
            key = template_cache.entry_key(
                docx,
                found.manifest.read_bytes() if found.manifest else b"",
                str(found.docx),
                found.name,
                str(unpacked_limit()),
                os.environ.get(KEEP_SETTING, ""),  # it changes what compiling keeps
                ",".join(installed_filter_names()),  # names a template may have been checked for
            )
            template = _from_cache_entry(template_cache.read_entry(key))
        if template is None:
            template = cls.from_bytes(
                docx,
                source=str(found.docx),
                manifest=_manifest_of(found),
                max_unpacked=max_unpacked,
            )
            if key is not None:
                template_cache.write_entry(key, _cache_entry(template))
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[stamp] = template
        return template

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        *,
        source: str = "<bytes>",
        manifest: Manifest | None = None,
        max_unpacked: int | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
    ) -> Template:
        """Compile a template from the bytes of a ``.docx`` (*filters* as for :meth:`load`).

        Raises:
            PackageError: the bytes are not a valid, reasonable Word package (the message
                names *source* and the part).
            TemplateError: a part's Jinja source is wrong.
        """
        try:
            return cls._compile(data, source, manifest, max_unpacked, filters or {})
        except PackageError as exc:
            if exc.where and exc.where.startswith(source):
                raise
            message, _, expected, found = exc.fields()
            raise PackageError(
                message,
                where=f"{source} ({exc.where})" if exc.where else source,
                expected=expected,
                found=found,
                code=exc.code,
            ) from None

    @classmethod
    def _compile(
        cls,
        data: bytes,
        source: str,
        manifest: Manifest | None,
        max_unpacked: int | None,
        filters: Mapping[str, Callable[..., Any]],
    ) -> Template:
        package = Package.from_bytes(data, source, max_unpacked=max_unpacked)
        strip_external_links(package.parts, source)  # before any part is copied
        for part in package.templated_parts():  # well-formed, no DTD, not absurdly deep
            parse_xml(package.parts[part], part)
        name = manifest.name if manifest and manifest.name else Path(source).stem
        manifest = manifest or Manifest(name=name)
        static: dict[str, bytes] = {}

        # Styles: apply the manifest's faces, then resolve each role.
        styles_xml = package.parts.get("word/styles.xml")
        infos = read_styles(styles_xml)
        role_ids: dict[str, str] = {}
        for role in ROLES:
            sid = manifest.styles.get(role)
            if sid is None:
                sid = next((c for c in DEFAULT_STYLE_IDS[role] if c in infos), "Normal")
            role_ids[role] = sid
        if styles_xml is not None:
            fonts = {
                role_ids[r]: (f.east_asia, f.latin, f.size_pt) for r, f in manifest.fonts.items()
            }
            static["word/styles.xml"] = set_style_fonts(styles_xml, fonts)
            infos = read_styles(static["word/styles.xml"])
        roles = {}
        for role, sid in role_ids.items():
            info = infos.get(sid)
            roles[role] = RoleStyle(
                sid,
                (info.east_asia if info else None) or _FALLBACK_EAST_ASIA,
                (info.latin if info else None) or _FALLBACK_LATIN,
                (info.size_pt if info else None) or 10.5,
            )

        list_ids, first_rid = cls._prepare_package(package, static, roles["body"].indent_twips)
        compiled = {}
        env = shared_environment()
        if filters:  # the installed filters, and the caller's (names checked here)
            env = make_environment({**_installed(env), **check_filters(filters)})
        for part in package.templated_parts():
            xml = package.parts[part].decode("utf-8")
            if not _TAG.search(xml):
                continue
            compiled[part] = _compile_part(env, part, xml, source)
        width, _ = _text_width_twips(package.parts["word/document.xml"])
        # Every part no render changes, compressed now, once (see docgen.zipout).
        frozen = {
            part: deflate(part, static.get(part, blob))
            for part, blob in package.parts.items()
            if part not in compiled
        }
        return cls(
            name,
            source,
            manifest,
            NumberingScheme.preset(manifest.numbering),
            roles,
            package,
            compiled,
            static,
            width,
            list_ids,
            first_rid,
            frozen,
            data,
            dict(filters),
        )

    @staticmethod
    def _prepare_package(
        package: Package, static: dict[str, bytes], indent: int
    ) -> tuple[tuple[int, int, int], int]:
        """Add docgen's list definitions and picture content types once, at compile time."""
        parts = package.parts
        rels_name = "word/_rels/document.xml.rels"
        rels = (
            parse_xml(parts[rels_name], rels_name)
            if rels_name in parts
            else etree.Element(f"{{{NS['rel']}}}Relationships", nsmap={None: NS["rel"]})
        )
        rel_ids = [int(m) for r in rels for m in re.findall(r"\d+", r.get("Id", ""))]
        first_rid = max(rel_ids, default=0) + 1
        ct = parse_xml(parts["[Content_Types].xml"], "[Content_Types].xml")
        defaults = {d.get("Extension", "").lower() for d in ct.findall(f"{{{NS['ct']}}}Default")}
        for ext, mime in _IMAGE_TYPES.items():
            if ext not in defaults:
                el = etree.Element(f"{{{NS['ct']}}}Default", Extension=ext, ContentType=mime)
                ct.insert(0, el)

        numbering_name = "word/numbering.xml"
        if numbering_name in parts:
            num_root = parse_xml(parts[numbering_name], numbering_name)
        else:
            num_root = etree.Element(f"{W}numbering", nsmap={"w": NS["w"]})
            etree.SubElement(
                rels,
                f"{{{NS['rel']}}}Relationship",
                Id=f"rId{first_rid}",
                Type=_NUMBERING_REL,
                Target="numbering.xml",
            )
            first_rid += 1
            etree.SubElement(
                ct,
                f"{{{NS['ct']}}}Override",
                PartName="/word/numbering.xml",
                ContentType=_NUMBERING_CT,
            )
            parts[numbering_name] = b""  # placeholder so the part is written in order
        abstract_ids = [
            int(a.get(f"{W}abstractNumId", "0")) for a in num_root.findall(f"{W}abstractNum")
        ]
        num_ids = [int(n.get(f"{W}numId", "0")) for n in num_root.findall(f"{W}num")]
        bullet = max(abstract_ids, default=-1) + 1
        number = bullet + 1
        new = etree.fromstring(
            f'<w:x xmlns:w="{NS["w"]}">{abstract_nums(bullet, number, indent)}</w:x>'
        )
        first_num = num_root.find(f"{W}num")
        for el in list(new):
            if first_num is not None:
                first_num.addprevious(el)
            else:
                num_root.append(el)
        static[numbering_name] = etree.tostring(
            num_root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        static[rels_name] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        static["[Content_Types].xml"] = etree.tostring(
            ct, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        settings = parts.get("word/settings.xml")
        if settings is not None and _has_toc(parts[DOCUMENT]):
            static["word/settings.xml"] = update_fields_on_open(settings)
        return (bullet, number, max(num_ids, default=0) + 1), first_rid

    @property
    def variables(self) -> frozenset[str]:
        """Every top-level name the template's parts use."""
        return frozenset().union(*(part.variables for part in self.compiled.values()))

    @property
    def uses_report(self) -> bool:
        """Whether the template is written for a :class:`~docgen.Report`.

        Its manifest says so (``data = "report"`` or ``"plain"``); without that, it is when
        it places the body or the signature block, or uses ``report`` or ``full_title``.
        Otherwise it takes plain data, even when its names are ``title``, ``sections``, …
        as a docxtpl template's may be.
        """
        if self.manifest.data is not None:
            return self.manifest.data == "report"
        return bool(self.variables & _REPORT_NAMES)


def _manifest_of(found: registry.TemplateSource) -> Manifest | None:
    """The manifest of a found template, named as it was found."""
    manifest = Manifest.read(found.manifest) if found.manifest else None
    if manifest is not None and not manifest.name:
        manifest = attrs.evolve(manifest, name=found.name)
    if manifest is None and found.name != found.docx.stem:
        manifest = Manifest(name=found.name)
    return manifest


def _installed(env: jinja2.Environment) -> dict[str, Callable[..., Any]]:
    """The installed packages' filters in the shared *env*, unwrapped."""
    return {name: env.filters[name].__wrapped__ for name in installed_filter_names()}


def _has_toc(document_xml: bytes) -> bool:
    """Whether the document holds a table of contents (a TOC field or a TOC content control)."""
    return bool(
        re.search(rb"<w:instrText[^>]*>\s*TOC\b", document_xml)
        or re.search(rb'<w:fldSimple [^>]*w:instr="\s*TOC\b', document_xml)
        or b'w:docPartGallery w:val="Table of Contents"' in document_xml
    )


def _compile_part(env: SandboxedEnvironment, part: str, xml: str, source: str) -> CompiledPart:
    """Preprocess one part (docxtpl's tag merging) and compile it, one paragraph a line."""
    tags = len(_TAG.findall(xml))
    if tags > limits.MAX_TAGS:  # compiling costs memory and time with the tag count
        raise TemplateError(
            lazy(
                "has {tags:,} tags, more than the {MAX_TAGS:,} one part may hold",
                tags=tags,
                MAX_TAGS=limits.MAX_TAGS,
            ),
            where=f"{source} ({part})",
            expected=lazy(
                "a template of at most a few thousand tags (loop over the data instead "
                "of repeating tags)"
            ),
            code="template.too_large",
        )
    src = _docxtpl.unescape_literals(tables.mark_vmerge(_docxtpl.preprocess(xml)))
    lines = tuple(src.splitlines())
    try:
        tree = env.parse(src)
        variables = frozenset(jinja2.meta.find_undeclared_variables(tree))
        for concat in tree.find_all(nodes.Concat):  # `a ~ b` prints data only
            concat.nodes = [
                nodes.Call(nodes.EnvironmentAttribute("printable"), [n], [], None, None)
                for n in concat.nodes
            ]
        for loop in tree.find_all(nodes.For):  # every loop looks at the clock (DEADLINE)
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("checked_loop"), [loop.iter], [], None, None
            )
        code = env.compile(tree)
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
    except jinja2.TemplateSyntaxError as exc:
        text = CompiledPart(part, lines, env.from_string("")).paragraph_text(exc.lineno)
        where = f"{source} ({part}), paragraph “{text}”"
        filt = re.match(r"No filter named '([^']+)'", exc.message or "")
        if filt:
            raise UnknownFilterError(
                lazy(
                    "uses the filter '{group}', which docgen does not provide", group=filt.group(1)
                ),
                where=where,
                expected=lazy("one of Jinja's filters or {items}", items=", ".join(FILTERS)),
                found=filt.group(1),
            ) from None
        raise TemplateSyntaxError(
            lazy("has a Jinja syntax error: {message}", message=exc.message),
            where=where,
            expected=lazy("tags as Jinja writes them: {{ name }}, {% if … %}…{% endif %}"),
        ) from None
    except (RecursionError, MemoryError, SyntaxError) as exc:  # Python cannot compile it
        raise TemplateSyntaxError(
            lazy("is too deeply nested to compile"),
            where=f"{source} ({part})",
            expected=lazy("tags nested at most a few dozen deep"),
            found=type(exc).__name__,
            code="template.too_large",
        ) from None
    except DocgenError:  # pragma: no cover - defensive
        raise
    return CompiledPart(part, lines, template, variables, has_literal_breaks(src), code)


# --- the cache between processes ------------------------------------------------------------

_ENTRY_VERSION = 1


def _cache_entry(template: Template) -> tuple[object, ...]:
    """What :mod:`docgen.template_cache` keeps of *template*: Jinja's code as marshal data."""
    parts = [
        (p.name, p.lines, p.variables, p.literal_breaks, marshal.dumps(p.code))
        for p in template.compiled.values()
    ]
    return (_ENTRY_VERSION, attrs.evolve(template, compiled={}), parts)


def _from_cache_entry(entry: object) -> Template | None:
    """The template a cache entry holds, its parts' Jinja templates made from their code."""
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == _ENTRY_VERSION):
        return None
    _, bare, parts = entry
    if not isinstance(bare, Template):
        return None
    compiled = {}
    for name, lines, variables, literal_breaks, data in parts:
        code = marshal.loads(data)  # noqa: S302 - docgen's own cache entry, keyed by content
        env = shared_environment()
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        compiled[name] = CompiledPart(name, lines, template, variables, literal_breaks, code)
    return attrs.evolve(bare, compiled=compiled)


def _text_width_twips(document_xml: bytes) -> tuple[int, float]:
    """The text column width (page width minus margins) in twips, and characters per line."""
    root = parse_xml(document_xml, DOCUMENT)
    sect = root.findall(f".//{W}sectPr")
    width, chars = 9026, 28.0  # A4 with 2.54 cm margins, when the document says nothing
    if sect:
        pg, mar = sect[-1].find(f"{W}pgSz"), sect[-1].find(f"{W}pgMar")
        if pg is not None and mar is not None:
            width = (
                int(pg.get(f"{W}w", "11906"))
                - int(mar.get(f"{W}left", "1440"))
                - int(mar.get(f"{W}right", "1440"))
            )
    return width, chars
