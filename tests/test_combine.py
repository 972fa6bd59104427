"""docgen.combine: many rendered documents → one Word document, a section per record.

The combined package is reopened (python-docx, its parts read as XML) and checked for what Word
repairs silently or refuses: relationships that point nowhere, ids used twice, lists of one
record continuing another's, section properties out of schema order.  One test prints it with
LibreOffice and reads the PDF's pages.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION_START
from lxml import etree

import docgen
from docgen import BulletList, Image, NumberedList, Report, Section, Signature
from tests.conftest import ROOT, soffice_convert, texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
SECTPR_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]
STUDENTS = [("张三", "三（1）班"), ("李四", "三（1）班"), ("王五", "三（2）班")]


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 1×1 PNG of one colour (distinct bytes per colour)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


RED, BLUE = png((255, 0, 0)), png((0, 0, 255))


def comment(name: str, klass: str) -> docgen.Document:
    record = {
        "term": "2013学年第一学期",
        "student": {"name": name, "class": klass},
        "comment": f"{name}同学，你上课专心听讲，作业认真。",
        "teacher": "王老师",
    }
    return docgen.render(record, "term-comment")


def with_picture_and_lists(n: int, picture: bytes) -> docgen.Document:
    return docgen.render(
        Report(
            f"第{n}份小结",
            intro=[Image(picture, width_cm=2, caption=f"图{n}"), NumberedList(["甲", "乙"])],
            sections=[Section("要点", blocks=[BulletList([f"丙{n}", f"丁{n}"])])],
            signature=Signature("某校", date="2014-01-15"),
        ),
        "work-summary",
    )


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def relationships(package: dict[str, bytes], part: str) -> dict[str, tuple[str, str, bool]]:
    """id → (type, resolved target, external) of *part*'s relationships."""
    name = rels_name(part)
    if name not in package:
        return {}
    out = {}
    for rel in etree.fromstring(package[name]).iter(PKG_REL):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target")
        if not external:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        out[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], target, external)
    return out


def package_problems(data: bytes) -> list[str]:
    """What would make Word repair the package: dangling ids and targets, untyped parts."""
    package = parts(data)
    problems = []
    for name, blob in package.items():
        if name.endswith(".rels"):
            source = posixpath.join(
                posixpath.dirname(posixpath.dirname(name)), name.rsplit("/", 1)[-1][:-5]
            )
            for rid, (_, target, external) in relationships(package, source).items():
                if not external and target not in package:
                    problems.append(f"{name} {rid} → {target}: no such part")
        elif name.endswith(".xml") and name != "[Content_Types].xml":
            defined = relationships(package, name)
            for el in etree.fromstring(blob).iter(etree.Element):
                for attr, value in el.attrib.items():
                    if attr.startswith(R) and value not in defined:
                        problems.append(f"{name}: {attr} {value} is not in its relationships")
    types = etree.fromstring(package["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName")[1:] for o in types.iter(f"{CT}Override")}
    for name in package:
        typed = name in overrides or name.rsplit(".", 1)[-1] in defaults
        if name != "[Content_Types].xml" and not typed:
            problems.append(f"{name} has no content type")
    problems += [f"override of a missing part {o}" for o in overrides - set(package)]
    return problems


def section_properties(data: bytes) -> list[etree._Element]:
    body = xml(data, "word/document.xml").find(f"{W}body")
    return [s for s in body.iter(f"{W}sectPr") if s.getparent().tag != f"{W}sectPrChange"]


@pytest.fixture(scope="module")
def comments() -> list[docgen.Document]:
    return [comment(name, klass) for name, klass in STUDENTS]


@pytest.fixture(scope="module")
def notice() -> docgen.Document:
    return docgen.render(docgen.load_report(ROOT / "examples" / "notice.yaml"))


# --- records, sections, pages --------------------------------------------------------------


