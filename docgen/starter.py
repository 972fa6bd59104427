"""A filled-in starting data file for a template (``docgen new``).

For a template written for reports, a short report in the template's shape — title, intro,
sections with subsections down to the depth its numbering scheme has, closing, signature —
plus every field the manifest lists, with its example value.  For a plain template, each
field with its example.  The output is YAML with comments naming what each field is for.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml

from docgen.cn.calendar import Term, TermBoundaries
from docgen.loaders import dump_report
from docgen.model import Report, Section, Signature
from docgen.template import Template

__all__ = ["starter_yaml"]


# Placeholders for a template whose manifest has no [starter] table.
_STARTER = {"title": "标题（写全称，不写编号）", "org": "署名单位（如：徐汇区东二小学党支部）"}


def _report(template: Template, today: _dt.date, reference: str) -> Report:
    depth = min(template.scheme.depth, 3)
    style = template.manifest.date_style
    starter = {**_STARTER, **template.manifest.starter}

    def section(level: int, n: int) -> Section:
        subs = [section(level + 1, i) for i in (1, 2)] if level < depth - 1 else []
        return Section(
            f"第{level}级标题{n}（不写编号，模板自动加）",
            blocks=["这一节的正文。每段一项；段落里换行会另起一段。"],
            subsections=subs,
        )

    return Report(
        template=reference,
        title=starter["title"],
        status=starter.get("status"),
        intro=["导语：写在第一个标题之前的段落。"],
        sections=[section(1, 1), section(1, 2)],
        closing=["结束语：写在最后一节之后的段落。"],
        signature=Signature(
            starter["org"],
            # the template's date style, written out so the knob is seen
            date=today.replace(day=1) if "month" in style else today,
            date_style=style,
        ),
        # the term, where the template uses it (the work plan counts its weeks from its start)
        term=_term(today) if "term" in template.variables else None,
    )


def _term(today: _dt.date) -> Term:
    """The term *today* is in, starting on the default first day (edit it to the real one)."""
    term = Term.of(today)
    first = TermBoundaries().first_term if term.number == 1 else TermBoundaries().second_term
    year = term.year if term.number == 1 else term.year + 1
    return Term(term.year, term.number, start=_dt.date(year, *first))


def starter_yaml(
    template: Template, *, today: _dt.date | None = None, reference: str | None = None
) -> str:
    """A starting data file for *template*, as YAML text.

    The file names its template (``template:``, *reference* or the template's name), so
    ``docgen render FILE -o out.docx`` needs no ``-t``.  The title, status and signature
    placeholders come from the manifest's ``[starter]`` table.

    >>> text = starter_yaml(Template.load("notice"), today=_dt.date(2014, 1, 15))
    >>> "template: notice" in text, "title: 关于……的通知" in text
    (True, True)
    >>> "date: 2014-01-15" in text and "（初稿）" not in text and "status:" not in text
    True
    """
    today = today or _dt.date.today()
    reference = reference or template.name
    fields: dict[str, Any] = {name: spec.example for name, spec in template.manifest.fields.items()}
    header = [
        f"# docgen new {template.name}: a starting data file for "
        f"{template.manifest.display_name or template.name}."
    ]
    header += ["# Render it:  docgen render THIS_FILE -o out.docx  (-t NAME for another template)"]
    for name, spec in template.manifest.fields.items():
        need = "required" if spec.required and spec.default is None else "optional"
        header.append(f"#   {name}: {spec.description or '(no description)'} ({need})")
    if template.uses_report:
        body = dump_report(_report(template, today, reference), "yaml")
        if fields:
            body += yaml.safe_dump({"extra": fields}, allow_unicode=True, sort_keys=False)
    else:
        plain = {"template": reference, **(fields or {"title": "标题"})}
        body = yaml.safe_dump(plain, allow_unicode=True, sort_keys=False)
    return "\n".join(header) + "\n" + body
