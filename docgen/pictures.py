"""Pictures a render places: their size, their DrawingML run, the package parts they become.

No I/O: a picture arrives as bytes (the renderer read the data's files) and is handed to a
:class:`Media` sink, which gives it the relationship id its run refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docgen.ooxml import xml_attr

__all__ = ["EMU_PER_CM", "Media", "drawing_run", "image_info"]

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_CM = 360000


def image_info(blob: bytes) -> tuple[int, int, float, float, str]:
    """(px_width, px_height, dpi_x, dpi_y, extension) of a picture, read by python-docx."""
    from docx.image.image import Image  # noqa: PLC0415 - python-docx only when a picture comes

    img = Image.from_blob(blob)
    return img.px_width, img.px_height, img.horz_dpi, img.vert_dpi, img.ext


class Media:
    """Collects pictures for the renderer; returns the relationship id each will have.

    A picture's bytes are stored once: placing the same picture again (the body slot and a
    loop, or one logo on every page) gives the id it already has.
    """

    def __init__(self, first_rid: int) -> None:
        self.items: list[tuple[str, bytes, str]] = []  # (rId, blob, extension)
        self._ids: dict[bytes, str] = {}
        self._next = first_rid

    def add(self, blob: bytes, ext: str) -> str:
        """Register a picture; return its ``rId`` (the one it has if already registered)."""
        rid = self._ids.get(blob)
        if rid is None:
            rid = f"rIdDocgen{self._next}"
            self._next += 1
            self._ids[blob] = rid
            self.items.append((rid, blob, ext))
        return rid

    def keep_referenced(self, parts: Iterable[bytes]) -> None:
        """Forget every picture no rendered part refers to (no relationship left unused).

        >>> media = Media(1)
        >>> media.add(b"a", "png"), media.add(b"b", "png"), media.add(b"a", "png")
        ('rIdDocgen1', 'rIdDocgen2', 'rIdDocgen1')
        >>> media.keep_referenced([b'<a:blip r:embed="rIdDocgen2"/>'])
        >>> media.targets()
        [('rIdDocgen2', 'media/docgen1.png')]
        """
        if not self.items:
            return
        used = {m.group(1).decode() for part in parts for m in _REFERENCE.finditer(part)}
        self.items = [item for item in self.items if item[0] in used]
        self._ids = {blob: rid for rid, blob, _ in self.items}

    def targets(self) -> list[tuple[str, str]]:
        """(relationship id, target) of every picture, for the document's relationships."""
        return [
            (rid, f"media/docgen{n}.{ext}") for n, (rid, _, ext) in enumerate(self.items, start=1)
        ]

    def parts(self) -> list[tuple[str, bytes]]:
        """(part name, bytes) of every picture, to add to the package."""
        return [
            (f"word/media/docgen{n}.{ext}", blob)
            for n, (_, blob, ext) in enumerate(self.items, start=1)
        ]


# A reference to one of the relationships Media gives (r:embed, r:id, r:link="rIdDocgen3").
_REFERENCE = re.compile(rb'="(rIdDocgen\d+)"')


def drawing_run(rid: str, drawing_id: int, width_cm: float, height_cm: float) -> str:
    """A picture as one run (``<w:r><w:drawing>``), to sit inside any paragraph or cell.

    The DrawingML namespaces are declared on the elements themselves, so the run is valid
    whatever the template's root element declares.
    """
    cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
    did = drawing_id
    name = f"图片 {did}"
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{_WP}" xmlns:a="{_A}" xmlns:pic="{_PIC}" '
        f'xmlns:r="{_R}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{did}" name={xml_attr(name)}/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
        "</wp:cNvGraphicFramePr>"
        f'<a:graphic><a:graphicData uri="{_PIC}"><pic:pic>'
        "<pic:nvPicPr>"
        f'<pic:cNvPr id="{did}" name={xml_attr(name)}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        "</pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
