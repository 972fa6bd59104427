"""Draw the previews in docs/ through the path users get: docgen's PDF, then pdftoppm.

    python tools/preview/docs_previews.py            # rewrite docs/*.png previews

Each preview is one page of an example, converted by ``Document.to_pdf`` (LibreOffice with
docgen's font map, docgen.fontmap) and drawn at 80 dpi.  tests/test_previews.py renders them
again and compares, so a layout change cannot pass unseen.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import docgen  # noqa: E402

DPI = 80
# docs/ file → (example data, template, page)
PREVIEWS: dict[str, tuple[str, str, int]] = {
    "example-page-1.png": ("party-branch-summary.yaml", "work-summary", 1),
    "preview-work-plan.png": ("work-plan.yaml", "work-plan", 1),
    "preview-meeting-minutes.png": ("meeting-minutes.yaml", "meeting-minutes", 1),
    "preview-notice.png": ("notice.yaml", "notice", 1),
    "preview-official.png": ("official.yaml", "official", 1),
    "preview-official-2.png": ("official.yaml", "official", 2),
}


def draw(name: str, folder: Path) -> Path:
    """Render one preview into *folder*; return the PNG's path."""
    data, template, page = PREVIEWS[name]
    pdf = folder / f"{Path(name).stem}.pdf"
    report = docgen.load_report(ROOT / "examples" / data)
    pdf.write_bytes(docgen.render(report, template).to_pdf(timeout=180))
    stem = folder / Path(name).stem
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", "-singlefile", *pages, str(pdf), str(stem)],
        check=True,
        timeout=120,
    )
    return stem.with_suffix(".png")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for name in PREVIEWS:
            png = draw(name, Path(tmp))
            (ROOT / "docs" / name).write_bytes(png.read_bytes())
            print(f"docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
