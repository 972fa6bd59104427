"""Trustworthy under bad input and hostile templates: sandboxing, limits, nothing lost.

Each group proves one guarantee of docs/reliability.md through the public API (docgen.render,
docgen.Template.load, docgen.render_many, the CLI through click's CliRunner).
"""

from __future__ import annotations

import errno
import io
import multiprocessing
import os
import struct
import sys
import threading
import time
import warnings
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
import docgen.batch
import docgen.files
import docgen.limits
import docgen.ooxml
import docgen.sandbox
import docgen.template
from docgen import Image, NumberedList, Report, Section, Signature
from docgen.batch import render_many
from docgen.cli import main
from docgen.errors import RenderTimeoutError
from tests.conftest import EXAMPLE_YAML, texts
from tools.build_templates import build_docx, paragraph, read_manifest

FONTS = read_manifest("work-summary")["fonts"]

# Text that must never appear in an error message: file contents, Python's internals.
LEAKS = (
    "<class",
    "root:",
    "/bin/",
    "<function",
    "<module",
    " at 0x",
    "site-packages",
    "Traceback",
    "SECRET",
)


def template_bytes(*texts_: str) -> bytes:
    """A template .docx with one body paragraph per text (tags allowed)."""
    body = "".join(paragraph("BodyText", t, FONTS["body"]) for t in texts_)
    return build_docx({"name": "t", "fonts": FONTS}, body)


