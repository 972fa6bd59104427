"""The API's JSON shapes, for its OpenAPI schema (``/openapi.json``, ``/docs``).

These pydantic models mirror the data-file format of ``docs/data-files.md`` field by field,
with a 中文 description of each.  They *document* the API; they do not validate it: a report
in a request is read by :func:`docgen.report_from_mapping`, so its errors are docgen's own,
with field paths such as ``data: sections[1].title``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from docgen.cn.dates import DATE_STYLES

__all__ = [
    "BatchJob",
    "BatchRecord",
    "ChangeBody",
    "CheckResponse",
    "ErrorBody",
    "FindingBody",
    "FixResponse",
    "Health",
    "ImportResponse",
    "PagesBody",
    "PreviewResponse",
    "ProblemBody",
    "RenderRequest",
    "ReportData",
    "TemplateInfo",
    "TemplateSummary",
]

DateStyle = Literal[DATE_STYLES]  # type: ignore[valid-type]  # the tuple's names, at runtime


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunData(_Model):
    """一段带格式的文字 / a run: text with its own emphasis."""

    text: str = Field(description="文字 / the text")
    bold: bool = Field(False, description="加粗 / bold")
    italic: bool = Field(False, description="倾斜 / italic")
    underline: bool = Field(False, description="下划线 / underlined")
    emphasis: bool = Field(False, description="着重号（字下加点）/ Chinese emphasis dots")


Runs = Union[str, list[Union[str, RunData]]]  # noqa: UP007 - pydantic reads it at runtime on 3.10


class ParagraphData(_Model):
    """段落 / a paragraph (a plain string is one too)."""

    type: Literal["paragraph"] = Field("paragraph", description="块类型 / block type")
    text: Runs = Field(description="段落文字：一个字符串，或若干段带格式的文字 / text, or runs")
    style: str | None = Field(None, description="模板中的样式角色或 Word 样式 / a style role")
    indent: bool = Field(True, description="首行缩进两字 / two-character first-line indent")


Item = Union[str, ParagraphData]  # noqa: UP007


class BulletListData(_Model):
    """无序列表 / a bulleted list."""

    type: Literal["bullet_list"] = Field(description="块类型 / block type")
    items: list[Item] = Field(description="各项，每项一段 / the items, one paragraph each")


class NumberedListData(_Model):
    """编号列表 / a numbered list."""

    type: Literal["numbered_list"] = Field(description="块类型 / block type")
    items: list[Item] = Field(description="各项 / the items")
    level: int | None = Field(
        None, ge=1, description="按模板编号方案第几级编号，如 3 →（1）（2）/ numbering level"
    )
    start: int = Field(1, ge=1, description="起始编号 / first number")
    continue_previous: bool = Field(False, description="接续上一个列表编号 / continue numbering")


class CellData(_Model):
    """表格单元格 / a table cell."""

    text: Runs | list[Item] = Field(description="单元格文字 / the cell's text")
    colspan: int = Field(1, ge=1, description="横向合并的列数 / columns spanned")
    rowspan: int = Field(1, ge=1, description="纵向合并的行数 / rows spanned")


Cell = Union[str, int, float, None, CellData]  # noqa: UP007


class TableData(_Model):
    """表格 / a table."""

    type: Literal["table"] = Field(description="块类型 / block type")
    rows: list[list[Cell]] = Field(description="各行，每行若干单元格 / rows of cells")
    header_rows: int = Field(1, ge=0, description="表头行数（每页重复、加粗）/ header rows")
    widths_cm: list[float] | None = Field(None, description="各列宽度（厘米）/ column widths, cm")
    caption: str | None = Field(None, description="表题，如：表1 学生评语 / caption")


class ImageData(_Model):
    """图片 / a picture."""

    type: Literal["image"] = Field(description="块类型 / block type")
    source: str = Field(
        description="图片本身，写成 data: URL（data:image/png;base64,…）；服务不读取任何文件路径 / "
        "the picture as a data: URL; the service opens no file paths"
    )
    width_cm: float | None = Field(None, gt=0, description="宽度（厘米）/ width in cm")
    caption: str | None = Field(None, description="图题，如：图1 校徽 / caption")


class PageBreakData(_Model):
    """分页 / a page break."""

    type: Literal["page_break"] = Field(description="块类型 / block type")


Block = Union[  # noqa: UP007
    str, ParagraphData, BulletListData, NumberedListData, TableData, ImageData, PageBreakData
]
Blocks = Union[str, list[Block]]  # noqa: UP007


class SectionData(_Model):
    """一节 / a numbered section."""

    title: str = Field(
        description="标题，不写编号（模板自动加“一、”“1、”）/ title without its number"
    )
    blocks: Blocks = Field(default_factory=list, description="正文：段落、列表、表格、图片 / body")
    subsections: list[Union[str, SectionData]] = Field(  # noqa: UP007
        default_factory=list, description="下一级标题 / subsections"
    )


class SignatureData(_Model):
    """落款 / the signature block."""

    org: str = Field(description="署名单位，如：徐汇区东二小学党支部 / organisation")
    name: str | None = Field(None, description="署名人 / the person signing")
    date: str | _dt.date | None = Field(
        None, description="日期：2014-01-15、2014-01、2014/1/15 或 2014年1月15日 / the date"
    )
    date_style: DateStyle | None = Field(
        None,
        description="日期写法：year_month 2014年1月、long 2014年1月15日、"
        "chinese 二〇一四年一月十五日…；不写则用模板的写法 / how the date is written "
        "(default: the template's)",
    )


class TermData(_Model):
    """学期 / a school term."""

    year: int = Field(
        description="学年的起始年份，如 2013（2013学年）/ the school year's first year"
    )
    number: Literal[1, 2] = Field(description="第一学期 1、第二学期 2 / term 1 or 2")
    start: _dt.date | None = Field(None, description="开学日期（行事历的周次由此算出）/ first day")


class ReportData(_Model):
    """一份报告（工作总结、计划、通知……），即数据文件的内容 / a report: the data file's content."""

    title: str = Field(
        description="标题（必填），如：2013学年第一学期党支部工作小结 / title (required)"
    )
    status: str | None = Field(
        None, description="文稿状态，显示为（初稿）/ status, shown as （初稿）"
    )
    term: str | TermData | None = Field(
        None, description="学期：2013学年第一学期，或 {year, number, start} / the term"
    )
    intro: Blocks = Field(default_factory=list, description="导语：第一个标题之前的段落 / intro")
    sections: list[Union[str, SectionData]] = Field(  # noqa: UP007
        default_factory=list, description="各节，标题不写编号，由模板编号 / the numbered sections"
    )
    closing: Blocks = Field(
        default_factory=list, description="结束语：最后一节之后的段落 / closing"
    )
    signature: str | SignatureData | None = Field(
        None, description="落款：署名单位（和日期）/ signature: organisation (and date)"
    )
    attachments: str | list[str] = Field(
        default_factory=list, description="附件名称 / names of the attachments"
    )
    extra: dict[str, Any] = Field(
        default_factory=dict,
        description="模板需要的其他字段，如发文字号 doc_number / more fields the template uses",
    )


