"""A bounded pool of render processes, with a time limit on every job.

``workers`` processes (a :class:`~concurrent.futures.ProcessPoolExecutor` started with
``spawn``, so it behaves alike on Linux, macOS and Windows and never forks a threaded server)
and an :class:`asyncio.Semaphore` of the same size: a request takes a slot before its job goes
to a process, so a burst of requests waits in line (at most ``max_queue`` of them; more are
told 503 at once) instead of queueing unbounded work and memory.

Every job runs under :func:`~docgen.web.work.run_limited`: in the worker an interval timer
stops it after ``timeout`` seconds.  Should that fail (no ``SIGALRM`` on Windows, a job stuck
in C code), the pool waits a few seconds more, then kills the pool's processes and starts a new
pool; the jobs that were running in it are answered 503 and may be sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from docgen.converter import stop_all_under, use_office_dir
from docgen.errors import Problem
from docgen.i18n import current_language, lazy
from docgen.processes import start_worker
from docgen.web.errors import ServiceError
from docgen.web.work import Failure, run_limited

__all__ = ["GRACE", "ClientGoneError", "JobFailed", "TimeLimitedExecutor", "WorkerPool"]

_T = TypeVar("_T")
_P = ParamSpec("_P")

#: Seconds the pool waits beyond a job's limit before it replaces the worker.
GRACE = 5.0

#: Seconds between two looks at whether a waiting request's client is still there.
POLL = 0.25


class ClientGoneError(ServiceError):
    """The client of a request waiting for a worker went away: its job never runs."""

    default_code = "service.client_gone"


log = logging.getLogger("docgen.web")


class JobFailed(Exception):  # noqa: N818 - it carries a failure; it is not one of the server's
    """A job ended in a docgen error: the HTTP status and JSON body to answer with."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.body.get("message"))
        self.status = failure.status
        self.body = dict(failure.body)


def _start_worker(office_dir: str) -> None:
    """A worker's start: docgen's worker settings, its LibreOffice profiles in *office_dir*."""
    start_worker()
    use_office_dir(Path(office_dir) / f"worker-{os.getpid()}")


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop *pool*'s processes now (``kill_workers`` from Python 3.14, else each process)."""
    kill = getattr(pool, "kill_workers", None)
    if callable(kill):
        kill()
    else:
        processes: dict[int, Any] = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class WorkerPool:
    """Render processes for one service (see the module's documentation).

    Args:
        workers: processes, and requests served at once.
        timeout: the default time limit of a job, in seconds.
        max_queue: requests that may wait for a free worker.
        grace: seconds past a job's limit before its worker is replaced.
    """

    def __init__(
        self, workers: int, *, timeout: float, max_queue: int, grace: float = GRACE
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        self.max_queue = max_queue
        self.grace = grace
        self._executor: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(workers)
        self._waiting = 0
        # where the cancel file of a job whose client has gone is made (see run_limited)
        self._cancel_dir = Path(tempfile.mkdtemp(prefix="docgen-cancel-"))
        # each worker's LibreOffice profiles, under a folder of its own (see close, replace)
        self._office_dir = Path(tempfile.mkdtemp(prefix="docgen-service-office-"))

    @property
    def executor(self) -> ProcessPoolExecutor:
        """The process pool (started on first use, and again after a worker was replaced)."""
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                # ends with the service, within its memory limit; its LibreOffice profiles
                # stay warm between requests, under a folder the service can clean
                initializer=_start_worker,
                initargs=(str(self._office_dir),),
            )
        return self._executor

    @property
    def busy(self) -> int:
        """Requests waiting for a worker."""
        return self._waiting

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """Kill *broken*'s processes and start a new pool for the next job."""
        if self._executor is broken:
            self._executor = None
        pids = list(getattr(broken, "_processes", None) or {})
        _kill(broken)
        for pid in pids:  # the LibreOffice the killed workers left running
            stop_all_under(self._office_dir / f"worker-{pid}")

    async def run(
        self,
        fn: Callable[..., _T],
        *args: Any,
        timeout: float | None = None,
        gone: Callable[[], Awaitable[bool]] | None = None,
    ) -> _T:
        """Run ``fn(*args)`` in a worker within *timeout* seconds and return its result.

        *gone* (``request.is_disconnected``) is asked while the request waits for a worker,
        and while its job runs: a request whose client went away leaves the line (its job
        never runs), or its running job is stopped and the worker freed, so clients that give
        up cannot hold the service.

        Raises:
            ClientGoneError: the client went away while the request waited.
            JobFailed: the job raised a docgen error (its status and body).
            ServiceError: every worker busy and the line full (503), the time limit passed
                (504), or the worker died (503).
        """
        limit = timeout if timeout is not None else self.timeout
        if self._slots.locked() and self._waiting >= self.max_queue:
            raise ServiceError(
                lazy("is busy: every worker is rendering and the line is full"),
                where=lazy("service"),
                expected=lazy("the request again in a moment"),
                found=lazy(
                    "{workers} worker(s) busy, {waiting} request(s) waiting",
                    workers=self.workers,
                    waiting=self._waiting,
                ),
            )
        self._waiting += 1
        try:
            await self._acquire(gone)
        finally:
            self._waiting -= 1
        cancel = str(self._cancel_dir / uuid.uuid4().hex) if gone is not None else None
        try:
            executor = self.executor
            job = functools.partial(
                run_limited, limit, fn, *args, cancel=cancel, language=current_language()
            )
            future = asyncio.get_running_loop().run_in_executor(executor, job)
            try:
                result = await _wait(future, limit + self.grace, gone, cancel)
            except asyncio.TimeoutError:
                log.warning("a job passed its %g s limit; replacing the worker processes", limit)
                self.replace(executor)
                raise ServiceError(
                    lazy(
                        "took longer than the service's limit of {limit:g} s and was stopped",
                        limit=limit,
                    ),
                    status=504,
                    where=lazy("render time"),
                    expected=lazy("a smaller document or batch, or a longer --timeout"),
                    code="service.timeout",
                ) from None
            except BrokenProcessPool:
                self.replace(executor)
                raise ServiceError(
                    lazy(
                        "the worker process died (out of memory, killed, or replaced after "
                        "another request's time limit)"
                    ),
                    where=lazy("worker"),
                    expected=lazy("the request again; a smaller file if it happens again"),
                    code="service.worker_died",
                ) from None
        finally:
            self._slots.release()
            if cancel is not None:
                Path(cancel).unlink(missing_ok=True)
        if isinstance(result, Failure):
            raise JobFailed(result)
        return result

    async def _acquire(self, gone: Callable[[], Awaitable[bool]] | None) -> None:
        """Take a worker's slot, or raise :class:`ClientGoneError` when the client leaves first."""
        if gone is None:
            await self._slots.acquire()
            return
        waiting = asyncio.ensure_future(self._slots.acquire())
        try:
            await _until_done_or_gone(waiting, gone)
        except BaseException:
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
            if not waiting.cancelled():  # the slot came as the client left: give it back
                self._slots.release()
            raise

    def abandon(self, executor: Executor) -> None:
        """End a batch that passed its limit: replace the processes running its chunks."""
        if isinstance(executor, TimeLimitedExecutor):
            self.replace(executor.inner)

    def time_limited(self, seconds: float) -> TimeLimitedExecutor:
        """The pool as a plain :class:`Executor` whose jobs stop after *seconds* (for batches)."""
        return TimeLimitedExecutor(self.executor, seconds)

    def close(self) -> None:
        """Stop the processes (running jobs are abandoned)."""
        if self._executor is not None:
            _kill(self._executor)
            self._executor = None
        shutil.rmtree(self._cancel_dir, ignore_errors=True)
        stop_all_under(self._office_dir)  # LibreOffice the killed workers left running


