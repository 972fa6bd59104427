"""What a printed value becomes: text, emphasis, paragraphs, pictures, missing names.

Every ``{{ }}`` value passes :func:`finalize` before Jinja escapes it.  Text is cleaned of
characters XML cannot hold, and its line breaks and tabs become markers
(:mod:`docgen.postrender` turns them into Word paragraphs and tabs after the render); a
:class:`~docgen.Paragraph` keeps its bold, italic, underline and 着重号 runs; a picture closes
the tag's run and places itself.  User text is printed literally: ``{{ 7*7 }}`` in a value
stays ``{{ 7*7 }}``.  An undefined name is recorded (:class:`CollectingUndefined`) so one
error can list every missing name.
"""

from __future__ import annotations

import contextvars
import inspect
import re
from collections.abc import Sequence
from typing import Any

import attrs
import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from docgen.body import BodyWriter
from docgen.errors import RenderError
from docgen.i18n import Message, lazy
from docgen.model import (
    Block,
    BulletList,
    Image,
    NumberedList,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from docgen.ooxml import clean_text
from docgen.postrender import PARAGRAPH, TAB, block_end, block_start, rich_end, rich_start
from docgen.sandbox import unprintable

__all__ = [
    "BLOCKS",
    "MISSING",
    "OWNERS",
    "WRITER",
    "BlockView",
    "CollectingUndefined",
    "Flattened",
    "PrintedBlocks",
    "finalize",
    "image_filter",
    "rich_markup",
    "text_markup",
]

_FLAGS = (("b", "bold"), ("i", "italic"), ("u", "underline"), ("e", "emphasis"))


def text_markup(text: str, where: str = "text") -> str:
    r"""*text* escaped for a ``<w:t>``, its line breaks and tabs as post-render markers.

    >>> text_markup("甲<乙\n丙\t丁")
    '甲&lt;乙<?dg-p?>丙<?dg-tab?>丁'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    escaped = str(escape(clean_text(text, where)))
    return escaped.replace("\n", PARAGRAPH).replace("\t", TAB)


def rich_markup(runs: Sequence[Run], where: str = "text") -> str:
    """Escaped text of *runs*, emphasised runs between markers the post-render pass resolves.

    Each emphasised piece becomes a run of its own that inherits the template run's font,
    size and style (see :mod:`docgen.postrender`).

    >>> rich_markup([Run("依托"), Run("德育平台", bold=True)])
    '依托<?dg-rich b?>德育平台<?dg-end?>'
    """
    out = []
    for run in runs:
        text = text_markup(run.text, where)
        flags = "".join(f for f, name in _FLAGS if getattr(run, name))
        out.append(f"{rich_start(flags)}{text}{rich_end()}" if flags else text)
    return "".join(out)


class BlockView:
    """A block as a template loop sees it.

    ``{{ b }}`` inside a run prints a paragraph's text with its emphasis (inheriting the run's
    font and size).  A table, list, picture or page break printed by ``{{ b }}`` alone in its
    paragraph is written whole in the template's styles, as ``{{p b.xml }}`` writes it (see
    :class:`PrintedBlocks`); among other text a picture or page break stands inline, and a
    list or table becomes its text (one paragraph per item or row) with a warning.
    """

    __slots__ = ("_where", "_writer", "_xml", "block")

    def __init__(self, block: Block, writer: BodyWriter, where: str) -> None:
        self.block = block
        self._writer = writer
        self._where = where
        self._xml: str | None = None

    @property
    def type(self) -> str:
        """paragraph, bullet_list, numbered_list, table, image or page_break."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(self.block).__name__).lower()

    @property
    def text(self) -> str:
        """The block's visible text (items and rows on their own lines)."""
        b = self.block
        if isinstance(b, Paragraph):
            return b.text
        if isinstance(b, (BulletList, NumberedList)):
            return "\n".join(p.text for p in b.items)
        if isinstance(b, Table):
            return "\n".join("\t".join(c.text for c in row) for row in b.rows)
        if isinstance(b, Image):
            return b.caption or ""
        return ""

    @property
    def xml(self) -> Any:
        """The block as WordprocessingML in the template's styles (for ``{{p b.xml }}``)."""
        if self._xml is None:
            self._xml = self._writer.block(self.block, self._where)
        return Markup(self._xml)

    def rich(self) -> str:
        """Marked-up runs for printing inside a template run (see :func:`rich_markup`)."""
        b = self.block
        if isinstance(b, Paragraph):
            return rich_markup(b.runs, self._where)
        return text_markup(self.text, self._where)

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Flattened:
    """A block printed among other text that could only be written as its text."""

    where: str  # the field path: sections[0].blocks[1]
    kind: str  # table, bullet list, numbered list
    line: int | None  # the template line (= paragraph) of the tag, when known


