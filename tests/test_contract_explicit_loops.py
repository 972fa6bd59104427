"""The contract of explicit-loop templates: a block printed with ``{{ b }}`` is what it is.

A template that loops over ``s.blocks`` itself prints each block with ``{{ b }}``.  Alone in
its paragraph a table, a list, a picture or a page break is written as the block (as
``{{p b.xml }}`` would); among other text it cannot be, and the render says so.  Each
picture's bytes are stored once in the package, and every picture relationship is used.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

import docgen
from docgen import (
    BulletList,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Report,
    Run,
    Section,
    Table,
)
from docgen.errors import DocgenWarning
from tests.conftest import part, texts

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d49444154"
    "789c63f8cfc0f01f0005000201e2b7a9c50000000049454e44ae426082"
)
OTHER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154"
    "789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082"
)


def loop_template(make_template, block_line: str = "{{ b }}"):
    """Sections with their headings, each block printed by *block_line* in a paragraph."""
    return make_template(
        ("BodyText", "{%p for s in sections %}"),
        ("Heading1", "{{ s.label }}{{ s.title }}"),
        ("BodyText", "{%p for b in s.blocks %}"),
        ("BodyText", block_line),
        ("BodyText", "{%p endfor %}"),
        ("BodyText", "{%p endfor %}"),
    )


def media(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("word/media/"))


def picture_rels(data: bytes) -> dict[str, str]:
    """Id → target of every picture relationship of the main document."""
    rels = part(data, "word/_rels/document.xml.rels")
    out: dict[str, str] = {}
    for rel in re.findall(r"<Relationship [^>]*/>", rels):
        if "relationships/image" in rel:
            rid = re.search(r'Id="([^"]+)"', rel)
            target = re.search(r'Target="([^"]+)"', rel)
            assert rid is not None
            assert target is not None
            assert rid.group(1) not in out, f"relationship {rid.group(1)} written twice"
            out[rid.group(1)] = target.group(1)
    return out


def assert_pictures_sound(data: bytes) -> None:
    """Every picture relationship is used, points at a part, and no part is unreferenced."""
    rels = picture_rels(data)
    xml = part(data, "word/document.xml")
    used = set(re.findall(r'r:embed="([^"]+)"', xml))
    assert used == set(rels), f"used {sorted(used)}, related {sorted(rels)}"
    assert sorted("word/" + t for t in rels.values()) == media(data)


# --- {{ b }} alone in its paragraph: the block itself -----------------------------------------


def test_a_table_printed_alone_is_a_real_table(make_template):
    report = Report(
        "题",
        sections=[
            Section(
                "成绩",
                blocks=["说明文字", Table([["姓名", "成绩"], ["张三", "90"]], header_rows=1)],
            )
        ],
    )
    doc = docgen.render(report, template=loop_template(make_template))
    data = doc.to_bytes()
    document = docx.Document(io.BytesIO(data))
    assert 1 == len(document.tables)
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert [["姓名", "成绩"], ["张三", "90"]] == cells
    assert ["一、成绩", "说明文字"] == texts(data)  # no row left as a line of text
    assert () == doc.warnings


@pytest.mark.parametrize(
    ("block", "style"),
    [(BulletList(["甲", "乙"]), "ListBullet"), (NumberedList(["甲", "乙"]), "ListNumber")],
)
def test_a_list_printed_alone_is_a_real_list(make_template, block, style):
    report = Report("题", sections=[Section("安排", blocks=[block])])
    doc = docgen.render(report, template=loop_template(make_template))
    document = docx.Document(io.BytesIO(doc.to_bytes()))
    items = [p for p in document.paragraphs if p.text in ("甲", "乙")]
    assert ["甲", "乙"] == [p.text for p in items]
    assert all(p._p.pPr.numPr is not None for p in items)
    assert [style, style] == [p._p.pPr.pStyle.val for p in items]
    assert () == doc.warnings


def test_a_picture_printed_alone_is_placed_with_its_caption_and_stored_once(make_template):
    report = Report(
        "题", sections=[Section("校徽", blocks=[Image(PNG, width_cm=3, caption="图1")])]
    )
    data = docgen.render(report, template=loop_template(make_template)).to_bytes()
    document = docx.Document(io.BytesIO(data))
    assert 1 == len(document.inline_shapes)
    assert 3.0 == round(document.inline_shapes[0].width.cm, 2)
    assert ["一、校徽", "图1"] == texts(data)
    assert 1 == len(media(data))
    assert_pictures_sound(data)


def test_a_page_break_printed_alone_breaks_the_page(make_template):
    report = Report("题", sections=[Section("一", blocks=["前", PageBreak(), "后"])])
    data = docgen.render(report, template=loop_template(make_template)).to_bytes()
    xml = part(data, "word/document.xml")
    assert 1 == xml.count('<w:br w:type="page"/>')
    assert xml.index("前") < xml.index('w:type="page"') < xml.index("后")


def test_paragraphs_keep_their_runs_beside_blocks_written_whole(make_template):
    report = Report(
        "题",
        sections=[
            Section(
                "一",
                blocks=[
                    Paragraph([Run("依托"), Run("德育", bold=True)]),
                    Table([["甲", "乙"]]),
                    BulletList(["丙"]),
                ],
            )
        ],
    )
    doc = docgen.render(report, template=loop_template(make_template))
    data = doc.to_bytes()
    document = docx.Document(io.BytesIO(data))
    assert ["一、一", "依托德育", "丙"] == texts(data)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert ["德育"] == bold
    assert [["甲", "乙"]] == [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert () == doc.warnings


def test_a_table_printed_alone_in_a_table_cell_is_a_table_in_the_cell(tmp_path):
    template = docx.Document()
    template.add_paragraph("{%p for s in sections %}")
    grid = template.add_table(rows=1, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "{{ s.title }}", "{{ s.blocks[0] }}"
    template.add_paragraph("{%p endfor %}")
    template.save(tmp_path / "cell.docx")
    report = Report("题", sections=[Section("成绩", blocks=[Table([["甲", "乙"], ["1", "2"]])])])
    doc = docgen.render(report, template=tmp_path / "cell.docx")
    cell = docx.Document(io.BytesIO(doc.to_bytes())).tables[0].cell(0, 1)
    (inner,) = cell.tables
    assert [["甲", "乙"], ["1", "2"]] == [[c.text for c in r.cells] for r in inner.rows]
    assert qn("w:p") == cell._tc[-1].tag  # a cell ends with a paragraph
    assert () == doc.warnings


# --- {{ b }} among other text: flattened, and the render says so ------------------------------


@pytest.mark.parametrize(
    ("block", "kind", "text"),
    [
        (Table([["姓名", "成绩"], ["张三", "90"]]), "table", "姓名"),
        (BulletList(["甲", "乙"]), "bullet list", "甲"),
        (NumberedList(["甲", "乙"]), "numbered list", "甲"),
    ],
)
def test_a_block_printed_among_text_is_flattened_with_a_warning(make_template, block, kind, text):
    tpl = loop_template(make_template, "附：{{ b }}")
    report = Report("题", sections=[Section("一", blocks=["正文", block])])
    with pytest.warns(DocgenWarning, match=re.escape("{{p b.xml }}")):
        doc = docgen.render(report, template=tpl)
    document = docx.Document(io.BytesIO(doc.to_bytes()))
    assert [] == document.tables
    assert any(text in p.text for p in document.paragraphs)  # its text is still there
    (warning,) = doc.warnings
    assert f"sections[0].blocks[1] (a {kind})" in warning
    assert "word/document.xml" in warning
    assert "“附：{{ b }}”" in warning  # the template's paragraph


def test_a_picture_printed_among_text_stays_inline_without_a_warning(make_template):
    tpl = loop_template(make_template, "校徽：{{ b }}")
    report = Report("题", sections=[Section("一", blocks=[Image(PNG, width_cm=1)])])
    doc = docgen.render(report, template=tpl)
    data = doc.to_bytes()
    document = docx.Document(io.BytesIO(data))
    (p,) = [p for p in document.paragraphs if "校徽" in p.text]
    assert p._p.xpath(".//w:drawing")  # the picture sits in the paragraph, after the text
    assert p.text.startswith("校徽：")
    assert () == doc.warnings
    assert_pictures_sound(data)


# --- pictures: stored once, every relationship used --------------------------------------------


def test_a_picture_written_by_a_loop_is_stored_once(make_template):
    tpl = loop_template(make_template, "{{p b.xml }}")
    report = Report("题", sections=[Section("一", blocks=[Image(PNG, caption="图1")])])
    data = docgen.render(report, template=tpl).to_bytes()
    assert 1 == len(media(data))
    assert_pictures_sound(data)


def test_the_same_picture_twice_is_stored_once_and_a_different_one_apart(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    report = Report("题", intro=[Image(path), Image(PNG), Image(OTHER_PNG)])
    data = docgen.render(report).to_bytes()
    assert 3 == len(docx.Document(io.BytesIO(data)).inline_shapes)
    assert 2 == len(media(data))
    assert_pictures_sound(data)