def test_every_record_follows_in_order_each_in_a_section_of_its_own(comments, notice):
    documents = [*comments, notice]
    combined = docgen.combine(documents)
    assert [line for d in documents for line in texts(d.to_bytes())] == texts(combined.to_bytes())
    sections = docx.Document(io.BytesIO(combined.to_bytes())).sections
    assert len(documents) == len(sections)
    assert [WD_SECTION_START.NEW_PAGE] * len(documents) == [s.start_type for s in sections]
    for sect in section_properties(combined.to_bytes()):
        assert "nextPage" == sect.find(f"{W}type").get(f"{W}val")
        assert "1" == sect.find(f"{W}pgNumType").get(f"{W}start")


def test_a_section_ends_in_its_records_last_paragraph_in_schema_order(comments):
    combined = docgen.combine(comments).to_bytes()
    sects = section_properties(combined)
    for sect, record in zip(sects, comments, strict=True):
        names = [etree.QName(c).localname for c in sect]
        assert sorted(names, key=SECTPR_ORDER.index) == names
        if sect is not sects[-1]:
            ppr = sect.getparent()
            assert f"{W}pPr" == ppr.tag
            assert sect is ppr[-1]  # CT_PPr: …, rPr, sectPr (pPrChange)
            paragraph = ppr.getparent()
            text = "".join(paragraph.itertext())
            assert texts(record.to_bytes())[-1] == text  # the record's own last paragraph
    assert f"{W}body" == sects[-1].getparent().tag


def test_page_numbers_run_through_when_asked(comments):
    combined = docgen.combine(comments, restart_page_numbers=False).to_bytes()
    starts = [
        s.find(f"{W}pgNumType").get(f"{W}start") if s.find(f"{W}pgNumType") is not None else None
        for s in section_properties(combined)
    ]
    assert [None, None] == starts[1:]
    assert 3 == len(docx.Document(io.BytesIO(combined)).sections)


def test_a_combined_document_combines_again_section_by_section(comments):
    twice = docgen.combine([docgen.combine(comments[:2]), comments[2]]).to_bytes()
    assert [line for d in comments for line in texts(d.to_bytes())] == texts(twice)
    assert ["1", "1", "1"] == [
        s.find(f"{W}pgNumType").get(f"{W}start") for s in section_properties(twice)
    ]
    assert 6 == len([n for n in parts(twice) if re.fullmatch(r"word/footer\d+\.xml", n)])
    assert [] == package_problems(twice)


# --- headers and footers -------------------------------------------------------------------