def write_template(tmp_path: Path, *texts_: str, name: str = "hostile.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(template_bytes(*texts_))
    return path


def repack(
    data: bytes,
    change: Callable[[str, bytes], bytes | None] | None = None,
    extra: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """*data* (a .docx) with its parts changed (None drops a part) and parts added."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info)
            if change is not None:
                content = change(info.filename, content)
            if content is not None:
                dst.writestr(info.filename, content)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a duplicate name, on purpose
            for name, content in extra:
                dst.writestr(name, content)
    return buf.getvalue()


def in_part(name: str, edit: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda part, content: edit(content) if part == name else content


class Holder:
    """Data with a private attribute a template must not reach."""

    _secret = "SECRET-VALUE"
    visible = "ok"


# --- the sandbox ------------------------------------------------------------------------------

HOSTILE_TEMPLATES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ (1).__class__.__base__.__subclasses__() }}",
    "{{ holder._secret }}",
    "{{ holder.__dict__ }}",
    "{{ func.__globals__ }}",
    "{{ func.__code__.co_consts }}",
    "{{ open('/etc/passwd').read() }}",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self }}",
    "{{ lipsum }}",
    "{{ cycler }}",
    "{{ dict.mro() }}",
    "{{ holder|attr('_secret') }}",
    "{{ '{0.__class__}'.format(holder) }}",
    "{{ '%s'|format(holder.__class__) }}",
    "{{ items.append(1) }}",
    "{{ config }}",
    "{{ request }}",
    "{% import 'os' as os %}{{ os.system('id') }}",
    "{% from 'os' import path %}",
    "{% include '/etc/passwd' %}",
    "{% include ['/etc/passwd', '/etc/hosts'] ignore missing %}",
    "{% extends 'base.docx' %}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    # printed through a format, a filter, a method or ~: still Python's internals
    "{{ '%s' % cycler }}",
    "{{ '%s %s' % (1, joiner) }}",
    "{{ self|pprint }}",
    "{{ cycler|string }}",
    "{{ namespace|upper }}",
    "{{ '' ~ cycler }}",
    "{{ '{}'.format(joiner) }}",
    "{{ [cycler]|join }}",
    "{{ ', '.join([range]) }}",
    "{{ dict|pprint }}",
    "{{ func|string }}",
]


@pytest.mark.parametrize("tag", HOSTILE_TEMPLATES)
def test_a_hostile_template_fails_with_a_docgen_error_and_leaks_nothing(tmp_path, tag):
    tpl = write_template(tmp_path, tag)
    data = {"holder": Holder(), "func": template_bytes, "items": []}
    started = time.monotonic()
    with pytest.raises(docgen.DocgenError) as info:
        docgen.render(data, tpl, timeout=10)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert str(tpl) in message  # the template is named
    for leak in LEAKS:
        assert leak not in message


UNBOUNDED = [
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% for x in 'a'*10**8 %}{% endfor %}",
    "{{ 'x'*10**9 }}",
    "{{ [0]*10**9 }}",
    "{{ 9**9999999 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ ('\t'*10**6).expandtabs(10**3) }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ '{:>{}}'.format(1, 10**9) }}",
    "{{ '%1000000000d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}",
    "{{ '%1000000000d'|format(1) }}",
    "{{ ('x'*10**6)|replace('x', 'x'*1000) }}",
    "{{ ('x\n'*10**6)|indent(1000) }}",
    "{{ (['x'*10**6]*50)|join }}",
    "{{ ''.join(['x'*10**6]*50) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
    "{% endfor %}",
    "{% set ns = namespace(s=[0]) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
    "{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s|replace('x', 'xx') %}{% endfor %}",
]


@pytest.mark.parametrize("tag", UNBOUNDED)
def test_a_template_building_a_huge_value_is_stopped_before_it_does(tmp_path, tag):
    tpl = write_template(tmp_path, tag)
    started = time.monotonic()
    with pytest.raises(docgen.RenderError) as info:
        docgen.render({}, tpl, timeout=10)
    assert time.monotonic() - started < 2  # refused, not computed and not timed out
    assert not isinstance(info.value, RenderTimeoutError)
    assert "template may build" in str(info.value) or "MAX_RANGE" in str(info.value)
    assert str(tpl) in str(info.value)


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
def test_refusing_a_gigabyte_string_allocates_nothing_like_it(tmp_path):
    import resource  # noqa: PLC0415

    tpl = write_template(tmp_path, "{{ 'x'*10**9 }}{{ [0]*10**9 }}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(docgen.RenderError):
        docgen.render({}, tpl)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000


def test_a_parts_output_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(docgen.limits, "MAX_OUTPUT", 1_000_000)
    tpl = write_template(tmp_path, "{% for i in range(99999) %}{{ 'x'*1000 }}{% endfor %}")
    with pytest.raises(docgen.RenderError, match=r"1,000,000 characters a part may render"):
        docgen.render({}, tpl)


NESTED_LOOPS = (
    "{% for i in range(99999) %}{% for j in range(99999) %}{{ j }}{% endfor %}{% endfor %}"
)


def test_an_endless_template_is_stopped_by_the_time_limit_naming_template_and_part(tmp_path):
    tpl = write_template(tmp_path, NESTED_LOOPS)
    started = time.monotonic()
    with pytest.raises(RenderTimeoutError) as info:
        docgen.render({}, tpl, timeout=0.5)
    assert 0.5 <= time.monotonic() - started < 3
    message = str(info.value)
    assert f"{tpl} (word/document.xml)" in message
    assert "took longer than 0.5 s" in message
    assert "render(timeout=" in message
    assert "DOCGEN_RENDER_TIMEOUT" in message
    assert isinstance(info.value, docgen.RenderError)
    assert isinstance(info.value, TimeoutError)
    # the thread goes on unharmed
    assert texts(docgen.render(Report("之后"), "work-summary").to_bytes()) == ["之后"]


def test_the_library_sets_no_time_limit_unless_asked_and_a_process_can_set_one(
    tmp_path, monkeypatch
):
    assert docgen.limits.RENDER_TIMEOUT is None  # the library's default: no limit
    assert 60 == docgen.limits.PROCESS_TIMEOUT  # the CLI's and the batch workers'
    tpl = write_template(tmp_path, NESTED_LOOPS)
    monkeypatch.setattr(docgen.limits, "RENDER_TIMEOUT", 0.3)
    with pytest.raises(RenderTimeoutError, match=r"0\.3 s"):
        docgen.render({}, tpl)
    monkeypatch.setenv("DOCGEN_RENDER_TIMEOUT", "0.2")
    with pytest.raises(RenderTimeoutError, match=r"0\.2 s"):
        docgen.render({}, tpl)
    monkeypatch.setenv("DOCGEN_RENDER_TIMEOUT", "soon")
    with pytest.raises(docgen.RenderError, match=r"DOCGEN_RENDER_TIMEOUT.*expected a number"):
        docgen.render({}, tpl)


def test_the_time_limit_works_in_any_thread(tmp_path):
    tpl = docgen.Template.load(write_template(tmp_path, NESTED_LOOPS))

    def one(_: int) -> str:
        try:
            docgen.render({}, tpl, timeout=0.3)
        except RenderTimeoutError as exc:
            return type(exc).__name__
        return "finished"

    with ThreadPoolExecutor(4) as pool:
        assert ["RenderTimeoutError"] * 4 == list(pool.map(one, range(4)))


def _busy() -> int:
    """Python code of the data's, a few milliseconds of it: the template cannot check it."""
    total = 0
    for i in range(100_000):
        total += i
    return total


def test_a_limit_about_as_long_as_a_render_never_strikes_after_it(tmp_path):
    """Limits about as long as a render: each render finishes or times out, nothing else."""
    tpl = docgen.Template.load(
        write_template(tmp_path, "{% for i in range(3) %}{{ busy() }}{% endfor %}")
    )

    def outcome(seconds: float) -> str:
        try:
            docgen.render({"busy": _busy}, tpl, timeout=seconds)
        except RenderTimeoutError:
            return "timed out"
        return "finished"

    started = time.perf_counter()
    _busy()
    took = time.perf_counter() - started
    outcomes = [outcome(took * (n % 60 + 1) / 10) for n in range(120)]
    total = 0
    for i in range(300_000):  # a stray exception would strike here
        total += i
    assert {"finished", "timed out"} == set(outcomes)
    assert 44_999_850_000 == total


def test_loops_over_the_data_and_macros_are_stopped_too(tmp_path):
    rows = list(range(100_000))
    for tag in (
        "{% for a in rows %}{% for b in rows %}{% endfor %}{% endfor %}",
        "{% macro m(n) %}{% for i in rows %}{% endfor %}{% endmacro %}"
        "{% for a in rows %}{{ m(a) }}{% endfor %}",
        "{% for a in rows %}{% for b in rows %}{% if a == b %}{% endif %}{% endfor %}{% endfor %}",
    ):
        started = time.monotonic()
        with pytest.raises(RenderTimeoutError):
            docgen.render({"rows": rows}, write_template(tmp_path, tag), timeout=0.3)
        assert time.monotonic() - started < 1  # the template's own checks: no grace needed


def _spin():
    """A generator in the data that never yields: Python code the template cannot check."""
    while True:
        pass
    yield  # pragma: no cover


def test_a_library_render_never_injects_an_exception_into_the_calling_thread(tmp_path):
    # no watchdog thread: whatever the caller does after a render with a limit, no exception
    tpl = write_template(tmp_path, "{% for i in items %}{{ i }}{% endfor %}")
    before = threading.active_count()
    for _ in range(20):
        docgen.render({"items": range(10)}, tpl, timeout=0.01)
    time.sleep(0.1)  # the limits are long past: nothing strikes here
    assert before == threading.active_count()


def test_python_code_of_the_data_is_stopped_where_docgen_owns_the_process(tmp_path):
    # The CLI and batch workers own their process: a hard stop (an interval timer in the main
    # thread) ends Python code the template's own checks cannot see.
    tpl = write_template(tmp_path, "{% for i in items %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(RenderTimeoutError), docgen.sandbox.process_time_limit(0.4):
        docgen.render({"items": _spin()}, tpl, timeout=0.2)
    assert 0.4 <= time.monotonic() - started < 2
    assert ["之后"] == texts(docgen.render(Report("之后"), "work-summary").to_bytes())


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="a pool of forked workers")
def test_the_time_limit_works_in_worker_processes(tmp_path):
    tpl = write_template(tmp_path, "{% if endless %}" + NESTED_LOOPS + "{% endif %}{{ title }}")
    records = [{"title": "一", "endless": False}, {"title": "二", "endless": True}]
    results = render_many(tpl, records, tmp_path / "out", workers=2, timeout=0.5)
    assert [True, False] == [r.ok for r in results]
    assert "took longer than 0.5 s" in results[1].error
    assert ["一.docx"] == [p.name for p in (tmp_path / "out").iterdir()]


def test_user_text_that_looks_like_jinja_is_printed_literally(tmp_path):
    tpl = write_template(tmp_path, "{{ x }}", "{{ y }}")
    doc = docgen.render({"x": "{{ 7*7 }}", "y": "{% include '/etc/passwd' %}{_{ z }_}"}, tpl)
    assert ["{{ 7*7 }}", "{% include '/etc/passwd' %}{_{ z }_}"] == texts(doc.to_bytes())


def test_any_value_a_template_prints_is_cleaned_and_escaped(tmp_path):
    class Shown:
        def __str__(self) -> str:
            return "<w:p>\x01&\x0b"

    tpl = write_template(tmp_path, "{{ signature }}", "{{ shown }}")
    report = Report("题", signature=Signature("学校\x01<党支部>"), extra={"shown": Shown()})
    with pytest.warns(docgen.DocgenWarning, match="U\\+0001"):
        doc = docgen.render(report, tpl)
    assert ["学校<党支部>", "<w:p>&"] == texts(doc.to_bytes())


# --- hostile packages ---------------------------------------------------------------------------


def _lying_sizes(data: bytes, part: str) -> bytes:
    """*data* with the sizes *part* declares (local header and central directory) set to 10."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        struct.pack_into("<I", out, zf.getinfo(part).header_offset + 22, 10)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + length] == part.encode():
            struct.pack_into("<I", out, at + 24, 10)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def _member_flags(data: bytes, part: str, *, flags: int = 0, method: int | None = None) -> bytes:
    """*data* with *part*'s general-purpose flags (and compression method) changed."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offset = zf.getinfo(part).header_offset
    struct.pack_into("<H", out, offset + 6, flags)
    if method is not None:
        struct.pack_into("<H", out, offset + 8, method)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + length] == part.encode():
            struct.pack_into("<H", out, at + 8, flags)
            if method is not None:
                struct.pack_into("<H", out, at + 10, method)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


DTD = b'<!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:p><w:r><w:t>HEADER</w:t></w:r></w:p></w:hdr>"
)