class PrintedBlocks:
    """The blocks ``{{ b }}`` printed during a render, for the post-render pass to place.

    A table, list, picture or page break cannot be written inside the template's run where
    the tag stands.  :func:`finalize` prints a marker around its text instead
    (:func:`~docgen.postrender.block_start`), and :func:`docgen.postrender.finish_part`
    asks this object for the whole block (the tag is alone in its paragraph) or for a run
    to stand among the paragraph's text (a picture, a page break).  A list or table that
    can be neither stays as its text and is recorded in :attr:`flattened`, for the renderer
    to warn about.  Nothing is written until asked, so a picture or list is added to the
    package only where it is placed.
    """

    def __init__(self) -> None:
        self._views: list[tuple[BlockView, int | None]] = []
        self.flattened: list[Flattened] = []

    def add(self, view: BlockView, line: int | None) -> int:
        """Register a printed block; return its number for the marker."""
        self._views.append((view, line))
        return len(self._views) - 1

    def block(self, n: int) -> str:
        """Block *n* written whole, to stand in place of the paragraph that printed it."""
        return str(self._views[n][0].xml)

    def inline(self, n: int) -> str | None:
        """Block *n* as a run among other text, or None (recorded as flattened)."""
        view, line = self._views[n]
        run = view._writer.inline(view.block, view._where)
        if run is None:
            self.flattened.append(Flattened(view._where, view.type.replace("_", " "), line))
        return run

    def take_flattened(self) -> list[Flattened]:
        """The blocks flattened since the last call (one part's, called after each part)."""
        taken, self.flattened = self.flattened, []
        return taken


def _template_line() -> int | None:
    """The template line of the tag being printed: the Jinja frame calling :func:`finalize`."""
    frame = inspect.currentframe()
    while frame is not None:
        if frame.f_code.co_filename == "<template>":
            template = frame.f_globals.get("__jinja_template__")
            if isinstance(template, jinja2.Template):
                return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def finalize(value: Any) -> Any:
    """Applied to every ``{{ }}`` value before escaping (see the module's docstring).

    None prints as nothing.  Functions, classes, modules and Jinja's own objects are never
    printed (their text would show Python's internals): the sandbox refuses them.
    """
    if value is None:
        return ""
    if isinstance(value, jinja2.Undefined):
        return value  # printing it records the name (CollectingUndefined)
    block = value.block if isinstance(value, BlockView) else value
    if isinstance(value, BlockView) and not isinstance(block, Paragraph):
        printed = BLOCKS.get()
        if printed is not None:  # placed by the post-render pass
            n = printed.add(value, _template_line())
            text = "" if isinstance(block, (Image, PageBreak)) else value.rich()
            return Markup(f"{block_start(n)}{text}{block_end()}")
    if isinstance(block, Image):
        return _picture(block)
    if isinstance(block, Paragraph):
        markup = rich_markup(block.runs, "template value")
    elif isinstance(value, BlockView):
        markup = value.rich()
    elif hasattr(value, "__html__"):
        markup = value.__html__()
    elif unprintable(value):
        raise SecurityError(
            lazy(  # type: ignore[arg-type]  # str() of it translates
                "a template cannot print a {kind}, only the data's values",
                kind=type(value).__name__,
            )
        )
    else:
        text = value if isinstance(value, str) else str(value)
        markup = text_markup(text, "template value")
    return Markup(markup)


