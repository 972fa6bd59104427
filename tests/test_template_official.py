"""The built-in official template: 公文 after GB/T 9704-2012, rendered from examples/."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from lxml import etree

import docgen
from tests.conftest import ROOT, soffice_convert
from tools.build_templates import TEMPLATES

EXAMPLE = ROOT / "examples" / "official.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text("utf-8"))


def render(data: dict[str, Any]) -> bytes:
    return docgen.render(docgen.report_from_mapping(data), "official").to_bytes()


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")


def text(el: etree._Element) -> str:
    """Visible text of a paragraph or table row, tabs as \\t."""
    out = []
    for node in el.iter(f"{W}t", f"{W}tab"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.getparent().tag == f"{W}r":  # a tab character, not a tab stop
            out.append("\t")
    return "".join(out)


def paragraphs(root: etree._Element) -> list[etree._Element]:
    """The body's own paragraphs (not those in the 版记 table), empty ones left out."""
    return [p for p in root.findall(f"{W}p") if text(p).strip()]


def texts(root: etree._Element) -> list[str]:
    return [text(p) for p in paragraphs(root)]


def find(root: etree._Element, start: str) -> etree._Element:
    return next(p for p in paragraphs(root) if text(p).startswith(start))


def only(root: etree._Element, whole: str) -> etree._Element:
    (found,) = (p for p in paragraphs(root) if text(p) == whole)
    return found


def attr(el: etree._Element | None, path: str, name: str) -> str | None:
    found = el.find(path, NS) if el is not None else None
    return None if found is None else found.get(f"{W}{name}")


@pytest.fixture(scope="module")
def example() -> etree._Element:
    return body(docgen.render(docgen.load_report(EXAMPLE), "official").to_bytes())


def without(*names: str) -> dict[str, Any]:
    data = example_data()
    for name in names:
        del data["extra"][name]
    return data


# --- order and content ----------------------------------------------------------------------


def test_the_elements_come_in_the_order_of_gbt9704(example):
    paras = texts(example)
    assert (
        [
            "上海市徐汇区教育局文件",  # 发文机关标志
            "徐教〔2014〕1号",  # 发文字号
            "关于做好2014年寒假期间",  # 标题, two lines
            "学校安全工作的通知",
            "区属各中小学、幼儿园：",  # 主送机关
        ]
        == paras[:5]
    )
    assert paras[5].startswith("2014年寒假即将来临")  # 正文
    assert (
        [
            "附件：1. 2014年寒假期间学校安全检查表",  # 附件说明
            "\u3000\u3000\u30002. 2014年寒假期间值班安排表",
            "上海市徐汇区教育局",  # 发文机关署名
            "2014年1月15日",  # 成文日期, GB/T 9704-2012 §7.3.5.4
            "（联系人：安全保卫科 王老师，联系电话：64870000）",  # 附注
        ]
        == paras[-5:]
    )
    # the 版记 is the last thing in the document
    blocks = [el for el in example if el.tag in (f"{W}p", f"{W}tbl")]
    last_table = max(i for i, el in enumerate(blocks) if el.tag == f"{W}tbl")
    assert all(not text(el).strip() for el in blocks[last_table + 1 :])
    rows = [text(tr) for tr in blocks[last_table].findall(f"{W}tr")]
    assert [
        "抄送：区教育督导室，区青少年活动中心，区教育发展研究中心。",
        "上海市徐汇区教育局办公室\t2014年1月15日印发",
    ] == rows


def test_no_tag_is_left_in_the_document(example):
    assert "{{" not in etree.tostring(example, encoding="unicode")
    assert "{%" not in etree.tostring(example, encoding="unicode")


def test_the_issuer_mark_is_red_centred_and_35_mm_down_the_text_block(example):
    mark = find(example, "上海市徐汇区教育局文件")
    run = mark.find("w:r", NS)
    assert "FF0000" == attr(run, "w:rPr/w:color", "val")
    assert "center" == attr(mark, "w:pPr/w:jc", "val")
    assert "Title" == attr(mark, "w:pPr/w:pStyle", "val")  # the title's face: 小标宋 or fallback
    assert "72" == attr(run, "w:rPr/w:sz", "val")  # 11 characters: 小初, 36 pt
    before = int(attr(mark, "w:pPr/w:spacing", "before"))
    assert 33 < before / 56.69 < 35  # + the ink's offset in its line = 35 mm (§7.2.4)
    assert run.find("w:rPr/w:rFonts", NS) is None  # faces come from the style (template.toml)


