"""Importing a Word document keeps what is there: its own title, tables, lists, controls.

Each document is built here as a zip of WordprocessingML, shaped like the files that reach
docgen: pandoc output over a GB/T 9704 reference document, forms of content controls and tables,
master documents with sub-documents.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

import docgen
from docgen import BulletList, Cell, DataError, NumberedList, Paragraph, Section, Table
from docgen.cn import Term

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CORE_NS = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)

NOTICE_TITLE = "关于召开2013学年第一学期期末工作会议的通知"
# The body of a 通知 after its title (GB/T 9704: 主送机关, 正文, 发文机关署名, 成文日期).
NOTICE_BODY = [
    "各党小组：",
    "经研究，定于2014年1月20日召开2013学年第一学期期末工作会议，现将有关事项通知如下。",
    "一、会议时间",
    "2014年1月20日（星期一）下午1:30。",
    "二、参加人员",
    "全体党员。",
    "东二小学党支部",
    "2014年1月15日",
]


# --- building documents ------------------------------------------------------------------------


def p(text: str, ppr: str = "") -> str:
    """A paragraph of one run."""
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def styled(style_id: str) -> str:
    return f'<w:pStyle w:val="{style_id}"/>'


def style(style_id: str, name: str, ppr: str = "") -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"<w:pPr>{ppr}</w:pPr></w:style>"
    )


def tc(*paragraphs: str) -> str:
    return "<w:tc>" + "".join(p(t) for t in paragraphs) + "</w:tc>"


def tr(*cells: str) -> str:
    return "<w:tr>" + "".join(tc(c) for c in cells) + "</w:tr>"


CENTRED = '<w:jc w:val="center"/>'
NUM = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{}"/></w:numPr>'
# numId 1: a bullet list, numId 2: a decimal list starting at 1 (Word's "List Number").
NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
)


def relationship(rid: str, kind: str, target: str, *, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{REL_TYPE}{kind}" Target="{target}"{mode}/>'


def docx(
    body: str,
    *,
    styles: str = "",
    numbering: str | None = None,
    core_title: str | None = None,
    rels: str = "",
    parts: dict[str, bytes] | None = None,
) -> bytes:
    """A .docx around *body*, with the styles, numbering, metadata title and parts given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        package_rels = relationship("rId1", "officeDocument", "word/document.xml")
        if core_title is not None:
            package_rels += (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            )
            zf.writestr(
                "docProps/core.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties {CORE_NS}>'
                f"<dc:title>{core_title}</dc:title></cp:coreProperties>",
            )
        zf.writestr(
            "_rels/.rels", f'<Relationships xmlns="{REL_NS}">{package_rels}</Relationships>'
        )
        zf.writestr("word/document.xml", document_xml(body))
        zf.writestr(
            "word/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W_NS}>{styles}</w:styles>',
        )
        if numbering is not None:
            zf.writestr(
                "word/numbering.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W_NS}>{numbering}'
                "</w:numbering>",
            )
        if rels:
            zf.writestr(
                "word/_rels/document.xml.rels",
                f'<Relationships xmlns="{REL_NS}">{rels}</Relationships>',
            )
        for name, data in (parts or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def document_xml(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}'
        "</w:body></w:document>"
    )


def texts(blocks: tuple[object, ...]) -> list[str]:
    return [b.text if isinstance(b, Paragraph) else type(b).__name__ for b in blocks]


# --- the title is the document's own -----------------------------------------------------------

# pandoc writes the metadata title (here the reference document's "公文文档") as a Title-style
# paragraph before the body, and into docProps/core.xml; the notice's own title follows it.
PANDOC_STYLES = (
    style("Title", "Title", CENTRED)
    + style("Heading1", "heading 1")
    + style("CentredHeading1", "heading 1", CENTRED)
    + style("BodyText", "Body Text")
)


@pytest.mark.parametrize(
    "title_ppr",
    [
        styled("Heading1"),  # "# 关于…的通知" in pandoc's Markdown: the only level-1 heading
        styled("CentredHeading1"),  # the reference document centres its heading 1
        CENTRED,  # a centred plain paragraph
    ],
    ids=["single-top-heading", "centred-heading-style", "centred-paragraph"],
)
def test_a_converters_metadata_title_before_the_documents_own_title_is_not_the_title(title_ppr):
    body = (
        p("公文文档", styled("Title"))
        + p(NOTICE_TITLE, title_ppr)
        + "".join(p(t, styled("BodyText")) for t in NOTICE_BODY)
    )
    data = docx(body, styles=PANDOC_STYLES, core_title="公文文档")

    result = docgen.import_docx(data, source="notice.docx")

    report = result.report
    assert NOTICE_TITLE == report.title
    assert Term.parse("2013学年第一学期") == report.term
    assert NOTICE_BODY[:2] == texts(report.intro)
    assert (
        Section("会议时间", [NOTICE_BODY[3]]),
        Section("参加人员", [NOTICE_BODY[5]]),
    ) == report.sections
    assert report.signature is not None
    assert ("东二小学党支部", dt.date(2014, 1, 15)) == (
        report.signature.org,
        report.signature.date,
    )
    assert [
        "notice.docx: the Title-style paragraph 「公文文档」 repeats the file's "
        "document-properties title (docProps/core.xml), as pandoc writes it; the document's "
        "own title "
        f"「{NOTICE_TITLE}」 follows it and is the title"
    ] == result.warnings


