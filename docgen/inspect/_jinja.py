"""The Jinja side: a part's preprocessed source, its syntax errors, and the names it uses."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence

import attrs
import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from docgen import _docxtpl, tables
from docgen.filters import FILTERS
from docgen.inspect._model import FilterUse, Finding, Place, Variable, _finding, _shorten, _Use
from docgen.inspect._xml import _SLOT_NAMES, _inner, _RawTag, _tags_in

# --- the Jinja source of a part, one tag a line ----------------------------------------------


def _key(tag_text: str) -> str:
    """What aligns a tag as written with the same tag after docxtpl's preprocessing."""
    return tag_text[:2] + re.sub(r"[\s\"'-]", "", _inner(tag_text))


@attrs.define(eq=False)
class _Source:
    """A part's preprocessed Jinja source, and where each of its tags was written."""

    part: str
    text: str
    tags: list[tuple[int, int]]
    places: list[Place]  # of each tag in ``tags``
    notes: tuple[_docxtpl.NormalizedTag, ...]

    def build(self, blanked: frozenset[int] = frozenset()) -> tuple[str, dict[int, int]]:
        """The source with each tag on a line of its own (*blanked* ones emptied).

        Returns the source and its line → tag index map, so a Jinja line number names a tag.
        """
        out: list[str] = []
        lines: dict[int, int] = {}
        pos, line = 0, 1
        for k, (start, end) in enumerate(self.tags):
            line += self.text.count("\n", pos, start) + 1
            lines[line] = k
            tag = "" if k in blanked else self.text[start:end]
            out += [self.text[pos:start], "\n", tag]
            line += tag.count("\n")
            pos = end
        out.append(self.text[pos:])
        return tables.mark_vmerge("".join(out)), lines

    def tag(self, k: int | None) -> str:
        return self.text[slice(*self.tags[k])] if k is not None else ""

    def place(self, k: int | None) -> Place:
        return self.places[k] if k is not None else Place(self.part, "")


def _jinja_source(part: str, xml: str, raw_tags: list[_RawTag]) -> _Source:
    """Preprocess a part as the renderer does and map each tag back to its paragraph."""
    text, notes = _docxtpl.preprocess_noting(xml)
    tags = _tags_in(text, to_line_end=True)
    pairs = _align([_key(t.text) for t in raw_tags], [_key(text[a:b]) for a, b in tags])
    places = [Place(part, raw_tags[i].para.shown if i is not None else "") for i in pairs]
    return _Source(part, text, tags, places, notes)


def _align(written: Sequence[str], read: Sequence[str], reach: int = 24) -> list[int | None]:
    """For each tag as Jinja reads it, the index of the tag as written.

    The two lists are nearly equal: docxtpl only merges tags broken across paragraphs and
    adds a few of its own (``{% vm %}``…).  Where they differ, the nearest point where they
    agree again (within *reach*) is found, and the tags between pair up in order.

    >>> _align(["{{a", "{{b}", "{{c", "{%if"], ["{{a", "{{b}{{c", "{%if"])
    [0, 1, 3]
    """
    out: list[int | None] = []
    i = j = 0
    while j < len(read):
        if i < len(written) and written[i] == read[j]:
            out.append(i)
            i, j = i + 1, j + 1
            continue
        resync = next(
            (
                (x, d - x)
                for d in range(1, reach)
                for x in range(d + 1)
                if i + x < len(written)
                and j + d - x < len(read)
                and written[i + x] == read[j + d - x]
            ),
            (1, 1),
        )
        x, y = resync
        for n in range(y):  # pair up in order; extra read tags go with the last written one
            k = i + min(n, x - 1) if x else i - 1
            out.append(k if 0 <= k < len(written) else None)
        i, j = i + x, j + y
    return out


_BLOCK_TAGS = {
    "for",
    "if",
    "macro",
    "call",
    "filter",
    "with",
    "block",
    "raw",
    "autoescape",
    "trans",
}