@pytest.mark.parametrize(
    ("mark", "half_points"),
    [
        ("徐汇区教育局文件", "84"),  # 初号: 8 × 14.8 mm
        ("上海市徐汇区东二小学文件", "72"),  # 小初: 12 × 12.7 mm = 152 mm
        ("上海市徐汇区教育局办公室文件", "54"),  # 27 pt
        ("中共上海市徐汇区教育工作委员会办公室文件", "44"),  # 二号: 20 × 7.8 mm = 155 mm
    ],
)
def test_the_issuer_mark_is_as_large_as_fits_one_line_of_the_text_block(mark, half_points):
    data = example_data()
    data["extra"]["issuer_mark"] = mark
    paragraph = find(body(render(data)), mark)
    assert half_points == attr(paragraph.find("w:r", NS), "w:rPr/w:sz", "val")
    assert len(mark) * int(half_points) / 2 <= 156 / 25.4 * 72  # fits 156 mm


def test_the_document_number_has_hexagonal_brackets_and_the_red_line_under_it(example):
    number = find(example, "徐教")
    assert "徐教〔2014〕1号" == text(number)
    assert "center" == attr(number, "w:pPr/w:jc", "val")
    bottom = number.find("w:pPr/w:pBdr/w:bottom", NS)
    assert "FF0000" == bottom.get(f"{W}color")
    assert "single" == bottom.get(f"{W}val")
    # 7 pt between the line box and the line: 4 mm below the characters' lower edge as
    # LibreOffice lays them out (docs/templates-official.md)
    assert "7" == bottom.get(f"{W}space")
    assert number.find("w:pPr/w:ind", NS).get(f"{W}left") is None  # as wide as the 版心
    # two blank lines under the mark (§7.2.5), two above the title (§7.3.1)
    assert 2 * 579 == int(attr(number, "w:pPr/w:spacing", "before"))
    red_lines = [b for b in example.iter(f"{W}bottom", f"{W}top") if b.get(f"{W}color") == "FF0000"]
    assert [bottom] == red_lines


def test_sections_are_numbered_after_gbt9704_with_its_heading_styles(example):
    headings = [
        (text(p), attr(p, "w:pPr/w:pStyle", "val"))
        for p in paragraphs(example)
        if (attr(p, "w:pPr/w:pStyle", "val") or "").startswith("Heading")
    ]
    assert ("一、提高认识，落实安全工作责任", "Heading1") == headings[0]
    assert ("（一）健全组织领导", "Heading2") == headings[1]
    assert ("1.校舍、围墙、护栏等建筑设施；", "Heading3") in headings
    assert ("（1）灭火器在有效期内，摆放位置醒目；", "Heading4") in headings
    assert ("三、加强教育，增强师生安全意识", "Heading1") in headings


def test_the_recipients_line_is_flush_left_and_ends_with_a_full_width_colon(example):
    recipients = find(example, "区属各中小学")
    assert text(recipients).endswith("幼儿园：")
    ind = recipients.find("w:pPr/w:ind", NS)
    assert ("0", "0") == (ind.get(f"{W}firstLineChars"), ind.get(f"{W}firstLine"))
    assert ind.get(f"{W}left") is None
    assert 579 == int(attr(recipients, "w:pPr/w:spacing", "before"))  # one blank line


@pytest.mark.parametrize(
    ("recipients", "expected"),
    [
        ("各中小学、幼儿园", "各中小学、幼儿园："),
        ("各中小学：", "各中小学："),
        ("各中小学:", "各中小学："),
        (["各中小学", "幼儿园", "区属各单位"], "各中小学、幼儿园、区属各单位："),
    ],
)
def test_the_recipients_end_with_one_full_width_colon(recipients, expected):
    data = example_data()
    data["extra"]["recipients"] = recipients
    assert expected == texts(body(render(data)))[4]


def test_the_signature_is_the_unsealed_block_with_an_arabic_date(example):
    org, date = only(example, "上海市徐汇区教育局"), only(example, "2014年1月15日")
    assert "Signature" == attr(org, "w:pPr/w:pStyle", "val")
    assert "right" == attr(date, "w:pPr/w:jc", "val")
    # the date is the longer line: it is 右空二字 and the organisation moves left (§7.3.5.2)
    assert "200" == attr(date, "w:pPr/w:ind", "rightChars")
    assert "275" == attr(org, "w:pPr/w:ind", "rightChars")