def test_a_single_unlabelled_top_heading_is_the_title_not_a_section_holding_everything():
    body = p(NOTICE_TITLE, styled("Heading1")) + "".join(p(t) for t in NOTICE_BODY)
    data = docx(body, styles=PANDOC_STYLES, core_title="公文文档")

    report = docgen.import_docx(data, source="notice.docx").report

    assert NOTICE_TITLE == report.title
    assert ["会议时间", "参加人员"] == [s.title for s in report.sections]


def test_a_heading_centred_by_its_style_at_the_top_is_the_title():
    # the title and the sections share heading 1; only the style's w:jc tells the title apart
    body = (
        p(NOTICE_TITLE, styled("CentredHeading1"))
        + p(NOTICE_BODY[1])
        + p("一、会议时间", styled("Heading1"))
        + p(NOTICE_BODY[3])
        + p("二、参加人员", styled("Heading1"))
        + p(NOTICE_BODY[5])
    )

    report = docgen.import_docx(docx(body, styles=PANDOC_STYLES)).report

    assert NOTICE_TITLE == report.title
    assert [NOTICE_BODY[1]] == texts(report.intro)
    assert ["会议时间", "参加人员"] == [s.title for s in report.sections]


def test_the_metadata_title_is_the_last_resort_when_the_body_has_no_title_paragraph():
    body = "".join(p(t) for t in NOTICE_BODY[2:6])
    data = docx(body, core_title="2013学年第一学期党支部工作小结")

    result = docgen.import_docx(data, source="summary.docx")

    assert "2013学年第一学期党支部工作小结" == result.report.title
    assert Term.parse("2013学年第一学期") == result.report.term
    assert ["会议时间", "参加人员"] == [s.title for s in result.report.sections]
    assert [
        "summary.docx: the body has no title paragraph (it starts with a heading); the title "
        "「2013学年第一学期党支部工作小结」 is the file's document-properties title "
        "(docProps/core.xml)"
    ] == result.warnings


# --- tables and lists without paragraphs ---------------------------------------------------------


def test_a_document_of_tables_only_imports_its_tables():
    first = (
        "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p>"
        "</w:tc><w:tc><w:p><w:r><w:t>职务</w:t></w:r></w:p></w:tc></w:tr>"
        + tr("张三", "支部书记")
        + tr("李四", "组织委员")
        + "</w:tbl>"
    )
    second = "<w:tbl>" + tr("会议", "2014年1月20日") + "</w:tbl>"

    result = docgen.import_docx(docx(first + "<w:p/>" + second), source="table.docx")

    assert (
        Table([["姓名", "职务"], ["张三", "支部书记"], ["李四", "组织委员"]], header_rows=1),
        Table([["会议", "2014年1月20日"]], header_rows=0),
    ) == result.report.intro
    assert "" == result.report.title
    assert result.report.sections == ()


@pytest.mark.parametrize(
    ("ppr", "styles", "expected"),
    [
        (NUM.format(2), "", NumberedList(["认真备课。", "认真上课。", "认真批改作业。"])),
        (  # the numbering comes from the paragraph style, as Word's "List Bullet" does
            styled("ListBullet"),
            style("ListBullet", "List Bullet", NUM.format(1)),
            BulletList(["认真备课。", "认真上课。", "认真批改作业。"]),
        ),
    ],
    ids=["numPr-on-the-paragraph", "numPr-from-the-style"],
)
def test_a_document_of_list_paragraphs_only_imports_the_list(ppr, styles, expected):
    body = "".join(p(t, ppr) for t in ["认真备课。", "认真上课。", "认真批改作业。"])

    report = docgen.import_docx(docx(body, styles=styles, numbering=NUMBERING)).report

    assert (expected,) == report.intro


def test_a_document_without_text_anywhere_is_refused_naming_where_text_was_looked_for():
    empty_table = "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    expected = "expected a document with text in its paragraphs, lists or tables"
    with pytest.raises(DataError, match=rf"empty\.docx: has no text; {expected}"):
        docgen.import_docx(docx("<w:p/>" + empty_table), source="empty.docx")


# --- content controls, sub-documents, embedded chunks --------------------------------------------


