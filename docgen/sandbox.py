"""The Jinja sandbox a template runs in, and every limit a render obeys.

Jinja's sandbox keeps a template away from Python's internals, files and imports, but (as its
documentation says) not from exhausting memory or time.  docgen adds both: the operators,
methods and filters that can build a big value in one step are checked before they run (and
their results after), every part's output is capped, and a render given a time limit stops
when it is up.

Time limits are cooperative in the library: the template's own ``{% for %}`` loops, calls and
filters look at :data:`DEADLINE` and raise :class:`TimeUp` there, and nowhere else, so a limit
can never strike the caller's unrelated code.  Python code of the caller's own data (a
generator that never ends, say) is not interrupted.  Processes docgen owns (the ``docgen``
command, batch workers, the web service's workers) add a hard stop on top with
:func:`process_time_limit`, an interval timer in their main thread.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import os
import re
import signal
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from docgen import limits
from docgen.errors import RenderError, Text
from docgen.i18n import Message, lazy

__all__ = [
    "BUILT",
    "DEADLINE",
    "HARD_STOP_GRACE",
    "Sandbox",
    "TimeUp",
    "check_deadline",
    "deadline",
    "hard_stop_after",
    "install_hard_stop",
    "limited_filter",
    "owned_process_limit",
    "process_time_limit",
    "refuse_loading",
    "refuse_unprintable",
    "time_limit",
    "unprintable",
]

BUILT: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "docgen_built", default=None
)
"""During a render: how many characters or items its expressions have built so far."""

DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "docgen_deadline", default=None
)
"""During a render: the :func:`time.monotonic` time its template must be done by."""


class TimeUp(BaseException):
    """Raised inside a render whose time is up; :func:`docgen.render` reports it.

    A BaseException, so no ``except Exception`` in Jinja or a filter swallows it.
    """


def check_deadline() -> None:
    """Raise :class:`TimeUp` when the render's :data:`DEADLINE` has passed."""
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeUp


_LOOP_CHECK = 256  # loop iterations between two looks at the clock


_SIZED = (str, bytes, list, tuple)
_STR_WIDTH = frozenset({"center", "ljust", "rjust", "zfill"})
_PERCENT_FIELD = re.compile(r"%[^a-zA-Z%]*[a-zA-Z%]")
_BRACE_FIELD = re.compile(r"{[^{}]*(?:{[^{}]*}[^{}]*)*}")


def unprintable(value: Any) -> bool:
    """Whether printing *value* would show Python's internals instead of the data.

    Functions, classes, modules and Jinja's own objects (``cycler``, ``joiner``,
    ``namespace``, ``self``) print as ``<class 'jinja2.utils.Cycler'>`` and the like.  A
    missing name (Jinja's undefined value) is not one of them: it is reported as missing.

    >>> unprintable(dict), unprintable(len), unprintable("文本"), unprintable(3)
    (True, True, False, False)
    """
    if isinstance(value, jinja2.Undefined):
        return False
    return (
        callable(value)
        or isinstance(value, types.ModuleType)
        or type(value).__module__.split(".")[0] == "jinja2"
    )


# Filters that rearrange or count what they are given without printing it: the items of a
# list given to them are not looked at (``rows|sort`` on 100,000 rows stays one sort).
_STRUCTURAL = frozenset(
    {
        "attr", "batch", "count", "d", "default", "dictsort", "first", "groupby", "items",
        "last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr",
        "reverse", "select", "selectattr", "slice", "sort", "sum", "unique",
    }
)  # fmt: skip


def refuse_unprintable(*values: Any, deep: bool = True) -> None:
    """Stop the render when one of *values* would print as Python's internals.

    With *deep*, the items of a list, tuple or mapping among them are looked at too: a
    template prints the data's values, nothing else.
    """
    for value in values:
        items = (
            value.values()
            if deep and isinstance(value, Mapping)
            else value
            if deep and isinstance(value, (list, tuple))
            else (value,)
        )
        for item in items:
            if unprintable(item):
                raise refusal(
                    lazy(
                        "a template cannot print a {kind}, only the data's values",
                        kind=type(item).__name__,
                    )
                )


def refusal(message: Message) -> SecurityError:
    """Jinja's :class:`SecurityError` with a message translated when it is shown."""
    return SecurityError(message)  # type: ignore[arg-type]  # str() of it translates


def _too_big(what: Text, size: float) -> SecurityError:
    return refusal(
        lazy(
            "{what} would build a value of {size:,.0f} characters or items, more than the "
            "{limit:,} a template may build",
            what=what,
            size=size,
            limit=limits.MAX_TEXT,
        )
    )