def _block(tag_text: str) -> tuple[str, str] | None:
    """("open" | "close", keyword) for a block tag, else None."""
    m = re.match(r"\{%-?\s*(\w+)(.*)", tag_text, re.DOTALL)
    word = m.group(1) if m else ""
    if word in _BLOCK_TAGS or (word == "set" and m is not None and "=" not in m.group(2)):
        return "open", word
    if word.startswith("end") and (word[3:] in _BLOCK_TAGS or word == "endset"):
        return "close", word[3:]
    return None


def _partner(src: _Source, k: int, blanked: frozenset[int]) -> int | None:
    """The tag closing the block tag *k* opens."""
    kind = _block(src.tag(k))
    if kind is None or kind[0] != "open":
        return None
    opener, closer, depth = kind, ("close", kind[1]), 0
    for j in range(k + 1, len(src.tags)):
        other = _block(src.tag(j)) if j not in blanked else None
        if other == closer and depth == 0:
            return j
        depth += (other == opener) - (other == closer)
    return None


def _unclosed(src: _Source, blanked: frozenset[int]) -> int | None:
    """The innermost block tag left open at the end of the part."""
    stack: list[tuple[str, int]] = []
    for k in range(len(src.tags)):
        kind = _block(src.tag(k)) if k not in blanked else None
        if kind and kind[0] == "open":
            stack.append((kind[1], k))
        elif kind and stack and stack[-1][0] == kind[1]:
            stack.pop()
    return stack[-1][1] if stack else None


def _syntax_finding(exc: jinja2.TemplateSyntaxError, tag: str, place: Place) -> Finding:
    jinja = exc.message or str(exc)
    values = {"tag": _shorten(tag, 60), "jinja": jinja}
    m = re.search(r"innermost block that needs to be closed is '(\w+)'", jinja)
    if m:
        return _finding("error", "syntax-error/unclosed", place, word=m.group(1), **values)
    m = re.search(r"Encountered unknown tag '(\w+)'", jinja)
    if m and m.group(1).startswith("end"):
        return _finding("error", "syntax-error/end", place, word=m.group(1)[3:], **values)
    if m:
        return _finding("error", "syntax-error/tag", place, word=m.group(1), **values)
    return _finding("error", "syntax-error", place, **values)


def _parse(
    env: SandboxedEnvironment, src: _Source
) -> tuple[nodes.Template | None, dict[int, int], list[Finding]]:
    """Parse a part, reporting each syntax error and going on without the tag at fault."""
    blanked: frozenset[int] = frozenset()
    findings: list[Finding] = []
    for _ in range(25):
        source, lines = src.build(blanked)
        try:
            ast = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            k = lines.get(exc.lineno or 0)
            if k is None or "Unexpected end of template" in (exc.message or ""):
                k = _unclosed(src, blanked)
            findings.append(_syntax_finding(exc, src.tag(k), src.place(k)))
            if k is None or k in blanked:
                return None, lines, findings
            partner = _partner(src, k, blanked)
            blanked = blanked | {k} | ({partner} if partner is not None else set())
            continue
        try:
            env.compile(ast)
        except jinja2.TemplateSyntaxError as exc:  # checks made when compiling
            if not re.match(r"No (filter|test) named", exc.message or ""):  # reported by name
                k = lines.get(exc.lineno or 0)
                findings.append(_syntax_finding(exc, src.tag(k), src.place(k)))
        return ast, lines, findings
    return None, {}, findings  # pragma: no cover - 25 errors in one part


# --- the variables, filters and loops a part uses ---------------------------------------------

_Path = tuple[str, int, tuple[str, ...]]  # name, line, attributes
_Frame = dict[str, Variable | None]  # names bound in a scope: a tracked loop item, or a local


def _path(node: nodes.Node) -> _Path | None:
    """``signature.org`` → ("signature", line, ("org",)); None if not a plain name path."""
    attributes: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            attributes.append(node.attr)
            node = node.node
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
        ):
            attributes.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, node.lineno, tuple(reversed(attributes))
        else:
            return None