def sdt(content: str) -> str:
    """A content control around *content*."""
    return (
        '<w:sdt><w:sdtPr><w:tag w:val="x"/></w:sdtPr>'
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def test_text_in_content_controls_around_rows_cells_and_runs_is_kept():
    # a form: Word's repeating-section control wraps table rows, a custom-XML element a cell
    table = (
        "<w:tbl>"
        + tr("姓名", "职务")
        + sdt(tr("张三", "支部书记") + tr("李四", "组织委员"))
        + '<w:tr><w:customXml w:element="member">'
        + tc("王五")
        + "</w:customXml>"
        + tc("宣传委员")
        + "</w:tr></w:tbl>"
    )
    nested = "<w:tbl>" + sdt(tr("甲", "乙")) + "</w:tbl>"
    body = (
        p("党员名单", CENTRED)
        + sdt("<w:p><w:r><w:t>填表人：</w:t></w:r>" + sdt("<w:r><w:t>赵六</w:t></w:r>") + "</w:p>")
        + table
        + "<w:tbl><w:tr><w:tc>"
        + p("备注")
        + nested
        + "</w:tc></w:tr></w:tbl>"
    )

    report = docgen.import_docx(docx(body)).report

    assert "党员名单" == report.title
    assert (
        Paragraph("填表人：赵六"),
        Table(
            [["姓名", "职务"], ["张三", "支部书记"], ["李四", "组织委员"], ["王五", "宣传委员"]],
            header_rows=0,
        ),
        Table([[Cell([Paragraph("备注"), Paragraph("甲\t乙")])]], header_rows=0),
    ) == report.intro


def test_the_text_of_a_sub_document_inside_the_package_is_kept_in_place():
    sub = document_xml(p("一、会议时间") + p(NOTICE_BODY[3]))
    body = (
        p(NOTICE_TITLE, CENTRED)
        + p(NOTICE_BODY[1])
        + '<w:p><w:subDoc r:id="rId7"/></w:p>'
        + p("二、参加人员")
        + p(NOTICE_BODY[5])
    )
    data = docx(
        body,
        rels=relationship("rId7", "subDocument", "subdoc1.xml"),
        parts={"word/subdoc1.xml": sub.encode()},
    )

    result = docgen.import_docx(data, source="master.docx")

    assert (
        Section("会议时间", [NOTICE_BODY[3]]),
        Section("参加人员", [NOTICE_BODY[5]]),
    ) == result.report.sections
    assert [] == result.warnings


def test_a_sub_document_in_another_file_is_named_in_a_warning():
    body = p(NOTICE_TITLE, CENTRED) + p(NOTICE_BODY[1]) + '<w:p><w:subDoc r:id="rId7"/></w:p>'
    rels = relationship("rId7", "subDocument", "file:///D:/通知/会议时间.docx", external=True)

    result = docgen.import_docx(docx(body, rels=rels), source="master.docx")

    assert [NOTICE_BODY[1]] == texts(result.report.intro)
    assert [
        "master.docx: the sub-document file:///D:/通知/会议时间.docx is a separate file (a "
        "master document's link); its text was left out"
    ] == result.warnings


def test_an_embedded_docx_or_text_chunk_is_kept_in_place():
    chunk = docx(p("一、会议时间") + p(NOTICE_BODY[3]))
    body = (
        p(NOTICE_TITLE, CENTRED)
        + '<w:altChunk r:id="rId8"/>'
        + '<w:altChunk r:id="rId9"/>'
        + p(NOTICE_BODY[5])
    )
    rels = relationship("rId8", "aFChunk", "chunk1.docx") + relationship(
        "rId9", "aFChunk", "chunk2.txt"
    )
    parts = {"word/chunk1.docx": chunk, "word/chunk2.txt": "二、参加人员\r\n".encode()}

    result = docgen.import_docx(docx(body, rels=rels, parts=parts), source="chunks.docx")

    assert (
        Section("会议时间", [NOTICE_BODY[3]]),
        Section("参加人员", [NOTICE_BODY[5]]),
    ) == result.report.sections
    assert [] == result.warnings


def test_a_sub_document_that_includes_itself_is_read_once_with_a_warning():
    sub = document_xml(p("一、会议时间") + p(NOTICE_BODY[3]) + '<w:p><w:subDoc r:id="rId1"/></w:p>')
    body = p(NOTICE_TITLE, CENTRED) + '<w:p><w:subDoc r:id="rId7"/></w:p>'
    data = docx(
        body,
        rels=relationship("rId7", "subDocument", "subdoc1.xml"),
        parts={
            "word/subdoc1.xml": sub.encode(),
            "word/_rels/subdoc1.xml.rels": (
                f'<Relationships xmlns="{REL_NS}">'
                + relationship("rId1", "subDocument", "subdoc1.xml")
                + "</Relationships>"
            ).encode(),
        },
    )

    result = docgen.import_docx(data, source="loop.docx")

    assert (Section("会议时间", [NOTICE_BODY[3]]),) == result.report.sections
    assert [
        "loop.docx: the sub-document word/subdoc1.xml includes itself or is nested too deep; "
        "it was left out"
    ] == result.warnings