WRITER: contextvars.ContextVar[BodyWriter | None] = contextvars.ContextVar(
    "docgen_writer", default=None
)
"""During a render: the body writer pictures printed by a tag are written with."""

BLOCKS: contextvars.ContextVar[PrintedBlocks | None] = contextvars.ContextVar(
    "docgen_blocks", default=None
)
"""During a render: where blocks printed by ``{{ b }}`` are registered (:class:`PrintedBlocks`)."""

MISSING: contextvars.ContextVar[list[str | Message] | None] = contextvars.ContextVar(
    "docgen_missing", default=None
)
"""During a render: the list the names of undefined variables are collected in."""

OWNERS: contextvars.ContextVar[dict[int, object] | None] = contextvars.ContextVar(
    "docgen_owners", default=None
)
"""During a render: for a missing attribute or key (``s.name``), the value it was looked up
on (the loop's item), by its index in :data:`MISSING`, so its place in the data can be found."""


def _undefined_name(u: jinja2.Undefined) -> str | Message:
    obj = u._undefined_obj
    name = u._undefined_name
    if obj is jinja2.utils.missing:
        return str(name)
    if obj is None:
        return lazy("{name} (of an empty value)", name=name)
    return lazy("{name} (of a {kind})", name=name, kind=type(obj).__name__)


class CollectingUndefined(jinja2.StrictUndefined):
    """StrictUndefined that records every missing name, so one error can list them all.

    During a render, printing, iterating or testing an undefined value records its name and
    goes on with an empty value (the renderer then raises one error naming every missing
    variable); anything else (arithmetic, comparison) records it and stops the render.
    Outside a render it is exactly StrictUndefined.
    """

    __slots__ = ()

    def _record(self) -> bool:
        missing = MISSING.get()
        if missing is None:
            return False
        owners = OWNERS.get()
        if owners is not None and self._undefined_obj is not jinja2.utils.missing:
            owners[len(missing)] = self._undefined_obj
        missing.append(_undefined_name(self))
        return True

    def __str__(self) -> str:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return ""

    def __iter__(self) -> Any:
        if not self._record():
            self._fail_with_undefined_error()
        return iter(())

    def __bool__(self) -> bool:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return False

    def __len__(self) -> int:  # type: ignore[override]
        if not self._record():
            self._fail_with_undefined_error()
        return 0


def image_filter(value: Image | bytes, width_cm: float | None = None) -> Image:
    """``{{ photo|image(3) }}``: a picture from the data, placed inline at a width in cm.

    Only pictures the data gives (an :class:`~docgen.Image`, or bytes) can be placed: a
    template cannot name a file to read.
    """
    if isinstance(value, Image):
        return attrs.evolve(value, width_cm=width_cm or value.width_cm)
    if isinstance(value, (bytes, bytearray)):
        return Image(bytes(value), width_cm=width_cm)
    raise RenderError(
        lazy("can only place pictures the data gives"),
        where="image filter",
        expected=lazy("a docgen.Image or the picture's bytes"),
        found=lazy("{kind}", kind=type(value).__name__),
        code="render.bad_picture",
    )


def _picture(image: Image) -> Markup:
    """A picture printed by a tag.

    Closes the tag's text and run, adds the picture's run, and reopens a run for whatever
    follows the tag.
    """
    writer = WRITER.get()
    if writer is None:  # pragma: no cover - only rendered inside docgen.render
        return Markup("")
    run = writer.inline_image(image, "template value")
    return Markup(f'</w:t></w:r>{run}<w:r><w:t xml:space="preserve">')
