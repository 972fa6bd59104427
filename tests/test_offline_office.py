"""LibreOffice never reaches the network: a loopback listener must receive nothing while docgen
converts documents that link to it (a picture by URL in a Word file and in an OpenDocument file).
"""

from __future__ import annotations

import io
import socket
import threading
import zipfile
from collections.abc import Iterator

import pytest

import docgen
import docgen.converter
import docgen.pdf

pytestmark = pytest.mark.libreoffice

_W = "http://schemas.openxmlformats.org"
_DRAWING = (
    f'<w:p><w:r><w:drawing><wp:inline xmlns:wp="{_W}/drawingml/2006/wordprocessingDrawing" '
    f'xmlns:a="{_W}/drawingml/2006/main" xmlns:pic="{_W}/drawingml/2006/picture" '
    f'xmlns:r="{_W}/officeDocument/2006/relationships"><wp:extent cx="914400" cy="914400"/>'
    '<wp:docPr id="9" name="p"/><a:graphic>'
    f'<a:graphicData uri="{_W}/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
    '<pic:cNvPr id="9" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip r:link="rIdLinked"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


class Listener:
    """A loopback TCP port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/photo.png"
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    one = Listener()
    yield one
    one.close()


def _linked_docx(url: str) -> bytes:
    """The rendered example with a picture LibreOffice would fetch from *url*."""
    data = docgen.render(docgen.Report("链接图片"), "work-summary").to_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            blob = zin.read(item.filename)
            if item.filename == "word/document.xml":
                blob = blob.replace(b"<w:body>", b"<w:body>" + _DRAWING.encode(), 1)
            if item.filename == "word/_rels/document.xml.rels":
                rel = (
                    f'<Relationship Id="rIdLinked" Type="{_W}/officeDocument/2006/'
                    f'relationships/image" Target="{url}" TargetMode="External"/>'
                )
                blob = blob.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            zout.writestr(item, blob)
    return out.getvalue()


def _linked_odt(url: str) -> bytes:
    """An OpenDocument text whose only picture is linked by *url*."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
        ' office:version="1.2"><office:body><office:text><text:p>链接图片'
        '<draw:frame draw:name="p" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed"'
        ' xlink:actuate="onLoad"/></draw:frame></text:p></office:text></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_pdf_of_a_document_with_a_linked_picture_fetches_nothing(soffice, listener) -> None:
    pdf = docgen.converter.convert_to_pdf(_linked_docx(listener.url), timeout=120)
    assert pdf.startswith(b"%PDF")
    listener.close()
    assert [] == listener.received


def test_importing_an_odt_with_a_linked_picture_fetches_nothing(
    soffice, listener, tmp_path
) -> None:
    source = tmp_path / "linked.odt"
    source.write_bytes(_linked_odt(listener.url))
    result = docgen.import_file(source)
    assert "链接图片" == result.report.title
    listener.close()
    assert [] == listener.received


def test_the_listener_does_see_a_request_when_one_is_made(listener) -> None:
    # the check above can fail: a plain client reaching the listener is recorded
    with socket.create_connection(
        ("127.0.0.1", int(listener.url.split(":")[2].split("/")[0]))
    ) as c:
        c.sendall(b"GET /photo.png HTTP/1.0\r\n\r\n")
    listener.close()
    assert [b"GET /photo.png HTTP/1.0\r\n\r\n"] == listener.received