def _checked(value: Any, what: Text) -> Any:
    """*value*, when it is within the limits; else the render stops."""
    if isinstance(value, _SIZED):
        size = len(value)
        if size > limits.MAX_TEXT:
            raise _too_big(what, size)
        built = BUILT.get()
        if built is not None and size > 64:  # small values cost nothing worth counting
            built[0] += size
            if built[0] > limits.MAX_BUILT:
                raise refusal(
                    lazy(
                        "{what}: the template has built more than the {limit:,} characters "
                        "or items one render may build in all",
                        what=what,
                        limit=limits.MAX_BUILT,
                    )
                )
    if isinstance(value, int) and value.bit_length() > limits.MAX_INT_BITS:
        raise refusal(
            lazy(
                "{what} would build a number of {bits:,} bits, more than the "
                "{limit:,} a template may build",
                what=what,
                bits=value.bit_length(),
                limit=limits.MAX_INT_BITS,
            )
        )
    return value


def _longest(values: Iterable[Any]) -> int:
    return max((len(v) for v in values if isinstance(v, _SIZED)), default=0)


def _width_size(text: str, name: str, args: Sequence[Any]) -> float:
    width = next((a for a in args if isinstance(a, int)), 0)
    return len(text) + width * (text.count("\n") + 1 if name == "indent" else 1)


def _tabs_size(text: str, name: str, args: Sequence[Any]) -> float:
    return len(text) + next((a for a in args if isinstance(a, int)), 8) * text.count("\t")


def _replace_size(text: str, name: str, args: Sequence[Any]) -> float:
    if len(args) < 2:
        return 0
    old, new = str(args[0]), str(args[1])
    count = text.count(old) if old else len(text) + 1
    return len(text) + count * max(0, len(new) - len(old))


def _join_size(text: str, name: str, args: Sequence[Any]) -> float:
    if not args or not isinstance(args[0], (list, tuple)):
        return 0
    return len(text) * len(args[0]) + sum(len(i) for i in args[0] if isinstance(i, str))


def _format_size(text: str, name: str, args: Sequence[Any]) -> float:
    """About how long formatting *args* into *text* (``%`` or ``str.format``) makes it."""
    values = list(args[0]) if name == "%" and args and isinstance(args[0], tuple) else list(args)
    if values and isinstance(values[0], Mapping) and name in {"%", "format_map"}:
        values = list(values[0].values())
    found = (_PERCENT_FIELD if name == "%" else _BRACE_FIELD).findall(text)
    widths = [int(d) for field in found for d in re.findall(r"\d+", field)]
    size = len(text) + len(found) * _longest(values) + sum(widths)
    if any("*" in field or field.count("{") > 1 for field in found):  # widths from the args
        size += len(found) * max((v for v in values if isinstance(v, int)), default=0)
    return size


# str method (or the filter doing its work) → about how long it makes the text.
_STR_SIZE: dict[str, Callable[[str, str, Sequence[Any]], float]] = {
    "center": _width_size,
    "ljust": _width_size,
    "rjust": _width_size,
    "zfill": _width_size,
    "indent": _width_size,
    "expandtabs": _tabs_size,
    "replace": _replace_size,
    "join": _join_size,
    "format": _format_size,
    "format_map": _format_size,
    "%": _format_size,
}


