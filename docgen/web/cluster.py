"""Batches on a Dask cluster: the service's link to a scheduler (``DOCGEN_DASK_SCHEDULER``).

With :attr:`~docgen.web.settings.Settings.dask_scheduler` set, a batch's records are read,
rendered and made PDFs on the scheduler's workers (:func:`docgen.render_many` through
``Client.get_executor()``), not in the service's own processes.  The service holds one client,
connected when the first batch comes (``distributed`` is imported only then, so a service
without the setting never needs it) and closed when the service stops.  The workers need
docgen, and LibreOffice for PDFs; they keep their LibreOffice profiles warm and remove them
when they exit.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

from docgen.i18n import current_language, lazy
from docgen.web.errors import ServiceError
from docgen.web.pool import GRACE, JobFailed
from docgen.web.work import Failure, run_limited

__all__ = ["CONNECT_TIMEOUT", "DaskCluster"]

_T = TypeVar("_T")

#: Seconds the service tries to reach the scheduler before it gives up.
CONNECT_TIMEOUT = 10.0
_SETTING = "Settings.dask_scheduler (DOCGEN_DASK_SCHEDULER, --dask-scheduler)"


class DaskCluster:
    """The service's Dask client: work for its batches, sent to the scheduler at *address*.

    It offers what a batch needs of the service's :class:`~docgen.web.pool.WorkerPool`:
    :meth:`run` (one job, within a time limit), :meth:`time_limited` (an executor for
    :func:`docgen.render_many`) and :meth:`abandon`.

    Args:
        address: the scheduler, ``tcp://HOST:PORT``.
        timeout: the default time limit of a job, in seconds.
    """

    def __init__(self, address: str, *, timeout: float) -> None:
        self.address = address
        self.timeout = timeout
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        """The ``distributed.Client`` (connected on first use; it blocks while it connects).

        Raises:
            ServiceError: ``distributed`` is not installed, or the scheduler cannot be reached.
        """
        with self._lock:
            if self._client is None:
                self._client = _connect(self.address)
            return self._client

    async def run(self, fn: Callable[..., _T], *args: Any, timeout: float | None = None) -> _T:
        """Run ``fn(*args)`` on a worker of the cluster within *timeout* seconds.

        Raises:
            JobFailed: the job raised a docgen error (its status and body).
            ServiceError: the cluster cannot be reached (503), or the time limit passed (504).
        """
        limit = timeout if timeout is not None else self.timeout
        client = await asyncio.to_thread(self.client)
        language = current_language()
        future = client.submit(run_limited, limit, fn, *args, pure=False, language=language)
        try:
            result = await asyncio.wait_for(asyncio.to_thread(future.result), limit + GRACE)
        except asyncio.TimeoutError:
            future.cancel()
            raise ServiceError(
                lazy(
                    "took longer than the service's limit of {limit:g} s and was stopped",
                    limit=limit,
                ),
                code="service.timeout",
                status=504,
                where=lazy("render time"),
                expected=lazy("a smaller document or batch, or a longer --timeout"),
            ) from None
        if isinstance(result, Failure):
            raise JobFailed(result)
        return result  # type: ignore[no-any-return]  # fn's result, pickled back

    def time_limited(self, seconds: float) -> Executor:
        """An executor on the cluster for one batch (its deadline is the batch's to keep).

        The client is connected by then: the batch's records were read on the cluster.
        """
        executor: Executor = self.client().get_executor()
        return executor

    def abandon(self, executor: Executor) -> None:
        """Cancel what a batch that passed its limit still has on the cluster."""
        executor.shutdown(wait=False)  # a Dask executor: cancels its futures

    def close(self) -> None:
        """Close the client (the cluster and its workers go on)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


def _connect(address: str) -> Any:
    try:
        import distributed  # noqa: PLC0415 - the [cluster] extra, only when configured
    except ImportError:
        raise ServiceError(
            lazy("is set, but the Dask client is not installed"),
            code="service.cluster_unavailable",
            where=_SETTING,
            expected=lazy(
                'docgen\'s cluster extra on this server: pip install "dask[distributed]" '
                "into docgen's environment"
            ),
            found=lazy("{address!r}, and no module named 'distributed'", address=address),
        ) from None
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise ServiceError(
            lazy("names a Dask scheduler this service cannot reach"),
            code="service.cluster_unavailable",
            where=_SETTING,
            expected=lazy(
                "the address of a running scheduler (dask scheduler), e.g. tcp://127.0.0.1:8786"
            ),
            found=lazy(
                "{address!r}: {kind}: {exc}", address=address, kind=type(exc).__name__, exc=exc
            ),
        ) from None
