"""Visual regression: each preview in docs/ drawn again the way users get it, and compared.

The previews are made by ``tools/preview/docs_previews.py`` (docgen's PDF, then pdftoppm); a
change to a template's layout, the fonts or the PDF path shows here as pixels that moved.
After an intended change, run that script and look at the new pictures before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tools.preview.docs_previews import PREVIEWS, draw

Image = pytest.importorskip("PIL.Image")
ImageChops = pytest.importorskip("PIL.ImageChops")

pytestmark = pytest.mark.libreoffice

# Pixels allowed to differ clearly (more than a quarter of the grey scale), as a share of the
# page: anti-aliasing and font hinting move a few edge pixels, a moved line moves thousands.
TOLERANCE = 0.005


@pytest.mark.parametrize("name", sorted(PREVIEWS))
def test_a_fresh_render_matches_the_preview_in_docs(soffice, tmp_path: Path, name: str) -> None:
    fresh = Image.open(draw(name, tmp_path)).convert("L")
    kept = Image.open(ROOT / "docs" / name).convert("L")
    assert kept.size == fresh.size
    differing = sum(ImageChops.difference(kept, fresh).histogram()[65:])
    share = differing / (kept.size[0] * kept.size[1])
    assert share < TOLERANCE, f"{name}: {share:.2%} of the page differs"