def _deep(tag: bytes, depth: int = 100_000) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(
        b"<w:body>", b"<w:body>" + tag * depth + tag.replace(b"<", b"</") * depth
    )


_BASE = template_bytes("{{ x }}")

HOSTILE_PACKAGES: dict[str, tuple[bytes, str | None]] = {
    # name: (the .docx bytes, the part the message must name, or None)
    "not a zip": (b"this is not a zip", None),
    "empty file": (b"", None),
    "truncated zip": (_BASE[: len(_BASE) // 2], None),
    "a zip of text": (repack(_BASE, lambda n, c: None, (("hello.txt", b"hi"),)), None),
    "no main document": (repack(_BASE, lambda n, c: None if n == "word/document.xml" else c), None),
    "sizes that lie": (_lying_sizes(_BASE, "word/document.xml"), "word/document.xml"),
    "an encrypted part": (_member_flags(_BASE, "word/styles.xml", flags=1), "word/styles.xml"),
    "an unknown compression": (
        _member_flags(_BASE, "word/styles.xml", method=99),
        "word/styles.xml",
    ),
    "a part named ../": (repack(_BASE, extra=(("../evil.xml", b"<x/>"),)), "../evil.xml"),
    "a part named /etc": (repack(_BASE, extra=(("/etc/cron.d/evil", b"x"),)), "/etc/cron.d/evil"),
    "a part named C:": (repack(_BASE, extra=(("C:/evil.xml", b"x"),)), "C:/evil.xml"),
    "a part named with \\": (
        repack(_BASE, extra=(("word\\..\\..\\evil.xml", b"x"),)),
        "word\\..\\..\\evil.xml",
    ),
    "a part twice": (repack(_BASE, extra=(("word/styles.xml", b"<x/>"),)), "word/styles.xml"),
    "too many parts": (
        repack(_BASE, extra=tuple((f"customXml/item{i}.xml", b"") for i in range(10_001))),
        None,
    ),
    "a DTD in document.xml": (
        repack(_BASE, in_part("word/document.xml", lambda x: x.replace(b"?>", b"?>" + DTD, 1))),
        "word/document.xml",
    ),
    "an entity in document.xml": (
        repack(_BASE, in_part("word/document.xml", lambda x: x.replace(b"{{ x }}", b"&e;"))),
        "word/document.xml",
    ),
    "a DTD in a header": (
        repack(_BASE, extra=(("word/header1.xml", HEADER.replace(b"?>", b"?>" + DTD, 1)),)),
        "word/header1.xml",
    ),
    "an entity in a header": (
        repack(_BASE, extra=(("word/header1.xml", HEADER.replace(b"HEADER", b"&xxe;")),)),
        "word/header1.xml",
    ),
    "a DTD after 5000 bytes": (
        repack(
            _BASE,
            in_part(
                "word/styles.xml",
                lambda x: x.replace(b"?>", b"?><!--" + b" " * 5000 + b"-->" + DTD, 1),
            ),
        ),
        "word/styles.xml",
    ),
    "a DTD in UTF-16": (
        repack(
            _BASE,
            extra=(
                (
                    "word/header1.xml",
                    HEADER.replace(b"UTF-8", b"UTF-16")
                    .replace(b"?>", b"?>" + DTD, 1)
                    .decode()
                    .encode("utf-16"),
                ),
            ),
        ),
        "word/header1.xml",
    ),
    "100,000 nested paragraphs": (
        repack(_BASE, in_part("word/document.xml", _deep(b"<w:p>"))),
        "word/document.xml",
    ),
    "100,000 nested elements in a footer": (
        repack(
            _BASE,
            in_part(
                "word/footer1.xml",
                lambda x: x.replace(
                    b"<w:p>", b"<w:x>" * 100_000 + b"</w:x>" * 100_000 + b"<w:p>", 1
                ),
            ),
        ),
        "word/footer1.xml",
    ),
    "deep nesting in styles.xml": (
        repack(
            _BASE,
            in_part(
                "word/styles.xml",
                lambda x: x.replace(
                    b"</w:styles>", b"<w:x>" * 1000 + b"</w:x>" * 1000 + b"</w:styles>"
                ),
            ),
        ),
        "word/styles.xml",
    ),
    "malformed XML in a footer": (
        repack(_BASE, in_part("word/footer1.xml", lambda x: x + b"<")),
        "word/footer1.xml",
    ),
    "malformed content types": (
        repack(_BASE, in_part("[Content_Types].xml", lambda x: x[:-10])),
        "[Content_Types].xml",
    ),
    "Jinja nested 500 deep": (
        repack(
            _BASE,
            in_part(
                "word/document.xml",
                lambda x: x.replace(b"{{ x }}", b"{% if x %}" * 500 + b"{% endif %}" * 500),
            ),
        ),
        "word/document.xml",
    ),
    "an expression nested 1000 deep": (
        repack(
            _BASE,
            in_part(
                "word/document.xml",
                lambda x: x.replace(b"{{ x }}", b"{{ " + b"(" * 1000 + b"x" + b")" * 1000 + b" }}"),
            ),
        ),
        "word/document.xml",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE_PACKAGES))
def test_a_hostile_package_is_refused_naming_the_file_and_part(tmp_path, case):
    data, part = HOSTILE_PACKAGES[case]
    path = tmp_path / "hostile.docx"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(docgen.DocgenError) as info:
        docgen.render({"x": 1}, path)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert str(path) in message
    if part is not None:
        assert f"({part})" in message
    assert "expected" in message
    for leak in LEAKS:
        assert leak not in message


def _bomb(tmp_path: Path, megabytes: int) -> Path:
    """A template holding a member of *megabytes* of zeros (a few hundred kB compressed)."""
    buf = io.BytesIO(_BASE)
    with (
        zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("word/media/zeros.bin", "w") as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            member.write(chunk)
    path = tmp_path / f"bomb{megabytes}.docx"
    path.write_bytes(buf.getvalue())
    return path


def test_a_zip_bomb_is_refused_at_the_default_200_mb(tmp_path):
    assert 200 * 1024 * 1024 == docgen.limits.MAX_UNPACKED
    path = _bomb(tmp_path, 201)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(docgen.PackageError) as info:
        docgen.Template.load(path)
    message = str(info.value)
    assert str(path) in message
    assert "at most 200 MB unpacked" in message
    assert "max_unpacked=" in message
    assert "DOCGEN_MAX_UNPACKED_MB" in message


def test_the_unpacked_limit_can_be_raised_per_call_or_for_the_process(tmp_path, monkeypatch):
    path = _bomb(tmp_path, 3)
    with pytest.raises(docgen.PackageError, match=r"at most 2 MB"):
        docgen.Template.load(path, max_unpacked=2 * 1024 * 1024)
    assert docgen.Template.load(path, max_unpacked=4 * 1024 * 1024).name == "bomb3"
    other = _bomb(tmp_path, 4)
    monkeypatch.setenv("DOCGEN_MAX_UNPACKED_MB", "2")
    with pytest.raises(docgen.PackageError, match=r"at most 2 MB"):
        docgen.Template.load(other)
    monkeypatch.setenv("DOCGEN_MAX_UNPACKED_MB", "5")
    assert docgen.Template.load(other).name == "bomb4"
    monkeypatch.setenv("DOCGEN_MAX_UNPACKED_MB", "lots")
    with pytest.raises(docgen.PackageError, match=r"DOCGEN_MAX_UNPACKED_MB.*positive number"):
        docgen.Template.load(_bomb(tmp_path, 1))


def test_a_long_chain_of_based_on_styles_loads(tmp_path):
    chain = b"".join(
        b'<w:style w:type="paragraph" w:styleId="s%d"><w:basedOn w:val="s%d"/></w:style>'
        % (i, i + 1)
        for i in range(5000)
    )
    data = repack(
        _BASE,
        in_part("word/styles.xml", lambda x: x.replace(b"</w:styles>", chain + b"</w:styles>")),
    )
    path = tmp_path / "chain.docx"
    path.write_bytes(data)
    assert ["1"] == texts(docgen.render({"x": 1}, path).to_bytes())


# --- files --------------------------------------------------------------------------------------


def _no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".part")]


def test_a_render_that_fails_leaves_the_previous_file_intact(tmp_path, make_template):
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    tpl = make_template(("BodyText", "{{ missing }}"))
    result = CliRunner().invoke(
        main, ["render", str(EXAMPLE_YAML), "-t", str(tpl), "-o", str(out), "--overwrite"]
    )
    assert 1 == result.exit_code
    assert b"previous" == out.read_bytes()
    assert _no_temporary_files(tmp_path)


@pytest.mark.parametrize("failing", ["fsync", "write", "replace"])
def test_a_failure_while_writing_leaves_no_partial_file_and_the_previous_one_intact(
    tmp_path, monkeypatch, failing
):
    doc = docgen.render(Report("新"), "work-summary")
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    new = tmp_path / "new.docx"

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_write = os.write
        calls = []

        def half_then_full(fd, data):
            calls.append(len(data))
            if len(calls) == 1:  # half of it goes to disk, then the disk is full
                return real_write(fd, data[: len(data) // 2])
            return full_disk()

        monkeypatch.setattr(docgen.files.os, "write", half_then_full)
    else:
        monkeypatch.setattr(docgen.files.os, failing, full_disk)
    with pytest.raises(OSError, match="No space left"):
        doc.save(out, overwrite=True)
    if failing != "replace":  # a new file goes in by os.link, not os.replace
        with pytest.raises(OSError, match="No space left"):
            doc.save(new)
    monkeypatch.undo()
    assert b"previous" == out.read_bytes()
    assert not new.exists()
    assert _no_temporary_files(tmp_path)


_REAL_WRITE = docgen.batch.write_atomic


def _dies_while_writing(path, data, **kwargs):
    """Stands in for write_atomic in forked workers: dies half-way through one file."""
    if Path(path).name == "第2份小结.docx":
        part = Path(path).parent / f".{Path(path).name}.dying.part"
        part.write_bytes(data[: len(data) // 2])
        os._exit(3)
    return _REAL_WRITE(path, data, **kwargs)


def reports(n: int) -> list[Report]:
    return [Report(f"第{i}份小结", intro=[f"正文{i}"]) for i in range(1, n + 1)]


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the fault is injected into forked workers"
)
def test_a_worker_killed_while_writing_leaves_no_partial_file_and_the_old_one_intact(
    tmp_path, monkeypatch
):
    (tmp_path / "第2份小结.docx").write_bytes(b"previous")
    monkeypatch.setattr(docgen.batch, "write_atomic", _dies_while_writing)
    results = render_many("work-summary", reports(4), tmp_path, workers=2, overwrite=True)
    assert [True, False, True, True] == [r.ok for r in results]
    assert "worker process rendering it died" in results[1].error
    assert b"previous" == (tmp_path / "第2份小结.docx").read_bytes()
    assert _no_temporary_files(tmp_path)


def test_existing_files_are_never_overwritten_without_consent(tmp_path):
    doc = docgen.render(Report("新"), "work-summary")
    kept = tmp_path / "kept.docx"
    kept.write_bytes(b"previous")
    with pytest.raises(docgen.OutputExistsError):
        doc.save(kept)
    with pytest.raises(docgen.OutputExistsError):
        doc.save_pdf(kept)  # refused before LibreOffice is even looked for
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "第1份小结.docx").write_bytes(b"previous")
    results = render_many("work-summary", reports(2), tmp_path / "batch")
    assert "already exists" in results[0].error
    assert results[1].ok
    assert b"previous" == (tmp_path / "batch" / "第1份小结.docx").read_bytes()
    assert b"previous" == kept.read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ["render", str(EXAMPLE_YAML), "-o", "{kept}"],
        ["render", str(EXAMPLE_YAML), "-o", "{kept}", "--pdf"],
        ["new", "work-summary", "-o", "{kept}"],
        ["import", str(EXAMPLE_YAML.with_suffix(".yaml")), "-o", "{kept}"],
    ],
    ids=["render", "render --pdf", "new", "import"],
)
def test_the_cli_never_overwrites_without_overwrite(tmp_path, args):
    kept = tmp_path / "kept.out"
    kept.write_bytes(b"previous")
    source = tmp_path / "notes.txt"
    source.write_text("工作小结\n\n正文。\n", encoding="utf-8")
    args = [str(kept) if a == "{kept}" else a for a in args]
    if args[0] == "import":
        args[1] = str(source)
    result = CliRunner().invoke(main, args)
    assert 1 == result.exit_code, result.output
    assert "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert b"previous" == kept.read_bytes()


def test_the_cli_batch_never_overwrites_without_overwrite(tmp_path):
    data = tmp_path / "reports.yaml"
    data.write_text("- title: 一班小结\n- title: 二班小结\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "一班小结.docx").write_bytes(b"previous")
    result = CliRunner().invoke(main, ["batch", "work-summary", str(data), "-o", str(out)])
    assert 1 == result.exit_code
    assert "already exists" in result.stderr
    assert b"previous" == (out / "一班小结.docx").read_bytes()


@pytest.mark.parametrize(
    "title",
    [
        "../escaped",
        "../../../../etc/passwd",
        "/etc/x",
        "C:\\Windows\\x",
        "\\\\server\\share\\x",
        "a/../../b",
        "..",
        ".",
        "",
        " ",
        "CON",
        "nul.txt",
        "com1",
        "LPT9",
        "x\x00y",
        "~/x",
    ],
)
def test_file_names_from_data_cannot_escape_the_output_folder(tmp_path, title):
    out = tmp_path / "out"
    results = render_many(
        "work-summary", [Report("题", extra={"name": title})], out, name="{extra.name}.docx"
    )
    assert results[0].ok, results[0].error
    written = Path(results[0].path)
    assert out == written.parent
    assert [written] == list(out.iterdir())
    assert written.name.split(".")[0].upper() not in {"CON", "NUL", "COM1", "LPT9"}
    assert [out] == list(tmp_path.iterdir())


def test_a_name_pattern_that_climbs_out_stays_in_the_output_folder(tmp_path):
    out = tmp_path / "out"
    results = render_many("work-summary", reports(1), out, name="../../{title}.docx")
    assert [out] == [Path(r.path).parent for r in results]


# --- batch faults -------------------------------------------------------------------------------


def test_a_full_disk_fails_only_its_record_and_a_rerun_completes_what_is_missing(
    tmp_path, monkeypatch
):
    def full_disk_for_record_3(path, data, **kwargs):
        if Path(path).name == "第3份小结.docx":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return _REAL_WRITE(path, data, **kwargs)

    records: list[object] = reports(5)
    records[1] = {"title": 2}  # a bad record
    monkeypatch.setattr(docgen.batch, "write_atomic", full_disk_for_record_3)
    results = render_many("work-summary", records, tmp_path)
    assert [True, False, False, True, True] == [r.ok for r in results]
    assert "record 2" in results[1].error
    assert "No space left on device" in results[2].error
    assert "第3份小结.docx" in results[2].error
    assert _no_temporary_files(tmp_path)
    monkeypatch.undo()
    records[1] = reports(2)[1]
    again = render_many("work-summary", records, tmp_path, skip_existing=True)
    assert [True, False, False, True, True] == [r.skipped for r in again]
    assert all(r.ok for r in again)
    assert 5 == len(list(tmp_path.iterdir()))


def test_the_cli_reports_a_full_disk_per_record_and_skip_existing_finishes_the_batch(
    tmp_path, monkeypatch
):
    data = tmp_path / "reports.yaml"
    data.write_text("- title: 一班小结\n- title: 二班小结\n- title: 三班小结\n", encoding="utf-8")
    out = tmp_path / "out"

    def full_disk(path, data, **kwargs):
        if Path(path).name == "二班小结.docx":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return _REAL_WRITE(path, data, **kwargs)

    monkeypatch.setattr(docgen.batch, "write_atomic", full_disk)
    result = CliRunner().invoke(main, ["batch", "work-summary", str(data), "-o", str(out)])
    assert 1 == result.exit_code
    assert "二班小结.docx" in result.stderr
    assert "No space left" in result.stderr
    assert "2 written, 0 skipped, 1 failed" in result.stderr
    assert "Traceback" not in result.stderr
    monkeypatch.undo()
    result = CliRunner().invoke(
        main, ["batch", "work-summary", str(data), "-o", str(out), "--skip-existing"]
    )
    assert 0 == result.exit_code, result.stderr
    assert "1 written, 2 skipped, 0 failed" in result.stderr
    assert ["一班小结.docx", "三班小结.docx", "二班小结.docx"] == sorted(
        p.name for p in out.iterdir()
    )


# --- errors -------------------------------------------------------------------------------------


def _yaml(tmp_path: Path, text: str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args: str) -> None:
    """Run the CLI; raise its one-line error as a DocgenError, as a user would read it."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    raise docgen.DocgenError(lines[0])


def _manifest_template(tmp_path: Path, toml: str) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "template.docx").write_bytes(template_bytes("{{ title }}"))
    (folder / "template.toml").write_text(toml, encoding="utf-8")
    return folder


# (what is wrong, how to trigger it, the place the message must name)
USER_ERRORS: list[tuple[str, Callable[[Path], object], str]] = [
    ("model: a title that is not text", lambda p: Report(3), "Report.title"),
    ("model: a block of the wrong type", lambda p: Section("一", blocks=[3]), "Section.blocks[0]"),
    (
        "model: a nested section title",
        lambda p: Report("题", sections=[{"title": "一", "subsections": [{"title": 3}]}]),
        "sections[0].subsections[0].title",
    ),
    ("model: a signature that is not text", lambda p: Signature(3), "Signature.org"),
    ("model: a negative picture width", lambda p: Image(b"x", width_cm=-1), "Image.width_cm"),
    ("model: a list starting at 0", lambda p: NumberedList(["a"], start=0), "NumberedList.start"),
    (
        "loader: a missing data file",
        lambda p: docgen.load_report(p / "nope.yaml"),
        "nope.yaml",
    ),
    ("loader: an unknown suffix", lambda p: docgen.load_report(_yaml(p, "x", "d.xyz")), "d.xyz"),
    ("loader: an empty file", lambda p: docgen.load_report(_yaml(p, "")), "data.yaml"),
    (
        "loader: a wrong type in a section",
        lambda p: docgen.load_report(_yaml(p, "title: t\nsections:\n  - title: [1]\n")),
        "sections[0].title",
    ),
    (
        "loader: an unknown key",
        lambda p: docgen.load_report(_yaml(p, "title: t\nbogus: 1\n")),
        "bogus",
    ),
    (
        "loader: an unknown block type",
        lambda p: docgen.load_report(_yaml(p, "title: t\nintro:\n  - type: tabel\n")),
        "intro[0].type",
    ),
    (
        "loader: a date that is not one",
        lambda p: docgen.load_report(
            _yaml(p, 'title: t\nsignature: {org: o, date: "2014-99-01"}\n')
        ),
        "signature.date",
    ),
    (
        "loader: a top level that is a list",
        lambda p: docgen.load_report(_yaml(p, "- a\n- b\n")),
        "data.yaml",
    ),
    (
        "loader: text that is neither UTF-8 nor GBK",
        lambda p: docgen.load_report(
            (p / "bad.yaml", (p / "bad.yaml").write_bytes(b"title: \xff\xff"))[0]
        ),
        "bad.yaml",
    ),
    (
        "loader: a stream without its format",
        lambda p: docgen.load_report(io.StringIO("title: t")),
        "<stream>",
    ),
    ("template: an unknown name", lambda p: docgen.Template.load("work-sumary"), "work-sumary"),
    (
        "template: a Jinja syntax error",
        lambda p: docgen.Template.load(write_template(p, "{% if x %}没有结束")),
        "word/document.xml",
    ),
    (
        "template: an unknown filter",
        lambda p: docgen.Template.load(write_template(p, "{{ d|cn_dat }}")),
        "word/document.xml",
    ),
    (
        "template: an unknown numbering scheme in the manifest",
        lambda p: docgen.Template.load(_manifest_template(p, 'numbering = "XYZ"\n')),
        "template.toml: numbering",
    ),
    (
        "template: an unknown role in the manifest",
        lambda p: docgen.Template.load(_manifest_template(p, '[styles]\nbogus = "Normal"\n')),
        "styles.bogus",
    ),
    (
        "template: not a .docx",
        lambda p: docgen.Template.load((p / "x.docx", (p / "x.docx").write_bytes(b"no"))[0]),
        "x.docx",
    ),
    (
        "template: a DTD",
        lambda p: docgen.render(
            {"x": 1},
            (p / "d.docx", (p / "d.docx").write_bytes(HOSTILE_PACKAGES["a DTD in a header"][0]))[0],
        ),
        "word/header1.xml",
    ),
    (
        "render: missing variables",
        lambda p: docgen.render({}, write_template(p, "校名：{{ school }}")),
        "word/document.xml",
    ),
    (
        "render: the sandbox",
        lambda p: docgen.render({}, write_template(p, "{{ ''.__class__ }}")),
        "word/document.xml",
    ),
    (
        "render: a value too big",
        lambda p: docgen.render({}, write_template(p, "{{ 'x'*10**9 }}")),
        "word/document.xml",
    ),
    (
        "render: the time limit",
        lambda p: docgen.render({}, write_template(p, NESTED_LOOPS), timeout=0.2),
        "word/document.xml",
    ),
    (
        "render: a filter given a bad value",
        lambda p: docgen.render({"a": "12.345"}, write_template(p, "金额：{{ a|rmb_upper }}")),
        "金额：",
    ),
    (
        "render: a picture that is not one",
        lambda p: docgen.render(Report("题", intro=[Image(b"not a picture")])),
        "intro[0].source",
    ),
    (
        "render: an unknown numbering preset",
        lambda p: docgen.render(Report("题"), numbering="XYZ"),
        "NumberingScheme.preset",
    ),
    (
        "render: data that is neither a report nor a mapping",
        lambda p: docgen.render([1, 2], write_template(p, "{{ x }}")),  # type: ignore[arg-type]
        "data",
    ),
    (
        "files: saving over a file",
        lambda p: docgen.render(Report("题")).save(
            (p / "k.docx", (p / "k.docx").write_bytes(b""))[0]
        ),
        "k.docx",
    ),
    (
        "batch: an unknown on_error",
        lambda p: render_many("work-summary", [], p, on_error="maybe"),
        "on_error",
    ),
    (
        "batch: a name pattern without its field",
        lambda p: (_ for _ in ()).throw(
            docgen.DocgenError(
                render_many("work-summary", [Report("题")], p, name="{extra.who}.docx")[0].error
                or ""
            )
        ),
        "record 1",
    ),
    (
        "batch: a bad record",
        lambda p: (_ for _ in ()).throw(
            docgen.DocgenError(render_many("work-summary", [{"title": 3}], p)[0].error or "")
        ),
        "record 1",
    ),
    (
        "batch: over an existing zip",
        lambda p: render_many("work-summary", [], (p / "o.zip", (p / "o.zip").write_bytes(b""))[0]),
        "o.zip",
    ),
    (
        "cli: a missing data file",
        lambda p: _cli("render", str(p / "nope.yaml"), "-o", str(p / "o.docx")),
        "nope.yaml",
    ),
    (
        "cli: an output that exists",
        lambda p: _cli(
            "render",
            str(EXAMPLE_YAML),
            "-o",
            str((p / "o.docx", (p / "o.docx").write_bytes(b""))[0]),
        ),
        "o.docx",
    ),
    (
        "cli: a bad row in a batch",
        lambda p: _cli(
            "batch", "work-summary", str(_yaml(p, "- title: [1]\n")), "-o", str(p / "out")
        ),
        "record 1",
    ),
    (
        "cli: an output folder that does not exist",
        lambda p: _cli("render", str(EXAMPLE_YAML), "-o", str(p / "no" / "such" / "o.docx")),
        "o.docx",
    ),
]


@pytest.mark.parametrize(
    ("trigger", "place"), [(t, p) for _, t, p in USER_ERRORS], ids=[i for i, _, _ in USER_ERRORS]
)
def test_every_user_error_names_the_place_and_what_was_expected(tmp_path, trigger, place):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", docgen.DocgenWarning)
        with pytest.raises(docgen.DocgenError) as info:
            trigger(tmp_path)
    message = str(info.value)
    assert place in message
    assert any(word in message for word in ("expected", "must")), message


def test_user_errors_cover_the_whole_stack():
    assert len(USER_ERRORS) >= 25
    layers = {name.split(":")[0] for name, _, _ in USER_ERRORS}
    assert {"model", "loader", "template", "render", "files", "batch", "cli"} == layers


def test_the_cli_shows_a_traceback_only_with_debug(tmp_path):
    args = ["render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o.docx")]
    plain = CliRunner().invoke(main, args)
    assert 1 == plain.exit_code
    assert plain.stderr.startswith("Error: ")
    assert "Traceback" not in plain.stderr
    debug = CliRunner().invoke(main, ["--debug", *args])
    assert 1 == debug.exit_code
    assert "Traceback" in debug.stderr
    assert "Error: " in debug.stderr


def test_an_internal_error_is_one_line_asking_for_a_report_and_exits_1(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(sys.modules["docgen.rendering"], "render", broken)
    args = ["render", str(EXAMPLE_YAML), "-o", str(tmp_path / "o.docx")]
    result = CliRunner().invoke(main, args)
    assert 1 == result.exit_code
    lines = result.stderr.strip().splitlines()
    assert 1 == len(lines)
    assert "internal error, please report" in lines[0]
    assert "ZeroDivisionError" in lines[0]
    assert "Traceback" not in result.output
    as_json = CliRunner().invoke(main, ["--json-errors", *args])
    assert 1 == as_json.exit_code
    assert '"error": "InternalError"' in as_json.stderr
    debug = CliRunner().invoke(main, ["--debug", *args])
    assert 1 == debug.exit_code
    assert isinstance(debug.exception, ZeroDivisionError)  # raised: Python prints the traceback
    assert not (tmp_path / "o.docx").exists()


def test_usage_errors_still_exit_2():
    assert 2 == CliRunner().invoke(main, ["render"]).exit_code
    assert 2 == CliRunner().invoke(main, ["--debug", "render", "--no-such-option"]).exit_code


def test_nothing_is_left_running_after_the_tests():
    """The time-limit watchdog is one daemon thread, never one per render."""
    watchdogs = [t for t in threading.enumerate() if t.name == "docgen-render-timeout"]
    assert len(watchdogs) <= 1
    assert all(t.daemon for t in watchdogs)