def test_the_note_is_bracketed_and_two_characters_in(example):
    note = find(example, "（联系人")
    assert text(note).endswith("64870000）")
    assert "BodyText" == attr(note, "w:pPr/w:pStyle", "val")  # its first line two characters in
    assert note.find("w:pPr/w:ind", NS) is None


def test_the_banji_sits_at_the_foot_of_the_last_page_between_its_lines(example):
    table = example.findall(f"{W}tbl")[-1]
    position = table.find("w:tblPr/w:tblpPr", NS)
    assert ("margin", "bottom") == (
        position.get(f"{W}vertAnchor"),
        position.get(f"{W}tblpYSpec"),
    )
    assert "8845" == attr(table, "w:tblPr/w:tblW", "w")  # 156 mm
    borders = table.find("w:tblPr/w:tblBorders", NS)
    sizes = {b.tag[len(W) :]: b.get(f"{W}sz") for b in borders}
    # 0.35 mm first and last lines, 0.25 mm between (§7.4.1), in eighths of a point
    assert {"top": "8", "bottom": "8", "insideH": "6"} == sizes
    cc, printed = table.findall(f"{W}tr")
    cc_ind = cc.find(".//w:pPr/w:ind", NS)
    # 抄送 one character (四号, 280 twips) in; a wrapped line aligns after 抄送：
    assert ("1120", "840", "280") == (
        cc_ind.get(f"{W}left"),
        cc_ind.get(f"{W}hanging"),
        cc_ind.get(f"{W}right"),
    )
    assert "28" == attr(cc, ".//w:r/w:rPr/w:sz", "val")  # 四号
    assert ("280", "280") == (
        attr(printed, ".//w:pPr/w:ind", "left"),
        attr(printed, ".//w:pPr/w:ind", "right"),
    )
    assert "right" == attr(printed, ".//w:pPr/w:tabs/w:tab", "val")


@pytest.mark.parametrize(
    ("drop", "rows"),
    [
        (("cc",), ["上海市徐汇区教育局办公室\t2014年1月15日印发"]),
        (
            ("printed_by", "printed_date"),
            ["抄送：区教育督导室，区青少年活动中心，区教育发展研究中心。"],
        ),
        (
            ("printed_date",),
            [
                "抄送：区教育督导室，区青少年活动中心，区教育发展研究中心。",
                "上海市徐汇区教育局办公室\t",
            ],
        ),
        (("cc", "printed_by", "printed_date"), []),
    ],
)
def test_the_banji_holds_only_what_the_data_gives(drop, rows):
    root = body(render(without(*drop)))
    tables = root.findall(f"{W}tbl")
    assert rows == ([text(tr) for tr in tables[-1].findall(f"{W}tr")] if tables else [])


def test_a_list_of_cc_organisations_is_joined_and_ends_with_a_full_stop():
    data = example_data()
    data["extra"]["cc"] = ["区教育督导室", "区青少年活动中心。"]
    row = body(render(data)).findall(f"{W}tbl")[-1].find(f"{W}tr")
    assert "抄送：区教育督导室，区青少年活动中心。" == text(row)


def test_without_an_issuer_mark_there_is_no_header_and_nothing_red():
    data = without("issuer_mark")
    rendered = render(data)
    root = body(rendered)
    assert "关于做好2014年寒假期间" == texts(root)[0]
    assert "徐教〔2014〕1号" not in texts(root)  # the 发文字号 belongs to the 版头
    xml = etree.tostring(root, encoding="unicode")
    assert "FF0000" not in xml
    assert "C00000" not in xml
    assert root.find(".//w:pBdr", NS) is None


def test_a_bare_report_renders_with_every_field_defaulted():
    root = body(docgen.render(docgen.Report("关于召开会议的通知"), "official").to_bytes())
    assert ["关于召开会议的通知"] == texts(root)
    assert root.find("w:tbl", NS) is None
    assert "FF0000" not in etree.tostring(root, encoding="unicode")


def test_the_manifest_asks_for_gbt9704_numbering_and_describes_its_fields():
    manifest = docgen.Template.load("official").manifest
    assert "GBT9704" == manifest.numbering
    assert {
        "issuer_mark",
        "doc_number",
        "recipients",
        "note",
        "cc",
        "printed_by",
        "printed_date",
    } == set(manifest.fields)
    for name, field in manifest.fields.items():
        assert not field.required, name
        assert field.description, name
        assert field.example, name
    assert "" == manifest.fields["issuer_mark"].default
    assert manifest.fields["printed_date"].default is None


