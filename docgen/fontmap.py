"""Which free face draws each face a Chinese template names, when LibreOffice prints it.

Templates name the faces of Chinese Windows and Office: 仿宋, 楷体, 黑体, 宋体, 方正小标宋简体,
Times New Roman.  A Linux machine (a school server, the web service) has none of them, and
fontconfig would draw them all with one default face.  :data:`CHOICES` lists, for each face,
the free faces closest to it, best first; :func:`fontconfig_xml` turns the list into a
fontconfig file that LibreOffice is started with (:mod:`docgen.pdf`), and :data:`PACKAGES`
says which Debian packages hold them.  Pure data; :mod:`docgen.pdf` and the ``docgen fonts``
command do the I/O.

Why by hand: no library maps Windows' Chinese faces to free ones; fontconfig's own rules know
SimSun and SimHei at best, and never 仿宋 or 楷体.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docgen.ooxml import xml_text as escape

__all__ = ["CHOICES", "KINDS", "PACKAGES", "choices_for", "fontconfig_xml", "kind_of"]

# The free faces for each kind of face, best first.  Simplified-Chinese (SC/CN) variants are
# named explicitly: fontconfig would otherwise pick the Japanese or Korean cut of Noto CJK,
# whose glyphs differ from the ones a Chinese reader expects.
KINDS: Mapping[str, Sequence[str]] = {
    "fangsong": ("Noto Serif CJK SC", "AR PL UMing CN", "AR PL SungtiL GB"),
    "kai": ("LXGW WenKai", "AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC"),
    "hei": ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
    "song": ("Noto Serif CJK SC", "AR PL SungtiL GB", "AR PL UMing CN"),
    "serif": ("Liberation Serif", "DejaVu Serif"),
    "sans": ("Liberation Sans", "DejaVu Sans"),
}

# Debian packages holding the faces above (what the README and .ci/run install).
PACKAGES: Mapping[str, str] = {
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "LXGW WenKai": "fonts-lxgw-wenkai",
    "AR PL UKai CN": "fonts-arphic-ukai",
    "AR PL KaitiM GB": "fonts-arphic-gkai00mp",
    "AR PL UMing CN": "fonts-arphic-uming",
    "AR PL SungtiL GB": "fonts-arphic-gbsn00lp",
    "WenQuanYi Zen Hei": "fonts-wqy-zenhei",
    "WenQuanYi Micro Hei": "fonts-wqy-microhei",
    "Liberation Serif": "fonts-liberation",
    "Liberation Sans": "fonts-liberation",
    "DejaVu Serif": "fonts-dejavu-core",
    "DejaVu Sans": "fonts-dejavu-core",
}

# Face names a template may use (Chinese and English names, GB2312 and Founder variants).
CHOICES: Mapping[str, str] = {
    **dict.fromkeys(
        ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "华文仿宋", "STFangsong"),
        "fangsong",
    ),
    **dict.fromkeys(
        ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "华文楷体", "STKaiti", "方正楷体_GBK"),
        "kai",
    ),
    **dict.fromkeys(
        ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "华文黑体", "STHeiti", "方正黑体_GBK"),
        "hei",
    ),
    **dict.fromkeys(
        (
            "宋体",
            "SimSun",
            "新宋体",
            "NSimSun",
            "华文宋体",
            "STSong",
            "方正小标宋简体",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05S",
        ),
        "song",
    ),
    **dict.fromkeys(("Times New Roman", "Times", "Cambria", "Georgia"), "serif"),
    **dict.fromkeys(("Arial", "Calibri", "Helvetica", "Verdana"), "sans"),
}


def kind_of(face: str) -> str | None:
    """The kind of a face a template names (``fangsong``, ``kai``…), or None when unknown.

    >>> kind_of("仿宋_GB2312"), kind_of("KaiTi"), kind_of("Comic Sans MS")
    ('fangsong', 'kai', None)
    """
    return CHOICES.get(face.strip())


def choices_for(face: str) -> Sequence[str]:
    """The free faces that draw *face*, best first (none for a face docgen does not know).

    >>> choices_for("楷体")[:2]
    ('LXGW WenKai', 'AR PL UKai CN')
    """
    kind = kind_of(face)
    return KINDS[kind] if kind else ()


def fontconfig_xml(system_config: str = "/etc/fonts/fonts.conf") -> str:
    """A fontconfig file: the system's own, then an alias for every face in :data:`CHOICES`.

    >>> xml = fontconfig_xml()
    >>> "<family>仿宋</family>" in xml and "<family>LXGW WenKai</family>" in xml
    True
    """
    aliases = "".join(
        f'  <alias binding="same"><family>{escape(face)}</family><prefer>'
        + "".join(f"<family>{escape(free)}</family>" for free in KINDS[kind])
        + "</prefer></alias>\n"
        for face, kind in CHOICES.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(system_config)}</include>\n'
        f"{aliases}</fontconfig>\n"
    )
