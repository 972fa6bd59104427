"""``docgen demo``: the Chinese conventions of :mod:`docgen.cn`, printed."""

from __future__ import annotations

import click

from docgen.cli.helptext import Command
from docgen.i18n import N_

__all__ = ["demo"]


@click.command(
    cls=Command,
    short_help=N_("Print a demonstration of the Chinese conventions."),
    help=N_("Print a demonstration of the Chinese conventions (docgen.cn)."),
)
def demo() -> None:
    """``docgen demo``: a line per function of :mod:`docgen.cn`, with its result."""
    import datetime  # noqa: PLC0415

    from docgen import cn  # noqa: PLC0415

    d = datetime.date(2014, 1, 15)
    rows = [
        ("to_chinese(10010)", cn.to_chinese(10010)),
        ("to_chinese(1000000001)", cn.to_chinese(1000000001)),
        ("to_chinese(105, financial=True)", cn.to_chinese(105, financial=True)),
        ("from_chinese('1万2千')", str(cn.from_chinese("1万2千"))),
        ("chinese_digits(2014)", cn.chinese_digits(2014)),
        ("rmb_upper('1409.50')", cn.rmb_upper("1409.50")),
        ("format_date(d, 'long')", cn.format_date(d, "long")),
        ("format_date(d, 'chinese')", cn.format_date(d, "chinese")),
        ("format_date(d, 'bill')", cn.format_date(d, "bill")),
        ("Term.of(d)", str(cn.Term.of(d))),
        ("GBT9704 labels", " ".join(cn.GBT9704.label(i, 1) for i in range(1, 5))),
        ("SCHOOL labels", " ".join(cn.SCHOOL.label(i, 1) for i in range(1, 5))),
        ("font_size('三号')", str(cn.font_size("三号"))),
        ("normalize_punctuation", cn.normalize_punctuation("小结(初稿),学习;")),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")