def _str_op_size(text: str, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> float:
    """About how long a ``str`` method (or the filter doing its work) makes *text*."""
    size = _STR_SIZE.get(name)
    return size(text, name, [*args, *kwargs.values()]) if size else 0


def _repeat_size(left: Any, right: Any) -> float:
    if isinstance(left, _SIZED) and isinstance(right, int):
        return len(left) * right
    if isinstance(right, _SIZED) and isinstance(left, int):
        return len(right) * left
    return 0


def _int_bits(operator: str, left: Any, right: Any) -> float:
    """About how many bits ``left operator right`` has, for two integers."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right)):
        return 0
    if operator == "*":
        return int(left.bit_length()) + int(right.bit_length())
    if right > 0 and abs(left) > 1:
        return float(right * math.log2(abs(left)))
    return 0


def _precheck_binop(operator: str, left: Any, right: Any) -> None:
    what = lazy("the operator {operator}", operator=operator)
    size: float = 0
    if operator == "*":
        size = _repeat_size(left, right)
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        size = len(left) + len(right)
    elif operator == "%" and isinstance(left, str):
        size = _format_size(left, "%", (right,))
    if size > limits.MAX_TEXT:
        raise _too_big(what, size)
    if operator in {"*", "**"} and _int_bits(operator, left, right) > limits.MAX_INT_BITS + 1:
        raise refusal(
            lazy(
                "{what} would build a number of more than the {limit:,} bits a template may build",
                what=what,
                limit=limits.MAX_INT_BITS,
            )
        )


def limited_filter(name: str, func: Callable[..., Any], *, own: bool) -> Callable[..., Any]:
    """*func* with its arguments checked before it runs and its result after.

    *own*: one of docgen's filters, which cannot take a missing value (Jinja's handle it:
    ``default`` needs it), so a missing name given to it is passed on to be reported.
    """
    passes_arg = getattr(func, "jinja_pass_arg", None) is not None
    method = {"format": "%"}.get(name, name)
    what = lazy("the filter {name}", name=name)

    def run(*args: Any, **kwargs: Any) -> Any:
        check_deadline()
        values = args[1:] if passes_arg else args
        refuse_unprintable(*values, *kwargs.values(), deep=name not in _STRUCTURAL)
        if own:  # a missing name given to cn_date & co. is reported as missing, with the rest
            for value in (*values, *kwargs.values()):
                if isinstance(value, jinja2.Undefined):
                    return value
        if values and isinstance(values[0], str):
            rest = values[1:] if method != "%" else (values[1:] or (kwargs,),)
            size = _str_op_size(values[0], method, rest, {} if method == "%" else kwargs)
            if size > limits.MAX_TEXT:
                raise _too_big(what, size)
        elif name == "join" and values and isinstance(values[0], (list, tuple)):
            size = _str_op_size(str(values[1]) if len(values) > 1 else "", "join", values[:1], {})
            if size > limits.MAX_TEXT:
                raise _too_big(what, size)
        return _checked(func(*args, **kwargs), what)

    return functools.update_wrapper(run, func)


def refuse_loading(name: str) -> str:
    """The sandbox's loader: no template may include, import or extend another."""
    raise refusal(
        lazy(
            "cannot load the template {name}: {include}, {import_} and {extends} are not "
            "available, a docgen template is one .docx",
            name=repr(name),
            include="{% include %}",
            import_="{% import %}",
            extends="{% extends %}",
        )
    )


class _CodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so its result is checked against :data:`docgen.limits.MAX_TEXT`."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja's name
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with limits on what one template can build.

    ``*``, ``**``, ``+`` and ``%``, the ``str`` methods and the filters that build text are
    checked before they run, against :data:`docgen.limits.MAX_TEXT` and
    :data:`docgen.limits.MAX_INT_BITS`, and every value they build after; a part's output is
    capped at :data:`docgen.limits.MAX_OUTPUT`; an unsafe
    attribute (``__class__``, ``_private``) is an error, not an undefined value; there is no
    loader, so ``{% include %}``, ``{% import %}`` and ``{% extends %}`` fail cleanly; and
    every ``{% for %}`` loop, call and filter looks at the render's :data:`DEADLINE`.
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Run a binary operator once its result is known to fit the limits."""
        if operator == "%" and isinstance(left, str):
            refuse_unprintable(right)
        _precheck_binop(operator, left, right)
        return _checked(
            super().call_binop(context, operator, left, right),
            lazy("the operator {operator}", operator=operator),
        )

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a function or method from a template, checking what ``str`` methods build."""
        check_deadline()
        target = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        name = getattr(target, "__name__", "a function")
        if isinstance(owner, str):
            refuse_unprintable(*args, *kwargs.values())
            size = _str_op_size(owner, name, args, kwargs)
            if size > limits.MAX_TEXT:
                raise _too_big(lazy("the method {name}", name=name), size)
        return _checked(
            super().call(context, obj, *args, **kwargs), lazy("calling {name}", name=name)
        )

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """Refuse an unsafe attribute at once (Jinja would hand back an undefined value)."""
        raise refusal(
            lazy(
                "access to the attribute {attribute} of {kind} values is not allowed",
                attribute=repr(attribute),
                kind=repr(type(obj).__name__),
            )
        )

    @staticmethod
    def checked_loop(iterable: Iterable[Any]) -> Iterable[Any]:
        """What a ``{% for %}`` loops over, looking at the clock every few iterations."""
        check_deadline()
        for count, item in enumerate(iterable, start=1):
            if not count % _LOOP_CHECK:
                check_deadline()
            yield item

    @staticmethod
    def printable(value: Any) -> Any:
        """An operand of ``~``, once it is known to print as data (:func:`unprintable`)."""
        refuse_unprintable(value)
        return value

    def checked_concat(self, value: str) -> str:
        """The result of ``~``, once it is known to fit :data:`docgen.limits.MAX_TEXT`."""
        result: str = _checked(value, lazy("the operator {operator}", operator="~"))
        return result

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:
        """Join a part's output (or a block's), stopping at :data:`docgen.limits.MAX_OUTPUT`."""
        joined: list[str] = []
        batch: list[str] = []
        size = 0
        for piece in pieces:
            size += len(piece)
            if size > limits.MAX_OUTPUT:
                raise refusal(
                    lazy(
                        "the output would be longer than the {limit:,} characters a part "
                        "may render to",
                        limit=limits.MAX_OUTPUT,
                    )
                )
            batch.append(piece)
            if len(batch) >= 4096:
                check_deadline()
                joined.append("".join(batch))
                batch.clear()
        joined.append("".join(batch))
        return "".join(joined)


