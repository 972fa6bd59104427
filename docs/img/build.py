"""Draw the pictures of ``docs/model.md`` from the page's own examples.

    python docs/img/build.py        # needs LibreOffice (soffice) and pdftoppm (poppler-utils)

Runs the ```` ```python ```` blocks of ``docs/model.md`` in a temporary folder holding
``logo.png``, converts every ``NAME.docx`` they save to PDF with LibreOffice and the font
substitutions of ``tools/preview/fonts.conf`` (as ``tools/preview/render.py`` does), and writes
``docs/img/model-NAME.png``: page 1 at 80 dpi, cropped to the ink inside the text block. A
document of several pages gives ``model-NAME-1.png``, ``model-NAME-2.png``… — whole pages, small.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAGE = ROOT / "docs" / "model.md"
FONTS = ROOT / "tools" / "preview" / "fonts.conf"
DPI = 80
THUMBNAIL_DPI = 30
MM = DPI / 25.4
# The work-summary page: A4, text block 28 mm from the left, 37 mm from the top, 156 x 225 mm.
LEFT, RIGHT, TOP, BOTTOM = 20 * MM, 192 * MM, 30 * MM, 262 * MM
PAD = 8


def _run_examples(folder: Path) -> None:
    code = re.findall(r"^```python\n(.*?)^```", PAGE.read_text("utf-8"), re.DOTALL | re.MULTILINE)
    shutil.copy(HERE / "logo.png", folder / "logo.png")
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        namespace: dict[str, object] = {"__name__": "__docs__"}
        for block in code:
            exec(compile(block, str(PAGE), "exec"), namespace)  # noqa: S102 - our own examples
    finally:
        os.chdir(cwd)


def _to_pdf(docx: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx),
        ],
        check=True,
        capture_output=True,
        env=dict(os.environ, FONTCONFIG_FILE=str(FONTS)),
        timeout=300,
    )
    return folder / f"{docx.stem}.pdf"


def _pdftoppm(*args: str) -> None:
    subprocess.run(["pdftoppm", *args], check=True, timeout=300)  # noqa: S603, S607


def _pages(pdf: Path) -> int:
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(pdf)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match is not None
    return int(match[1])


def _ink_rows(pdf: Path, folder: Path) -> tuple[int, int]:
    """The first and last pixel rows of page 1 with ink inside the text block."""
    _pdftoppm(
        "-gray", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / "p")
    )
    data = (folder / "p.pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    assert header is not None, "pdftoppm -gray writes a binary PGM"
    w, h = int(header[1]), int(header[2])
    pixels = data[header.end() :]
    rows = [
        y
        for y in range(int(TOP), min(int(BOTTOM), h))
        if min(pixels[y * w + int(LEFT) : y * w + int(RIGHT)]) < 160
    ]
    assert rows, f"{pdf.name}: page 1 is empty"
    return rows[0], rows[-1]


def main() -> int:
    """Draw every picture; print the files written."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _run_examples(folder)
        for docx in sorted(folder.glob("*.docx")):
            pdf = _to_pdf(docx, folder)
            pages = _pages(pdf)
            if pages > 1:
                for n in range(1, pages + 1):
                    out = HERE / f"model-{docx.stem}-{n}"
                    _pdftoppm(
                        "-png", "-r", str(THUMBNAIL_DPI), "-f", str(n), "-l", str(n),
                        "-singlefile", str(pdf), str(out),
                    )  # fmt: skip
                    print(f"{out}.png")
                continue
            first, last = _ink_rows(pdf, folder)
            top = max(first - PAD, 0)
            out = HERE / f"model-{docx.stem}"
            _pdftoppm(
                "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                "-x", str(int(LEFT)), "-y", str(top),
                "-W", str(int(RIGHT - LEFT)), "-H", str(last + PAD - top),
                str(pdf), str(out),
            )  # fmt: skip
            print(f"{out}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