async def _wait(
    future: asyncio.Future[_T],
    seconds: float,
    gone: Callable[[], Awaitable[bool]] | None,
    cancel: str | None,
) -> _T:
    """The job's result within *seconds*; when its client goes, ask the worker to stop it."""
    if gone is None or cancel is None:
        return await asyncio.wait_for(future, seconds)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    asked = False
    while not future.done():
        left = deadline - loop.time()
        if left <= 0:
            raise asyncio.TimeoutError
        await asyncio.wait({future}, timeout=min(POLL, left))
        if not future.done() and not asked and await gone():
            Path(cancel).touch()  # the worker's watch stops the job (run_limited)
            asked = True
    return future.result()


async def _until_done_or_gone(
    waiting: asyncio.Future[Any], gone: Callable[[], Awaitable[bool]]
) -> None:
    while not waiting.done():
        await asyncio.wait({waiting}, timeout=POLL)
        if not waiting.done() and await gone():
            raise ClientGoneError(
                lazy("was given up by its client while it waited for a worker"),
                status=499,
                where=lazy("request"),
                expected=lazy("a client that waits for the answer"),
            )


class TimeLimitedExecutor(Executor):
    """An :class:`Executor` over a process pool whose every job runs under a time limit.

    ``docgen.render_many(..., executor=)`` sends its chunks of records through it; a chunk
    that passes the limit ends the batch with a 504 :class:`ServiceError`.
    """

    def __init__(self, inner: ProcessPoolExecutor, seconds: float) -> None:
        self.inner = inner
        self._seconds = seconds

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Send ``fn(*args)`` to the pool, limited (keyword arguments are not supported)."""
        if kwargs:
            raise TypeError("TimeLimitedExecutor.submit takes positional arguments only")
        outer: Future[_T] = Future()
        inner = self.inner.submit(
            run_limited, self._seconds, fn, *args, language=current_language()
        )

        def settle(done: Future[Any]) -> None:
            if outer.done():  # cancelled by the batch meanwhile
                return
            if done.cancelled():
                outer.cancel()
                return
            error = done.exception()
            if error is not None:
                outer.set_exception(error)
                return
            result = done.result()
            if isinstance(result, Failure):
                body = result.body
                outer.set_exception(
                    ServiceError(
                        str(body.get("message")),
                        status=result.status,
                        where=body.get("where"),
                        expected=body.get("expected"),
                        found=body.get("found"),
                        code=body.get("code"),
                        problems=tuple(Problem.from_dict(p) for p in body.get("problems") or ()),
                    )
                )
            else:
                outer.set_result(result)

        def forward_cancel(done: Future[_T]) -> None:
            if done.cancelled():
                inner.cancel()

        outer.add_done_callback(forward_cancel)
        inner.add_done_callback(settle)
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing: the pool belongs to the service, not to one batch."""
