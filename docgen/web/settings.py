"""What a ``docgen serve`` instance allows: addresses, workers, limits, the token.

Settings come from ``docgen serve``'s options, or — for ``docgen.web:app`` run under another
ASGI server — from the environment (:meth:`Settings.from_env`).  This module needs nothing but
the core library, so the command line can read it without the ``[web]`` extra.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from docgen.errors import DataError
from docgen.i18n import lazy

__all__ = ["ENV", "Settings", "default_examples_dir", "default_workers"]

#: The environment variables :meth:`Settings.from_env` reads, and the setting each fills.
ENV: Mapping[str, str] = {
    "DOCGEN_TOKEN": "token",
    "DOCGEN_WEB_WORKERS": "workers",
    "DOCGEN_WEB_MAX_UPLOAD_MB": "max_body_bytes",
    "DOCGEN_WEB_TIMEOUT": "timeout",
    "DOCGEN_WEB_TEMPLATE_DIRS": "template_dirs",
    "DOCGEN_WEB_ALLOWED_HOSTS": "allowed_hosts",
    "DOCGEN_DASK_SCHEDULER": "dask_scheduler",
}

_MB = 1024 * 1024


def default_workers() -> int:
    """Two render processes, or one on a single-core machine: LibreOffice is memory-hungry."""
    return max(1, min(2, os.cpu_count() or 1))


def default_examples_dir() -> str | None:
    """The ``examples/`` folder of a source checkout, when docgen runs from one."""
    here = Path(__file__).resolve().parent.parent.parent / "examples"
    return str(here) if here.is_dir() else None


def _positive_int(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DataError(
            lazy("must be a positive whole number"),
            where=f"Settings.{attribute.name}",
            expected=lazy("1, 2, 3 …"),
            found=repr(value),
            code="settings.invalid",
        )


def _positive_number(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise DataError(
            lazy("must be a positive number"),
            where=f"Settings.{attribute.name}",
            expected=lazy("a number above 0"),
            found=repr(value),
            code="settings.invalid",
        )


def _folders(value: Iterable[str | os.PathLike[str]]) -> tuple[str, ...]:
    # A typed converter (not a bare ``tuple``): mypy's attrs plugin gives Settings.__init__ this
    # parameter's type, so a list of str or Path type-checks.
    if isinstance(value, (str, bytes, os.PathLike)) or not isinstance(value, Iterable):
        raise DataError(
            lazy("must be a list of folders"),
            where="Settings.template_dirs",
            expected=lazy('("/srv/templates",)'),
            found=repr(value),
            code="settings.invalid",
        )
    return tuple(os.fspath(p) for p in value)


def _host_names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise DataError(
            lazy("must be a list of host names"),
            where="Settings.allowed_hosts",
            expected=lazy('("docgen.school.lan",)'),
            found=repr(value),
            code="settings.invalid",
        )
    return tuple(value)


def _token(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DataError(
            lazy("must be text"),
            where="Settings.token",
            found=type(value).__name__,
            code="settings.invalid",
        )
    return value


def _scheduler(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or any(c.isspace() for c in value.strip()):
        raise DataError(
            lazy("must be the address of a Dask scheduler"),
            where="Settings.dask_scheduler",
            expected=lazy("tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786"),
            found=repr(value),
        )
    return value.strip()


@attrs.frozen
class Settings:
    """One service's configuration.

    Attributes:
        host: the address to listen on; ``127.0.0.1`` (this machine only) unless told.
        port: the TCP port.
        workers: render processes; a burst of requests waits for a free one.
        template_dirs: folders searched for template names before ``DOCGEN_TEMPLATE_PATH``,
            installed packages' templates and the built-ins.
        token: when set, every ``/api/`` request needs ``Authorization: Bearer TOKEN``.
        max_body_bytes: the largest request body (uploads included); larger ones get 413.
        timeout: seconds one render, preview, import or spreadsheet read may take.
        batch_timeout: seconds a whole batch may take.
        batch_max_records: the most records one batch may hold.
        max_queue: requests that may wait for a worker; more get 503 at once.
        preview_pages: the most pages ``/api/preview`` returns (and a check's or fix's preview).
        preview_dpi: the resolution of preview pages.
        examples_dir: a folder of example data files (``NAME.yaml``) for templates' examples
            and previews; without one, a template's starter data (``docgen new``) is used.
        job_ttl: seconds a finished batch job's zip is kept for download.
        allowed_hosts: more names the service answers to (the ``Host`` header), beyond
            ``localhost``, ``127.0.0.1``, ``[::1]`` and *host*; listening on every address
            (``0.0.0.0``) without any, it answers to every name.
        dask_scheduler: the address of a Dask scheduler (``tcp://HOST:8786``); when set,
            batches (their records read, rendered and made PDFs) run on its workers instead
            of the service's own processes (the ``[cluster]`` extra).
    """

    host: str = "127.0.0.1"
    port: int = attrs.field(default=8000, validator=_positive_int)
    workers: int = attrs.field(factory=default_workers, validator=_positive_int)
    template_dirs: tuple[str, ...] = attrs.field(default=(), converter=_folders)
    token: str | None = attrs.field(default=None, converter=_token)
    max_body_bytes: int = attrs.field(default=20 * _MB, validator=_positive_int)
    timeout: float = attrs.field(default=120.0, validator=_positive_number)
    batch_timeout: float = attrs.field(default=900.0, validator=_positive_number)
    batch_max_records: int = attrs.field(default=5000, validator=_positive_int)
    max_queue: int = attrs.field(default=32, validator=_positive_int)
    preview_pages: int = attrs.field(default=8, validator=_positive_int)
    preview_dpi: int = attrs.field(default=80, validator=_positive_int)
    examples_dir: str | None = attrs.field(factory=default_examples_dir)
    job_ttl: float = attrs.field(default=900.0, validator=_positive_number)
    allowed_hosts: tuple[str, ...] = attrs.field(default=(), converter=_host_names)
    dask_scheduler: str | None = attrs.field(default=None, converter=_scheduler)

    def host_names(self) -> frozenset[str] | None:
        """The names a request's ``Host`` may give, lowercased; None: any name.

        Answering only to known names stops DNS rebinding: a page on another site whose name
        its owner points at 127.0.0.1 cannot reach a service that listens there.

        >>> sorted(Settings(workers=1).host_names() or ())
        ['127.0.0.1', '::1', '[::1]', 'localhost']
        >>> Settings(host="0.0.0.0", workers=1).host_names() is None
        True
        """
        names = {h.strip().lower() for h in self.allowed_hosts if h.strip()}
        everywhere = self.host in {"0.0.0.0", "::", ""}  # noqa: S104 - a setting read, not bound
        if everywhere and not names:
            return None
        names |= {"localhost", "127.0.0.1", "::1", "[::1]"}
        if not everywhere:
            names.add(self.host.lower())
        return frozenset(names)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, given: Mapping[str, object] | None = None
    ) -> Settings:
        """Settings from the environment (see :data:`ENV`), then the *given* ones on top.

        >>> s = Settings.from_env({"DOCGEN_TOKEN": "s3cret", "DOCGEN_WEB_MAX_UPLOAD_MB": "5"})
        >>> s.token, s.max_body_bytes, s.host
        ('s3cret', 5242880, '127.0.0.1')
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for var, field in ENV.items():
            raw = env.get(var, "").strip()
            if not raw:
                continue
            if field in {"token", "dask_scheduler"}:
                values[field] = raw
            elif field == "template_dirs":
                values[field] = tuple(p for p in raw.split(os.pathsep) if p.strip())
            elif field == "allowed_hosts":
                values[field] = tuple(h for h in raw.split(",") if h.strip())
            else:
                try:
                    number = float(raw)
                except ValueError:
                    raise DataError(
                        lazy("is not a number"),
                        where=var,
                        expected=lazy("a positive number"),
                        found=raw,
                        code="settings.invalid",
                    ) from None
                if field == "max_body_bytes":
                    values[field] = int(number * _MB)
                elif field == "workers":
                    values[field] = int(number)
                else:
                    values[field] = number
        values.update(given or {})
        return cls(**values)  # type: ignore[arg-type]  # checked by the validators
