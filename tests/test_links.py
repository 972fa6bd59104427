"""External links in templates (docgen.links): hyperlinks kept, the attached template removed,
anything Word would fetch on opening refused unless DOCGEN_KEEP_EXTERNAL_LINKS is set."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import docgen
from tests.conftest import ROOT

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATE = ROOT / "templates" / "work-summary" / "template.docx"


def _with(rels_part: str, relationship: str, *, part: str = "", add: bytes = b"") -> bytes:
    """The work-summary template with *relationship* added to *rels_part* (and *add* put at
    the start of *part*'s root element)."""
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(out, "w") as zout:
        names = zin.namelist()
        for name in names:
            blob = zin.read(name)
            if name == rels_part:
                blob = blob.replace(
                    b"</Relationships>", relationship.encode() + b"</Relationships>"
                )
            if name == part:
                head, sep, rest = blob.partition(b"?>")
                start = rest.index(b">") + 1
                blob = head + sep + rest[:start] + add + rest[start:]
            zout.writestr(name, blob)
        if rels_part not in names:
            zout.writestr(
                rels_part,
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f"{relationship}</Relationships>",
            )
    return out.getvalue()


def _document_rels(doc: docgen.Document) -> bytes:
    return _parts(doc.to_bytes())["word/_rels/document.xml.rels"]


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


LINKED_PICTURE = (
    f'<Relationship Id="rIdLinked" Type="{_RELS}/image" '
    'Target="http://192.0.2.1/photo.png" TargetMode="External"/>'
)


def test_a_template_linking_a_picture_outside_itself_is_refused_naming_the_link() -> None:
    data = _with("word/_rels/document.xml.rels", LINKED_PICTURE)
    with pytest.raises(docgen.TemplateError) as info:
        docgen.Template.from_bytes(data, source="linked.docx")
    message = str(info.value)
    assert "linked.docx (word/_rels/document.xml.rels, rIdLinked)" in message
    assert "links to something outside the document (image)" in message
    assert "http://192.0.2.1/photo.png" in message
    assert "DOCGEN_KEEP_EXTERNAL_LINKS=1" in message


def test_the_setting_keeps_such_links(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_KEEP_EXTERNAL_LINKS", "1")
    tpl = docgen.Template.from_bytes(_with("word/_rels/document.xml.rels", LINKED_PICTURE))
    rels = _parts(docgen.render(docgen.Report("题"), tpl).to_bytes())[
        "word/_rels/document.xml.rels"
    ]
    assert b"http://192.0.2.1/photo.png" in rels


def test_the_attached_template_link_is_removed_with_its_setting() -> None:
    attached = (
        f'<Relationship Id="rIdT" Type="{_RELS}/attachedTemplate" '
        'Target="file://///server/share/Normal.dotm" TargetMode="External"/>'
    )
    data = _with(
        "word/_rels/settings.xml.rels",
        attached,
        part="word/settings.xml",
        add=f'<w:attachedTemplate xmlns:r="{_RELS}" r:id="rIdT"/>'.encode(),
    )
    assert b"attachedTemplate" in _parts(data)["word/settings.xml"]
    out = _parts(docgen.render(docgen.Report("题"), docgen.Template.from_bytes(data)).to_bytes())
    assert b"server/share" not in out["word/_rels/settings.xml.rels"]
    assert b"attachedTemplate" not in out["word/settings.xml"]
    assert all(b"server/share" not in blob for blob in out.values())


def test_hyperlinks_are_kept() -> None:
    link = (
        f'<Relationship Id="rIdH" Type="{_RELS}/hyperlink" '
        'Target="https://www.example.edu.cn/" TargetMode="External"/>'
    )
    tpl = docgen.Template.from_bytes(_with("word/_rels/document.xml.rels", link))
    rels = _parts(docgen.render(docgen.Report("题"), tpl).to_bytes())[
        "word/_rels/document.xml.rels"
    ]
    assert b"https://www.example.edu.cn/" in rels


def test_the_built_in_templates_link_nothing_outside_themselves() -> None:
    from docgen.links import external_links  # noqa: PLC0415

    for folder in sorted((ROOT / "templates").iterdir()):
        docx = Path(folder) / "template.docx"
        if docx.exists():
            assert [] == external_links(_parts(docx.read_bytes())), folder.name


def test_inspect_reports_a_link_the_render_would_refuse() -> None:
    inspection = docgen.inspect_template(_with("word/_rels/document.xml.rels", LINKED_PICTURE))
    (finding,) = [f for f in inspection.findings if f.code == "external-link"]
    assert "error" == finding.level
    assert "http://192.0.2.1/photo.png" in finding.message
    assert "DOCGEN_KEEP_EXTERNAL_LINKS=1" in finding.message
    assert "word/_rels/document.xml.rels" == finding.part