class _Collector:
    """Walks the Jinja AST of each part and records every name, attribute, loop and filter."""

    def __init__(self, env: SandboxedEnvironment) -> None:
        self.env = env
        self.top: dict[str, Variable] = {}
        self.filters: dict[str, FilterUse] = {}
        self.tests: dict[str, list[Place]] = {}
        self.unsupported: list[tuple[str, Place]] = []
        self.slots: dict[str, Place] = {}  # body / signature_block → first place
        self.src: _Source | None = None
        self.lines: dict[int, int] = {}
        self.frames: list[_Frame] = []
        self.guards: list[tuple[str, Variable]] = []

    def run(self, ast: nodes.Template, src: _Source, lines: dict[int, int]) -> None:
        self.src, self.lines, self.frames, self.guards = src, lines, [{}], []
        self._stmts(ast.body)

    def place(self, lineno: int) -> Place:
        assert self.src is not None
        return self.src.place(self.lines.get(lineno))

    # -- names --

    def _resolve(self, path: _Path) -> Variable | None:
        name, _, attributes = path
        frame = next((f for f in reversed(self.frames) if name in f), None)
        if frame is not None:
            var = frame[name]
        elif name in self.env.globals:
            return None
        else:
            var = self.top.setdefault(name, Variable(name, name))
        if var is None:  # a local: {% set %}, a macro argument, loop
            return None
        for attribute in attributes:
            var = var.child(attribute)
        return var

    def _use(self, node: nodes.Node, optional: bool = False) -> Variable | None:
        path = _path(node)
        if path is None:
            self._expr(node)
            return None
        var = self._resolve(path)
        if var is not None:
            place = self.place(path[1])
            var.add_use(_Use(place, tuple(self.guards), optional))
            if var.role == "top" and var.name in _SLOT_NAMES:
                self.slots.setdefault(var.name, place)
        return var

    def _bind(self, target: nodes.Node) -> None:
        for name in target.find_all(nodes.Name) if not isinstance(target, nodes.Name) else [target]:
            self.frames[-1][name.name] = None

    @contextlib.contextmanager
    def _guarded(self, test: nodes.Node | None) -> Iterator[None]:
        guards = self._guards_of(test) if test is not None else []
        self.guards.extend(guards)
        try:
            yield
        finally:
            del self.guards[len(self.guards) - len(guards) :]

    def _guards_of(self, test: nodes.Node) -> list[tuple[str, Variable]]:
        """What an ``{% if %}`` test guarantees inside its body."""
        if isinstance(test, nodes.And):
            return self._guards_of(test.left) + self._guards_of(test.right)
        kind, target = "truthy", test
        if isinstance(test, nodes.Test) and test.name == "defined":
            kind, target = "defined", test.node
        elif (
            isinstance(test, nodes.Not)
            and isinstance(test.node, nodes.Test)
            and test.node.name == "none"
        ):
            kind, target = "notnone", test.node.node
        path = _path(target)
        var = self._resolve(path) if path is not None else None
        return [(kind, var)] if var is not None else []

    # -- expressions --

    def _expr(self, node: nodes.Node | None, optional: bool = False) -> None:
        if node is None:
            return
        if _path(node) is not None:
            self._use(node, optional)
        elif isinstance(node, nodes.Filter):
            self._filter(node)
        elif isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self.tests.setdefault(node.name, []).append(self.place(node.lineno))
            self._expr(node.node, optional=node.name in ("defined", "undefined"))
            self._args(node)
        elif isinstance(node, nodes.Call):  # a method call uses its object
            callee = node.node
            self._expr(callee.node if isinstance(callee, nodes.Getattr) else callee)
            self._args(node)
        elif isinstance(node, nodes.CondExpr):
            self._expr(node.test)
            with self._guarded(node.test):
                self._expr(node.expr1)
            self._expr(node.expr2)
        else:
            for child in node.iter_child_nodes():
                self._expr(child)

    def _args(self, node: nodes.Call | nodes.Filter | nodes.Test) -> None:
        for arg in [*node.args, *(kw.value for kw in node.kwargs), node.dyn_args, node.dyn_kwargs]:
            self._expr(arg)

    def _filter(self, node: nodes.Filter, operand: bool = True) -> None:
        if node.name not in self.filters:
            known = "jinja" if node.name in self.env.filters else "unknown"
            kind = "docgen" if node.name in FILTERS or node.name == "image" else known
            self.filters[node.name] = FilterUse(node.name, kind)
        place = self.place(node.lineno)
        self.filters[node.name].places.append(place)
        if operand:
            self._expr(node.node, optional=node.name in ("default", "d"))
        self._args(node)

    # -- statements --

    def _stmts(self, body: Sequence[nodes.Node]) -> None:
        for node in body:
            self._stmt(node)

    def _stmt(self, node: nodes.Node) -> None:  # noqa: PLR0912 - one branch a statement kind
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                self._expr(child if not isinstance(child, nodes.TemplateData) else None)
        elif isinstance(node, nodes.For):
            self._for(node)
        elif isinstance(node, nodes.If):
            self._expr(node.test)
            with self._guarded(node.test):
                self._stmts(node.body)
            self._stmts([*node.elif_, *node.else_])
        elif isinstance(node, nodes.Assign):
            self._expr(node.node)
            self._bind(node.target)
        elif isinstance(node, nodes.AssignBlock):
            self._stmts(node.body)
            if node.filter is not None:
                self._filter(node.filter, operand=False)
            self._bind(node.target)
        elif isinstance(node, nodes.With):  # {% with a = signature %}: a.org is signature.org
            frame: _Frame = {}
            for target, value in zip(node.targets, node.values, strict=False):
                self._expr(value)
                path = _path(value)
                if isinstance(target, nodes.Name):
                    frame[target.name] = self._resolve(path) if path is not None else None
            self._scoped(frame, node.body)
        elif isinstance(node, nodes.Macro):
            self.frames[-1][node.name] = None
            for default in node.defaults:
                self._expr(default)
            names = [a.name for a in node.args] + ["varargs", "kwargs", "caller"]
            self._scoped(dict.fromkeys(names), node.body)
        elif isinstance(node, nodes.CallBlock):
            self._expr(node.call)
            self._scoped(dict.fromkeys([a.name for a in node.args] + ["caller"]), node.body)
        elif isinstance(node, nodes.FilterBlock):
            self._filter(node.filter, operand=False)
            self._stmts(node.body)
        elif isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            self.unsupported.append((type(node).__name__.lower(), self.place(node.lineno)))
        elif isinstance(node, nodes.Expr):
            self._expr(node)
        else:
            for inner in node.iter_child_nodes():
                self._stmt(inner)

    def _scoped(self, frame: _Frame, body: Sequence[nodes.Node]) -> None:
        self.frames.append(frame)
        try:
            self._stmts(body)
        finally:
            self.frames.pop()

    def _for(self, node: nodes.For) -> None:
        it: nodes.Node = node.iter
        while isinstance(it, nodes.Filter) and it.node is not None:  # sections|reverse
            self._filter(it, operand=False)
            it = it.node
        call = None
        if (
            isinstance(it, nodes.Call)
            and isinstance(it.node, nodes.Getattr)
            and it.node.attr in ("items", "values", "keys")  # d.items()
            and not it.args
        ):
            call, it = it.node.attr, it.node.node
        base = self._use(it)
        names = [n.name for n in node.target.find_all(nodes.Name)] or [
            getattr(node.target, "name", "")
        ]
        frame: _Frame = dict.fromkeys([*names, "loop"])
        if base is not None:
            loop = base.loop(", ".join(names), call)
            place = self.place(node.lineno)
            loop.places.append(place)
            if len(names) == 1:
                frame[names[0]] = loop.item
        self.frames.append(frame)
        try:
            self._expr(node.test)
            with self._guarded(node.test):
                self._stmts(node.body)
        finally:
            self.frames.pop()
        self._stmts(node.else_)