class RenderRequest(_Model):
    """生成文档的请求 / what to render, and how."""

    template: str | None = Field(
        None,
        description="模板名称（见 GET /api/templates），只能是名称，不能是路径；不写时用数据里的 "
        "template，再不写用 work-summary / template name (default: the data's template, "
        "else work-summary)",
        examples=["work-summary"],
    )
    format: Literal["docx", "pdf"] = Field(
        "docx", description="输出格式：docx 或 pdf（PDF 需要 LibreOffice）/ output format"
    )
    numbering: Literal["SCHOOL", "GBT9704", "DECIMAL"] | None = Field(
        None,
        description="标题编号方案，默认用模板的：SCHOOL 一、1、（1）① · GBT9704 一、（一）1.（1）"
        " · DECIMAL 1 1.1 / heading numbering",
    )
    normalize_punctuation: bool = Field(
        False,
        description="把中文旁的半角标点改为全角 / make punctuation next to Chinese full-width",
    )
    filename: str | None = Field(
        None, description="下载文件名（默认用标题）/ the download's file name (default: the title)"
    )
    data: ReportData | dict[str, Any] = Field(
        description="报告（面向报告的模板），或普通模板的键值数据 / "
        "the report, or a plain template's data"
    )


class ProblemBody(BaseModel):
    """错误中的一个问题 / one of the problems an error gathers."""

    code: str = Field(
        description="问题代码（见 docs/errors.md），如 data.wrong_type / the problem's code",
        examples=["data.wrong_type"],
    )
    path: str = Field(
        description="字段位置，JSON Pointer 形式，如 /sections/1/title（空：整份数据）/ "
        "where, as a JSON pointer",
        examples=["/sections/1/title"],
    )
    message: str = Field(description="出了什么错 / what went wrong there")
    expected: str | None = Field(description="期望的值 / what was expected")
    found: str | None = Field(description="实际的值 / what was found")


