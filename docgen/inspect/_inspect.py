"""The entry point: open a template, scan and parse each part, then check what it uses."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from jinja2.sandbox import SandboxedEnvironment

from docgen import registry
from docgen.environment import make_environment
from docgen.errors import DocgenError, PackageError
from docgen.inspect._checks import _data_findings, _name_findings, _style_findings
from docgen.inspect._jinja import _Collector, _jinja_source, _parse
from docgen.inspect._model import (
    _LEVELS,
    Finding,
    Inspection,
    Level,
    Place,
    _finding,
    _shorten,
)
from docgen.inspect._xml import _raw_findings, _scan_part
from docgen.links import KEEP_SETTING, external_links
from docgen.manifest import Manifest
from docgen.model import Report
from docgen.ooxml import Package
from docgen.template import Template

# --- inspecting -------------------------------------------------------------------------------


def _open(
    source: str | os.PathLike[str] | bytes | Template,
    template_dirs: Sequence[str | os.PathLike[str]],
    manifest: Manifest | None,
) -> tuple[str, str, Package, Manifest, list[Finding]]:
    """Name, source, package and manifest, found as :meth:`Template.load` finds them.

    A broken manifest is a finding (and defaults are used), not an exception.
    """
    if isinstance(source, Template):
        return source.name, source.source, source.package, source.manifest, []
    if isinstance(source, bytes):
        name = manifest.name if manifest and manifest.name else "template"
        return (
            name,
            "<bytes>",
            Package.from_bytes(source, "<bytes>"),
            manifest or Manifest(name),
            [],
        )
    found = registry.find(source, template_dirs)
    findings = []
    if manifest is None and found.manifest is not None:
        try:
            manifest = Manifest.read(found.manifest)
        except DocgenError as exc:
            findings.append(
                _finding("error", "manifest-error", Place(str(found.manifest), ""), error=exc)
            )
    name = manifest.name if manifest and manifest.name else found.name
    manifest = attrs.evolve(manifest, name=name) if manifest else Manifest(name=name)
    package = Package.from_bytes(found.docx.read_bytes(), str(found.docx))
    return name, str(found.docx), package, manifest, findings


def _inspect_parts(
    package: Package, env: SandboxedEnvironment, collector: _Collector
) -> tuple[list[str], list[Finding]]:
    """Scan and parse every part that may hold tags; the parts with tags and the findings."""
    parts: list[str] = []
    findings: list[Finding] = []
    notes: list[Finding] = []
    for part in package.templated_parts():
        raw = package.parts[part]
        try:
            paras, raw_tags = _scan_part(part, raw)
        except PackageError as exc:
            findings.append(_finding("error", "bad-xml", Place(part, ""), error=exc))
            continue
        findings.extend(_raw_findings(part, paras, raw_tags))
        if not raw_tags:
            continue
        parts.append(part)
        src = _jinja_source(part, raw.decode("utf-8"), raw_tags)
        starts = {start: k for k, (start, _) in enumerate(src.tags)}
        notes += [
            _finding(
                "info",
                "normalized-quotes",
                src.place(starts.get(n.offset)),
                written=_shorten(n.written, 60),
                read=_shorten(n.read, 60),
            )
            for n in src.notes
        ]
        ast, lines, errors = _parse(env, src)
        findings.extend(errors)
        if ast is not None:
            collector.run(ast, src, lines)
    return parts, findings + notes


def _link_findings(package: Package) -> list[Finding]:
    """External links: the ones a render refuses (errors), removes or keeps (notes)."""
    out = []
    for link in external_links(package.parts):
        if link.kind == "hyperlink":
            continue
        place = Place(link.part, "")
        if link.kind == "attachedTemplate":
            out.append(_finding("info", "attached-template-removed", place, target=link.target))
        else:
            level: Level = "warning" if os.environ.get(KEEP_SETTING, "").strip() else "error"
            out.append(
                _finding(
                    level,
                    "external-link",
                    place,
                    kind=link.kind,
                    target=link.target,
                    setting=KEEP_SETTING,
                )
            )
    return out


def inspect_template(
    source: str | os.PathLike[str] | bytes | Template,
    *,
    data: Mapping[str, Any] | Report | None = None,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    manifest: Manifest | None = None,
) -> Inspection:
    """Inspect a template: the names and filters it uses, and everything wrong with it.

    Works on templates that do not compile: a syntax error or an unknown filter is a finding,
    and the other parts (and the rest of the part) are still inspected.

    Args:
        source: a ``.docx`` path, a template folder, a template name (looked up as
            :meth:`Template.load` does), a loaded :class:`Template`, or the bytes of a ``.docx``.
        data: a :class:`~docgen.Report` or a mapping to check the names against.  Without it,
            names outside the report model and the manifest's fields are warnings; with it,
            names the data does not supply are errors.
        template_dirs: more folders to look template names up in.
        manifest: the manifest to use instead of the template's ``template.toml``.

    Raises:
        TemplateNotFoundError: no such file, folder or template name.
        PackageError: the file is not a Word document at all.
    """
    name, origin, package, manifest, findings = _open(source, template_dirs, manifest)
    env = make_environment()
    collector = _Collector(env)
    parts, part_findings = _inspect_parts(package, env, collector)
    for var in collector.top.values():
        var.tidy()
    for use in collector.filters.values():
        use.places = list(dict.fromkeys(use.places))
    notes = [f for f in part_findings if f.level == "info"]
    findings += [f for f in part_findings if f.level != "info"]
    findings += _name_findings(collector, env)
    findings += _data_findings(collector, data, manifest)
    depth = data.depth if isinstance(data, Report) else None
    findings += _style_findings(package, manifest, collector.slots, depth)
    findings += _link_findings(package)
    ordered = sorted(dict.fromkeys(findings + notes), key=lambda f: _LEVELS.index(f.level))
    return Inspection(
        name, origin, tuple(parts), collector.top, collector.filters, ordered, data is not None
    )
