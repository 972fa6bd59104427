"""The post-render pass (docgen.postrender): markers resolved on the part's tree."""

from __future__ import annotations

from lxml import etree

from docgen.ooxml import W
from docgen.postrender import PARAGRAPH, TAB, finish_part, rich_end, rich_start

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _finish(body: str) -> etree._Element:
    xml = f"<w:document {NS}><w:body>{body}</w:body></w:document>"
    return etree.fromstring(finish_part(xml, "word/document.xml"))


def _texts(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def test_a_line_break_in_a_value_starts_a_paragraph_with_the_same_properties() -> None:
    root = _finish(
        '<w:p><w:pPr><w:pStyle w:val="Body"/></w:pPr><w:r><w:rPr><w:sz w:val="32"/></w:rPr>'
        f"<w:t>甲{PARAGRAPH}乙</w:t></w:r><w:r><w:t>丙</w:t></w:r></w:p>"
    )
    paragraphs = root.findall(f".//{W}p")
    assert ["甲", "乙丙"] == [_texts(p) for p in paragraphs]
    for p in paragraphs:
        assert "Body" == p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
    assert "32" == paragraphs[1].find(f"{W}r/{W}rPr/{W}sz").get(f"{W}val")


def test_a_paragraph_split_inside_a_hyperlink_continues_the_hyperlink() -> None:
    root = _finish(
        '<w:p><w:hyperlink w:anchor="a"><w:r>'
        f"<w:t>甲{PARAGRAPH}乙</w:t></w:r></w:hyperlink><w:r><w:t>丙</w:t></w:r></w:p>"
    )
    first, second = root.findall(f".//{W}p")
    assert "甲" == _texts(first)
    assert "乙丙" == _texts(second)
    link = second.find(f"{W}hyperlink")
    assert link is not None
    assert "a" == link.get(f"{W}anchor")
    assert "乙" == _texts(link)


def test_a_section_break_ends_up_in_the_last_piece_only() -> None:
    root = _finish(
        f"<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>甲{PARAGRAPH}乙{PARAGRAPH}丙</w:t></w:r></w:p>"
    )
    paragraphs = root.findall(f".//{W}p")
    assert ["甲", "乙", "丙"] == [_texts(p) for p in paragraphs]
    assert [False, False, True] == [p.find(f"{W}pPr/{W}sectPr") is not None for p in paragraphs]


def test_emphasis_gets_runs_of_its_own_and_a_tab_stays_in_its_run() -> None:
    root = _finish(
        '<w:p><w:r><w:rPr><w:em w:val="comma"/></w:rPr>'
        f"<w:t>甲{rich_start('be')}乙{rich_end()}丙{TAB}丁</w:t></w:r></w:p>"
    )
    runs = root.findall(f".//{W}r")
    assert ["甲", "乙", "丙丁"] == [_texts(r) for r in runs]
    bold = runs[1].find(f"{W}rPr")
    assert ["b", "bCs", "em"] == [etree.QName(c).localname for c in bold]
    assert "dot" == bold.find(f"{W}em").get(f"{W}val")  # 着重号 replaces the run's own mark
    assert runs[2].find(f"{W}tab") is not None


def test_a_part_without_markers_is_not_parsed_or_changed() -> None:
    run = '<w:r><w:t xml:space="preserve">甲</w:t></w:r>'
    xml = f"<w:document {NS}><w:body>\n<w:p>{run}</w:p></w:body></w:document>"
    assert xml.replace("\n<w:p>", "<w:p>").encode() == finish_part(xml, "word/document.xml")