class ErrorBody(BaseModel):
    """错误 / an error: the fields of DocgenError.to_dict()."""

    code: str = Field(
        description="稳定的错误代码，供程序判断（见 docs/errors.md），如 data.unknown_key、"
        "template.not_found / a stable code for programs",
        examples=["data.unknown_key"],
    )
    error: str = Field(description="错误类型，如 DataError / the kind of error (its class)")
    message: str = Field(description="出了什么错 / what went wrong")
    where: str | None = Field(description="位置：字段路径、模板位置或请求的某部分 / where")
    expected: str | None = Field(description="期望的值 / what was expected")
    found: str | None = Field(description="实际的值 / what was found")
    problems: list[ProblemBody] = Field(
        default_factory=list,
        description="数据有多处问题时逐条列出（每条带代码与路径）；否则为空 / every problem, "
        "when the data has several (else empty)",
    )


class ImportResponse(BaseModel):
    """导入结果 / what the importer recovered."""

    report: ReportData = Field(description="识别出的报告（数据文件格式）/ the report")
    warnings: list[str] = Field(description="需要核对的地方 / what the importer had to guess")


class FindingBody(BaseModel):
    """检查结果中的一条 / one finding of docgen check (docs/check.md lists the codes)."""

    code: str = Field(description="检查项代码，如 text.body_font / the finding's code")
    paragraph: int | None = Field(description="第几段（从 1 起）；页面为 null / paragraph")
    excerpt: str = Field(description="段落开头的文字 / the paragraph's first words")
    expected: str = Field(description="模板要求 / what the template asks for")
    found: str = Field(description="文档实际 / what the document has")
    message: str = Field(description="说明 / what is wrong, in Chinese")
    severity: Literal["error", "warning"] = Field(description="error 或 warning")


class PagesBody(BaseModel):
    """文档前几页的预览图 / a document's first pages."""

    pages: list[str] = Field(description="各页 PNG，data: URL / the pages as PNG data: URLs")
    more_pages: bool = Field(description="是否还有更多页未显示 / whether pages were left out")


_PREVIEW = "上传文档的预览（preview=true 时；不可用时为 null）/ the upload's pages, or null"
_PREVIEW_ERROR = (
    "预览不可用的原因（如未安装 LibreOffice 或 pdftoppm）；否则为 null / why there is no preview"
)


class CheckResponse(BaseModel):
    """检查结果 / where a document departs from a template's conventions."""

    file: str = Field(description="上传的文件名 / the upload's name")
    template: str = Field(description="按哪个模板检查 / the template")
    ok: bool = Field(description="没有发现问题 / no findings")
    findings: list[FindingBody] = Field(description="发现的问题 / the findings")
    preview: PagesBody | None = Field(None, description=_PREVIEW)
    preview_error: ErrorBody | None = Field(None, description=_PREVIEW_ERROR)


class ChangeBody(BaseModel):
    """修正中的一处改动 / one change a fix made."""

    kind: Literal["标点", "日期", "编号", "标题", "格式", "空段落", "页面"] = Field(
        description="改动类别 / the kind of change"
    )
    paragraph: int | None = Field(description="原文第几段；页面为 null / paragraph before")
    excerpt: str = Field(description="原文段落开头 / the paragraph's first words")
    before: str = Field(description="改前 / before")
    after: str = Field(description="改后 / after")


class FixResponse(BaseModel):
    """修正结果 / a fixed document and what changed."""

    file: str = Field(description="上传的文件名 / the upload's name")
    template: str = Field(description="按哪个模板修正 / the template")
    filename: str = Field(description="修正后文档的文件名 / a name for the fixed document")
    changes: list[ChangeBody] = Field(description="改动，按原文段落顺序 / the changes")
    findings: list[FindingBody] = Field(description="修正后仍有的问题 / findings left")
    warnings: list[str] = Field(description="导入时的推断 / what the import guessed")
    document: str = Field(description="修正后的 .docx，Base64 / the fixed .docx, base64")
    preview: PagesBody | None = Field(None, description=_PREVIEW)
    fixed_preview: PagesBody | None = Field(
        None, description="修正后文档的预览（同上）/ the fixed document's pages, or null"
    )
    preview_error: ErrorBody | None = Field(None, description=_PREVIEW_ERROR)


