"""Render a .docx to PNG pages the way a person looks at it (LibreOffice → PDF → pdftoppm).

    python tools/preview/render.py DOCX OUTDIR [--dpi 80]

Uses ``fonts.conf`` beside this script so the Windows Chinese faces a template names are drawn
with similar free faces (install fonts-noto-cjk fonts-arphic-ukai fonts-liberation).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        print(
            "LibreOffice is not installed: apt-get install libreoffice-writer-nogui",
            file=sys.stderr,
        )
        return 1
    args.outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(HERE / "fonts.conf"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(args.docx),
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=300,
        )
        pdf = Path(tmp) / (args.docx.stem + ".pdf")
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(args.outdir / args.docx.stem)],
            check=True,
            timeout=300,
        )
    for page in sorted(args.outdir.glob(f"{args.docx.stem}-*.png")):
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
