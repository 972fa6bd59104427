"""docgen.files.decode_text: the one policy docgen reads text files with."""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path

import pytest

from docgen.errors import DataError, DocgenWarning
from docgen.files import decode_text
from docgen.records import read_records

TEXT = "小结\n一、学习\n内容：“二〇一四年”。"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode(),
        codecs.BOM_UTF8 + TEXT.encode(),
        TEXT.encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16", "utf-16-le BOM", "utf-16-be BOM"],
)
def test_utf8_and_marked_utf16_are_read_silently_without_their_mark(raw: bytes) -> None:
    notes: list[str] = []
    assert TEXT == decode_text(raw, "a.txt", warn=notes.append)
    assert [] == notes


def test_gbk_is_read_as_gb18030_with_a_note_to_the_callback() -> None:
    notes: list[str] = []
    assert TEXT == decode_text(TEXT.encode("gbk"), "a.txt", warn=notes.append)
    assert 1 == len(notes)
    assert re.fullmatch(
        r"not UTF-8 \(byte 0x[0-9a-f]{2} at offset \d+\); read as GB18030 \(GBK\)", notes[0]
    )


def test_gbk_without_a_callback_warns_naming_the_file() -> None:
    with pytest.warns(DocgenWarning, match=r"^名单\.csv: not UTF-8 .*; read as GB18030 \(GBK\)$"):
        assert TEXT == decode_text(TEXT.encode("gbk"), "名单.csv")


def test_gb18030_beyond_gbk_is_read() -> None:
    text = "𠀀€"  # a CJK Extension B ideograph and the euro sign: four-byte GB18030
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DocgenWarning)
        assert text == decode_text(text.encode("gb18030"), "a.txt")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00\x01binary", r"a\.txt: is not a text file; .*found binary data \(NUL bytes\)"),
        (
            codecs.BOM_UTF16_LE + b"\x00\xd8",  # a lone surrogate
            r"a\.txt: is not valid UTF-16 text \(it starts with a UTF-16 byte-order mark\)",
        ),
        (
            codecs.BOM_UTF8 + "小结\n".encode("gbk"),
            r"a\.txt: is not valid UTF-8 text \(it starts with a UTF-8 byte-order mark\); "
            r".*found byte 0x\w\w at offset \d+ \(line 1\)",
        ),
        (
            b"ok\nok\n\xff\xfe\xfd",
            r"a\.txt: is neither UTF-8 nor GBK/GB18030 text; expected text saved as UTF-8 or "
            r"GBK \(GB18030\); found byte 0xff at offset 6 \(line 3\)",
        ),
    ],
    ids=["binary", "bad utf-16", "bad utf-8 after its mark", "neither"],
)
def test_undecodable_bytes_are_a_data_error_naming_the_file(raw: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        decode_text(raw, "a.txt", warn=lambda note: None)


def test_a_gbk_csv_from_excel_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名,班级\n张三,三(2)班\n".encode("gbk"))
    with pytest.warns(DocgenWarning, match="read as GB18030"):
        records = read_records(path)
    assert [("row 2", {"姓名": "张三", "班级": "三(2)班"})] == records


def test_a_utf16_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名,班级\n张三,三(2)班\n".encode("utf-16"))
    assert [("row 2", {"姓名": "张三", "班级": "三(2)班"})] == read_records(path)