class PreviewResponse(BaseModel):
    """页面预览 / page images."""

    pages: list[str] = Field(description="各页 PNG，data: URL / the pages as PNG data: URLs")
    more_pages: bool = Field(description="是否还有更多页未显示 / whether pages were left out")
    warnings: list[str] = Field(description="生成时 docgen 做的改动 / what docgen changed")
    template: str = Field(description="使用的模板 / the template used")


class NumberingInfo(BaseModel):
    """编号方案 / a numbering scheme."""

    name: str = Field(description="方案名称 / scheme name")
    labels: list[str] = Field(description="各级第一个编号，如 一、 1、 （1） ① / the first labels")
    formats: list[str] = Field(
        description="各级编号格式：{cn} 一 · {n} 1 · {circled} ① · {path} 1.2 / label formats"
    )


class FieldInfo(BaseModel):
    """模板的附加字段 / a field the template needs beyond the report."""

    description: str = Field(description="说明 / what it is")
    required: bool = Field(description="是否必填 / required")
    default: Any = Field(description="默认值 / default")
    example: Any = Field(description="示例 / example")


class TemplateSummary(BaseModel):
    """模板概要 / a template in the list."""

    name: str = Field(description="模板名称 / name")
    display_name: str = Field(description="中文名称 / display name")
    description: str = Field(description="说明 / description")
    origin: str = Field(description="来源：built-in、template-dir… / where it comes from")
    uses_report: bool = Field(description="是否按报告（标题、各节……）填写 / written for reports")


class ExampleInfo(BaseModel):
    """示例数据 / example data."""

    source: str = Field(description="来源：examples/NAME.yaml 或 starter / where it comes from")
    yaml: str = Field(description="YAML 数据文件 / the data file")
    data: dict[str, Any] = Field(description="同样的数据，JSON 形式 / the same data as JSON")


class TemplateInfo(TemplateSummary):
    """模板详情 / a template's manifest."""

    numbering: NumberingInfo = Field(description="标题编号方案 / heading numbering")
    fields: dict[str, FieldInfo] = Field(description="附加字段 / more fields")
    example: ExampleInfo = Field(description="示例数据 / example data")
    preview: str = Field(description="第一页预览图的地址 / URL of a preview of page 1")


class BatchRecord(BaseModel):
    """批量生成中的一条记录 / one record of a batch."""

    record: str = Field(description="记录位置，如 row 5（表头为第 1 行）/ where it came from")
    file: str | None = Field(description="生成的文件（zip 中的名称）/ the file written")
    error: str | None = Field(description="失败原因 / why it failed")
    code: str | None = Field(
        default=None, description="失败原因的代码（见 docs/errors.md）/ the error's stable code"
    )
    problems: list[ProblemBody] = Field(
        default_factory=list, description="逐项问题 / the error's separate problems"
    )


class BatchJob(BaseModel):
    """批量任务的进度 / a batch job's progress."""

    job: str = Field(description="任务编号 / job id")
    state: Literal["queued", "reading", "rendering", "done", "failed"] = Field(
        description="状态 / state"
    )
    template: str = Field(description="模板 / template")
    total: int = Field(description="记录总数 / records")
    done: int = Field(description="已处理 / records finished")
    failed: int = Field(description="失败 / records failed")
    failures: list[BatchRecord] = Field(description="失败的记录 / the failed records")
    download: str | None = Field(description="完成后的 zip 地址 / the zip, when done")
    error: ErrorBody | None = Field(description="任务失败的原因 / why the job failed")


class Health(BaseModel):
    """服务状态 / the service's state."""

    status: Literal["ok"]
    version: str
    token_required: bool = Field(description="/api/ 是否需要令牌 / whether /api/ needs a token")
    libreoffice: bool = Field(description="可否生成 PDF 和预览 / PDF available")
    pdftoppm: bool = Field(description="可否生成页面预览图 / page previews available")
    max_upload_bytes: int = Field(description="请求体上限 / the largest request body")
    workers: int = Field(description="渲染进程数 / render processes")