@pytest.mark.audit
@pytest.mark.parametrize("data", ["example", "bare"])
def test_what_the_template_writes_has_no_schema_findings(tmp_path: Path, data):
    report = docgen.load_report(EXAMPLE) if data == "example" else docgen.Report("题")
    path = tmp_path / "official.docx"
    docgen.render(report, "official").save(path)
    for checked in (path, TEMPLATES / "official" / "template.docx"):
        out = subprocess.run(
            [sys.executable, "-m", "openxml_audit", str(checked)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Errors: 0" in out.stdout, out.stdout


# --- where LibreOffice puts things (GB/T 9704 measures, in mm from the page's top edge) ------

TEXT_TOP, TEXT_BOTTOM = 37.0, 37.0 + 225.0  # the 版心
DPI = 127  # 5 px a millimetre
MM = 25.4 / DPI


class Band(NamedTuple):
    """Consecutive pixel rows holding ink: its colour and extent in millimetres."""

    colour: str
    top: float
    bottom: float
    width: float


def ink_bands(ppm: bytes) -> list[Band]:
    """The bands of inked rows on a page rendered by pdftoppm (binary PPM), top to bottom."""
    magic, dims, maxval, data = ppm.split(b"\n", 3)
    assert (b"P6", b"255") == (magic, maxval)
    w, h = map(int, dims.split())
    bands: list[Band] = []
    start, red, dark, left, right = None, 0, 0, w, 0
    for y in range(h + 1):
        row = data[y * w * 3 : (y + 1) * w * 3] if y < h else b""
        pixels = [row[x : x + 3] for x in range(0, len(row), 3)]
        reds = [x for x, p in enumerate(pixels) if p[0] > 180 and p[1] < 100 and p[2] < 100]
        darks = [x for x, p in enumerate(pixels) if max(p) < 120]
        inked = reds + darks
        if inked:
            start = y if start is None else start
            red, dark = red + len(reds), dark + len(darks)
            left, right = min(left, *inked), max(right, *inked)
        elif start is not None:
            colour = "red" if red > dark else "black"
            bands.append(Band(colour, start * MM, y * MM, (right - left + 1) * MM))
            start, red, dark, left, right = None, 0, 0, w, 0
    return bands


def page_bands(soffice: str, docx: Path, tmp_path: Path) -> tuple[list[Band], list[Band]]:
    """The ink bands of the first and of the last page, as LibreOffice lays the document out."""
    env = {**os.environ, "FONTCONFIG_FILE": str(ROOT / "tools" / "preview" / "fonts.conf")}
    soffice_convert(soffice, docx, out_dir=tmp_path, env=env)
    pdf = docx.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    out = []
    for page in (1, pages):
        png = subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), str(pdf)],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        out.append(ink_bands(png))
    return out[0], out[1]


@pytest.mark.libreoffice
def test_libreoffice_puts_the_header_and_the_banji_where_gbt9704_does(soffice, tmp_path):
    docx = docgen.render(docgen.load_report(EXAMPLE), "official").save(tmp_path / "o.docx")
    first, last = page_bands(soffice, docx, tmp_path)
    mark, number, line, title = first[:4]
    assert ("red", "black", "red", "black") == (
        mark.colour,
        number.colour,
        line.colour,
        title.colour,
    )
    assert 34.5 <= mark.top - TEXT_TOP <= 35.5  # §7.2.4: 35 mm below the 版心's upper edge
    assert 23 <= number.top - mark.bottom <= 27  # §7.2.5: 空二行 (2 × 10.2 mm + the leading)
    assert line.bottom - line.top < 1
    assert line.width > 155  # as wide as the 版心
    assert 3.5 <= line.top - number.bottom <= 4.5  # §7.2.7: 4 mm under the 发文字号
    assert 23 <= title.top - line.bottom <= 27  # §7.3.1: 空二行 under the red line
    rules = [b for b in last if b.colour == "black" and b.bottom - b.top < 1 and b.width > 155]
    assert 3 == len(rules)  # the 版记's first, middle and last lines
    assert abs(rules[-1].bottom - TEXT_BOTTOM) < 0.6  # §7.4.1: on the 版心's lower edge