# --- time limits ----------------------------------------------------------------------------


def time_limit(timeout: float | None) -> float:
    """The limit in seconds: *timeout*, else DOCGEN_RENDER_TIMEOUT, else the library's default.

    The default is :data:`docgen.limits.RENDER_TIMEOUT`.

    0 (or None everywhere) means no limit.
    """
    if timeout is not None:
        return timeout
    setting = os.environ.get("DOCGEN_RENDER_TIMEOUT", "").strip()
    if not setting:
        return limits.RENDER_TIMEOUT or 0.0
    try:
        return float(setting)
    except ValueError:
        raise RenderError(
            lazy("is not a number of seconds"),
            where=lazy("the environment variable {name}", name="DOCGEN_RENDER_TIMEOUT"),
            expected=lazy("a number of seconds, such as 120 (0: no limit)"),
            found=repr(setting),
            code="settings.invalid",
        ) from None


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within the block, the template's loops, calls and filters stop after *seconds*.

    Cooperative: :class:`TimeUp` is raised only from :func:`check_deadline`, inside the
    template's own work.  ``seconds`` of 0 (or infinity) sets no limit.
    """
    if not seconds > 0 or math.isinf(seconds):
        yield
        return
    token = DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        DEADLINE.reset(token)


HARD_STOP_GRACE = 1.0
"""Seconds a process docgen owns gives the template's own checks before its hard stop."""


def owned_process_limit(timeout: float | None) -> float:
    """The limit of a render in a process docgen owns (the CLI, a batch worker).

    *timeout*, else ``DOCGEN_RENDER_TIMEOUT``, else :data:`docgen.limits.PROCESS_TIMEOUT`;
    0 for none.
    """
    if timeout is None and not os.environ.get("DOCGEN_RENDER_TIMEOUT", "").strip():
        return limits.PROCESS_TIMEOUT
    return time_limit(timeout)


_ARMED: list[bool] = [False]  # whether this process's hard limit is running (main thread only)
_INSTALLED: list[bool] = [False]  # whether docgen's alarm handler stays installed


def _on_alarm(signum: int, frame: object) -> None:
    if _ARMED[0]:  # an alarm delivered after the block ended is ignored
        raise TimeUp


def install_hard_stop() -> None:
    """Keep docgen's alarm handler installed: for processes docgen started (batch workers).

    :func:`process_time_limit` then only starts and stops the timer (two system calls)
    instead of installing and restoring the handler around every render.
    """
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        _INSTALLED[0] = True


@contextlib.contextmanager
def process_time_limit(seconds: float) -> Iterator[None]:
    """A hard stop after *seconds*, for processes docgen owns (the CLI, batch workers).

    An interval timer raises :class:`TimeUp` in the main thread wherever it is, Python code of
    the data included.  It is never used inside :func:`docgen.render` itself: only code that
    owns its process (``docgen render``, a batch worker) arms it.  Where the platform has no
    ``SIGALRM`` (Windows), or off the main thread, it does nothing.
    """
    usable = (
        seconds > 0
        and not math.isinf(seconds)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and not _ARMED[0]
    )
    if not usable:
        yield
        return
    previous = None if _INSTALLED[0] else signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED[0] = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _ARMED[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)


def hard_stop_after(limit: float) -> contextlib.AbstractContextManager[None]:
    """:func:`process_time_limit` a little after a render's own *limit* (0: none).

    The template's own checks get :data:`HARD_STOP_GRACE` seconds to stop it first, with a
    message that names the part; the hard stop ends what they cannot see.
    """
    return process_time_limit(limit + HARD_STOP_GRACE if limit else 0)