def test_each_record_keeps_its_own_footer(make_template):
    template = make_template(("BodyText", "姓名：{{ name }}"), footer="{{ name }}的成长记录")
    names = ["张三", "李四", "王五"]
    combined = docgen.combine([docgen.render({"name": n}, template) for n in names]).to_bytes()
    document = docx.Document(io.BytesIO(combined))
    assert [f"{n}的成长记录" for n in names] == [
        s.footer.paragraphs[0].text for s in document.sections
    ]
    assert [False] * 3 == [s.footer.is_linked_to_previous for s in document.sections]
    package = parts(combined)
    footers = [n for n in package if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert 6 == len(footers)  # the default and even-page footer of each record
    for name in names:  # one footer part per record holds the record's own name
        assert 1 == sum(f"{name}的成长记录".encode() in package[f] for f in footers)
    referenced = [
        ref.get(f"{R}id")
        for s in section_properties(combined)
        for ref in s.iter(f"{W}footerReference")
    ]
    assert len(referenced) == len(set(referenced)) == 6
    assert [] == package_problems(combined)


# --- pictures, lists, ids ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pictured() -> list[docgen.Document]:
    return [
        with_picture_and_lists(1, RED),
        with_picture_and_lists(2, BLUE),
        with_picture_and_lists(3, RED),
    ]


def test_each_record_shows_its_own_picture_stored_once_per_content(pictured):
    combined = docgen.combine(pictured).to_bytes()
    package = parts(combined)
    media = [n for n in package if n.startswith("word/media/")]
    assert 2 == len(media)  # records 1 and 3 show the same bytes
    rels = relationships(package, "word/document.xml")
    blips = [b.get(f"{R}embed") for b in xml(combined, "word/document.xml").iter(BLIP)]
    assert [RED, BLUE, RED] == [package[rels[rid][1]] for rid in blips]
    assert [] == package_problems(combined)


def test_picture_ids_are_unique_in_the_combined_document(pictured):
    combined = docgen.combine(pictured).to_bytes()
    ids = [d.get("id") for d in xml(combined, "word/document.xml").iter(WP_DOCPR)]
    assert 3 == len(ids) == len(set(ids))


def _list_num_ids(data: bytes) -> list[list[str]]:
    """numIds of each list's paragraphs, grouped per section (record)."""
    body = xml(data, "word/document.xml").find(f"{W}body")
    groups: list[list[str]] = [[]]
    for p in body.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            groups[-1].append(num.get(f"{W}val"))
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            groups.append([])
    return groups


def test_each_records_lists_number_from_one_never_continuing_another(pictured):
    combined = docgen.combine(pictured).to_bytes()
    groups = _list_num_ids(combined)
    assert 3 == len(groups)
    alone = _list_num_ids(pictured[0].to_bytes())[0]
    for group in groups:  # the same shape as the record alone: a numbered list and a bullet list
        assert len(alone) == len(group) == 4
        assert 2 == len(set(group))
    own = [set(g) for g in groups]
    assert all(not (a & b) for i, a in enumerate(own) for b in own[i + 1 :])
    numbering = xml(combined, "word/numbering.xml")
    nums = {n.get(f"{W}numId"): n for n in numbering.iter(f"{W}num")}
    abstracts = {a.get(f"{W}abstractNumId") for a in numbering.iter(f"{W}abstractNum")}
    for group in groups:
        first = nums[group[0]]  # the numbered list restarts at 1
        assert "1" == first.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val")
        for num_id in group:
            assert nums[num_id].find(f"{W}abstractNumId").get(f"{W}val") in abstracts
    # equal list definitions are shared, not copied per record
    assert len(abstracts) == len(
        list(xml(pictured[0].to_bytes(), "word/numbering.xml").iter(f"{W}abstractNum"))
    )
    names = [etree.QName(c).localname for c in numbering]
    assert names == sorted(
        names, key=["numPicBullet", "abstractNum", "num", "numIdMacAtCleanup"].index
    )


def _with_body(
    doc: docgen.Document, before_sectpr: str, replace: dict[str, str] | None = None
) -> docgen.Document:
    """*doc* with XML inserted at the end of its body (and parts added or replaced)."""
    package = parts(doc.to_bytes())
    document = package["word/document.xml"].decode()
    at = document.rindex("<w:sectPr")
    package["word/document.xml"] = (document[:at] + before_sectpr + document[at:]).encode()
    for name, content in (replace or {}).items():
        package[name] = content.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, blob in package.items():
            zf.writestr(name, blob)
    return docgen.Document(buf.getvalue(), doc.template, doc.warnings)


def test_bookmarks_get_ids_and_names_of_their_own_and_links_follow(comments):
    marked = (
        '<w:p><w:bookmarkStart w:id="0" w:name="评语"/><w:r><w:t>目标</w:t></w:r>'
        '<w:bookmarkEnd w:id="0"/></w:p>'
        '<w:p><w:hyperlink w:anchor="评语"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>'
    )
    combined = docgen.combine([_with_body(d, marked) for d in comments]).to_bytes()
    body = xml(combined, "word/document.xml")
    starts = list(body.iter(f"{W}bookmarkStart"))
    ids = [s.get(f"{W}id") for s in starts]
    names = [s.get(f"{W}name") for s in starts]
    assert 3 == len(set(ids)) == len(set(names))
    assert Counter(ids) == Counter(e.get(f"{W}id") for e in body.iter(f"{W}bookmarkEnd"))
    assert names == [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")]
    assert "评语" == names[0]


# --- what combine refuses, and the edges ---------------------------------------------------


def test_footnotes_are_refused_with_a_clear_error(comments):
    noted = _with_body(comments[1], '<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    with pytest.raises(docgen.RenderError, match=r"documents\[1\] \(term-comment\).*footnotes"):
        docgen.combine([comments[0], noted])


def test_an_embedded_part_of_another_kind_is_refused_naming_it(comments):
    rels = parts(comments[1].to_bytes())["word/_rels/document.xml.rels"].decode()
    chunk = (
        '<Relationship Id="rIdChunk" Target="chunk.html" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/aFChunk"/>'
    )
    odd = _with_body(
        comments[1],
        '<w:altChunk r:id="rIdChunk"/>',
        {
            "word/chunk.html": "<html/>",
            "word/_rels/document.xml.rels": rels.replace(
                "</Relationships>", chunk + "</Relationships>"
            ),
        },
    )
    with pytest.raises(
        docgen.RenderError, match=r"aFChunk relationship \(rIdChunk → chunk\.html\)"
    ):
        docgen.combine([comments[0], odd])


def test_no_documents_is_an_error_and_one_comes_back_as_it_is(comments):
    with pytest.raises(docgen.RenderError, match="no documents"):
        docgen.combine([])
    assert comments[0] is docgen.combine(iter(comments[:1]))


def test_what_is_not_a_document_is_named():
    with pytest.raises(TypeError, match=r"documents\[1\] must be a docgen\.Document .*bytes"):
        docgen.combine([comment("张三", "三（1）班"), b"PK\x03\x04"])


def test_templates_with_the_same_styles_combine_others_are_refused(comments, notice):
    summary = with_picture_and_lists(1, RED)
    mixed = docgen.combine([comments[0], summary, notice])
    assert "term-comment, work-summary, notice" == mixed.template
    assert [] == package_problems(mixed.to_bytes())
    plan = docgen.render(docgen.load_report(ROOT / "examples" / "work-plan.yaml"))
    with pytest.raises(docgen.RenderError, match=r"documents\[1\] \(work-plan\): has other styles"):
        docgen.combine([notice, plan])


def test_warnings_of_every_document_are_kept_once():
    def warned(field: str) -> docgen.Document:
        with pytest.warns(docgen.DocgenWarning):
            return docgen.render(Report("题", extra={field: "x"}), "work-summary")

    first, again, other = warned("foo"), warned("foo"), warned("bar")
    combined = docgen.combine([first, again, other])
    assert (*first.warnings, *other.warnings) == combined.warnings
    assert "work-summary" == combined.template


def test_combine_stays_the_function_whoever_imports_its_module_first():
    import importlib  # noqa: PLC0415

    importlib.import_module("docgen.combining")
    assert docgen.combine is importlib.import_module("docgen.combining").combine


@pytest.mark.audit
def test_the_combined_document_has_no_schema_findings(tmp_path, comments, pictured, notice):
    path = tmp_path / "combined.docx"
    docgen.combine([*pictured, *comments, notice]).save(path)
    out = subprocess.run(
        [sys.executable, "-m", "openxml_audit", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Errors: 0" in out.stdout, out.stdout


# --- printed -------------------------------------------------------------------------------


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty text lines, spaces removed."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [
        [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]
        for page in text.split("\f")[:-1]
    ]


@pytest.mark.libreoffice
def test_printed_each_record_starts_a_page_numbered_from_one(soffice, tmp_path, comments, notice):
    documents = [notice, *comments, with_picture_and_lists(1, RED), notice]
    for i, doc in enumerate(documents):
        doc.save(tmp_path / f"record{i}.docx")
    docgen.combine(documents).save(tmp_path / "combined.docx")
    sources = [tmp_path / f"record{i}.docx" for i in range(len(documents))]
    soffice_convert(soffice, *sources, tmp_path / "combined.docx", out_dir=tmp_path)
    alone = [_pages(tmp_path / f"record{i}.pdf") for i in range(len(documents))]
    combined = _pages(tmp_path / "combined.pdf")
    assert [len(pages) for pages in alone] == [2, 1, 1, 1, 1, 2]  # the notice takes two pages
    assert sum(len(pages) for pages in alone) == len(combined)
    at = 0
    for record in alone:
        group = combined[at : at + len(record)]
        assert [page[0] for page in record] == [page[0] for page in group]  # starts a new page
        numbers = [re.search(r"—(\d+)—", "".join(page)) for page in group]
        assert [str(n) for n in range(1, len(record) + 1)] == [
            m.group(1) if m else None for m in numbers
        ]
        at += len(record)
    pictured_page = combined[sum(len(pages) for pages in alone[:4])]
    assert ["（1）甲", "（2）乙"] == [line for line in pictured_page if line.endswith(("甲", "乙"))]
