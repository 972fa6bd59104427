"""Tables and pictures where docxtpl users struggle: column loops, merged cells, pictures in
rows, loops in headers, and a table of contents refreshed on opening."""

from __future__ import annotations

import io
import re

import docx
import pytest

import docgen
from docgen import Image
from tests.conftest import part
from tests.test_render import PNG
from tools.build_templates import build_docx, paragraph, read_manifest

FONTS = read_manifest("work-summary")["fonts"]


def cell(text: str, *, span: str = "") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{span}</w:tcPr>'
        f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
    )


def row(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(*rows: str, cols: int = 3) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(cols))
    borders = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}'
        f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


@pytest.fixture
def template_of(tmp_path):
    count = 0

    def make(body: str):
        nonlocal count
        count += 1
        path = tmp_path / f"t{count}.docx"
        path.write_bytes(
            build_docx({"name": "t", "fonts": FONTS}, body + paragraph("BodyText", ""))
        )
        return path

    return make


def grid(data: bytes) -> list[list[str]]:
    t = docx.Document(io.BytesIO(data)).tables[0]
    return [[c.text for c in r.cells] for r in t.rows]


def test_a_table_whose_columns_come_from_data(template_of):
    body = table(
        row(
            cell("姓名"), cell("{%tc for s in subjects %}"), cell("{{ s }}"), cell("{%tc endfor %}")
        ),
        row(cell("{%tr for p in pupils %}"), cell(""), cell(""), cell("")),
        row(
            cell("{{ p.name }}"),
            cell("{%tc for s in subjects %}"),
            cell("{{ p.scores[s] }}"),
            cell("{%tc endfor %}"),
        ),
        row(cell("{%tr endfor %}"), cell(""), cell(""), cell("")),
        cols=4,
    )
    data = {
        "subjects": ["语文", "数学", "英语"],
        "pupils": [
            {"name": "张三", "scores": {"语文": 90, "数学": 95, "英语": 88}},
            {"name": "李四", "scores": {"语文": 85, "数学": 80, "英语": 92}},
        ],
    }
    out = docgen.render(data, template_of(body)).to_bytes()
    assert [
        ["姓名", "语文", "数学", "英语"],
        ["张三", "90", "95", "88"],
        ["李四", "85", "80", "92"],
    ] == grid(out)
    xml = part(out, "word/document.xml")
    assert 4 == len(re.findall(r"<w:gridCol ", xml))  # the grid follows the columns


def test_identical_adjacent_cells_merge_vertically(template_of):
    body = table(
        row(cell("年级"), cell("班级"), cell("人数")),
        row(cell("{%tr for c in classes %}"), cell(""), cell("")),
        row(cell("{% vmerge %}{{ c.grade }}"), cell("{{ c.name }}"), cell("{{ c.size }}")),
        row(cell("{%tr endfor %}"), cell(""), cell("")),
    )
    data = {
        "classes": [
            {"grade": "一年级", "name": "1班", "size": 30},
            {"grade": "一年级", "name": "2班", "size": 31},
            {"grade": "二年级", "name": "1班", "size": 29},
        ]
    }
    out = docgen.render(data, template_of(body)).to_bytes()
    t = docx.Document(io.BytesIO(out)).tables[0]
    assert t.cell(1, 0)._tc is t.cell(2, 0)._tc  # 一年级 spans two rows
    assert t.cell(3, 0)._tc is not t.cell(2, 0)._tc
    assert ["一年级", "一年级", "二年级"] == [t.cell(r, 0).text for r in (1, 2, 3)]


def test_pictures_inside_table_rows_come_from_the_data(template_of, tmp_path):
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    body = table(
        row(cell("姓名"), cell("照片"), cell("评语")),
        row(cell("{%tr for p in pupils %}"), cell(""), cell("")),
        row(cell("{{ p.name }}"), cell("{{ p.photo|image(2) }}"), cell("{{ p.comment }}")),
        row(cell("{%tr endfor %}"), cell(""), cell("")),
    )
    data = {
        "pupils": [
            {"name": "张三", "photo": Image(photo), "comment": "认真"},
            {"name": "李四", "photo": Image(PNG, width_cm=5), "comment": "踏实"},
        ]
    }
    out = docgen.render(data, template_of(body)).to_bytes()
    document = docx.Document(io.BytesIO(out))
    shapes = document.inline_shapes
    assert [2.0, 2.0] == [round(s.width.cm, 2) for s in shapes]
    assert [["姓名", "照片", "评语"], ["张三", "", "认真"], ["李四", "", "踏实"]] == grid(out)


def test_a_template_cannot_name_a_file_to_read_as_a_picture(template_of):
    body = paragraph("BodyText", "{{ '/etc/hostname'|image }}")
    with pytest.raises(docgen.RenderError, match="pictures the data gives"):
        docgen.render({}, template_of(body))


def test_loops_in_a_footer_render(make_template):
    tpl = make_template(
        ("BodyText", "正文"),
        footer="{% for t in teachers %}{{ t }}{% if not loop.last %}、{% endif %}{% endfor %}",
    )
    out = docgen.render({"teachers": ["王老师", "李老师"]}, tpl).to_bytes()
    assert "王老师、李老师" in re.sub(r"<[^>]+>", "", part(out, "word/footer1.xml"))


def test_a_template_with_a_table_of_contents_asks_word_to_refresh_it(template_of):
    toc = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
        'xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>目录</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    out = docgen.render(
        docgen.Report("题", sections=[docgen.Section("一节")]),
        template_of(toc + paragraph("BodyText", "{{p body }}")),
    ).to_bytes()
    settings = part(out, "word/settings.xml")
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("updateFields") < settings.index("<w:compat>")
    plain = docgen.render(docgen.Report("题"), "work-summary").to_bytes()
    assert "updateFields" not in part(plain, "word/settings.xml")
