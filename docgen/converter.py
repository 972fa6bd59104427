"""A LibreOffice converter that stays warm: many documents per start, in lanes of their own.

Starting LibreOffice costs about a second; converting a school document once it runs, about
a tenth of that.  A :class:`Converter` therefore hands LibreOffice many documents per start
(one ``--convert-to`` call with a chunk of files) and keeps each lane's profile between
starts, so a second start skips building the profile.  Lanes run side by side (one
LibreOffice process each, never two on one profile).

Each document has a time limit: LibreOffice converts the files of a call in order, and a
document whose PDF has not appeared within the limit is stopped and reported
(:class:`~docgen.pdf.LibreOfficeTimeoutError`); the documents after it go on in a new start.
A LibreOffice that dies (killed, crashed) costs at most the document it was converting,
which is tried once more on its own.  :meth:`Converter.close` (also on ``with`` exit, at
interpreter exit, and on Ctrl-C through the ``with``) stops every process and removes every
profile.

Why not UNO (unoserver): its Python bindings come with LibreOffice's own Python, not with
the Python docgen runs in; a chunked ``--convert-to`` needs nothing beyond ``soffice`` and
keeps a crash inside one process that docgen starts and kills.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from docgen.fontmap import fontconfig_xml
from docgen.i18n import lazy
from docgen.pdf import (
    INSTALL_HINT,
    PDFA_FILTER,
    LibreOfficeMissingError,
    LibreOfficeTimeoutError,
    PdfError,
    find_soffice,
    offline_profile,
    system_fontconfig,
)

__all__ = [
    "CHUNK",
    "DOCUMENT_TIMEOUT",
    "Converter",
    "convert_to_pdf",
    "shared_converter",
    "stop_all_under",
    "use_office_dir",
]

#: Documents one LibreOffice start converts at most.  LibreOffice 7.4 reads only about 250
#: files from one command line (it converted 247 of 300 and exited 0, measured): a chunk
#: stays below that (MAX_CHUNK), and large enough that a start (~1 s) weighs little.
CHUNK = 200
MAX_CHUNK = 240
#: Seconds one document may take (its LibreOffice start included) before it is stopped.
DOCUMENT_TIMEOUT = 120.0
_POLL = 0.03
_RESTART = 81  # LibreOffice asks to be started again (a new profile): not the document's fault


@attrs.define(eq=False)
class _Item:
    """One document to convert, and where its answer goes."""

    name: str
    docx: bytes
    pdfa: bool
    answer: queue.SimpleQueue[tuple[_Item, bytes | PdfError]]
    timeout: float
    tries: int = 0
    alone: bool = False  # retried after a crash: converted in a start of its own


def _complete(pdf: Path) -> bool:
    """Whether LibreOffice has finished writing *pdf* (it ends with the %%EOF marker)."""
    try:
        size = pdf.stat().st_size
        if size < 8:
            return False
        with pdf.open("rb") as f:
            f.seek(max(0, size - 64))
            return b"%%EOF" in f.read()
    except OSError:
        return False


class Converter:
    """LibreOffice lanes converting ``.docx`` to PDF, many documents per start.

    For example::

        with Converter(lanes=2) as converter:
            for name, pdf in converter.convert([("a", docx_a), ("b", docx_b)]):
                print(name, len(pdf) if isinstance(pdf, bytes) else pdf)

    Args:
        lanes: LibreOffice processes side by side (each with its own profile).
        timeout: seconds one document may take, a LibreOffice start included.
        chunk: documents one start converts at most.
        soffice: the program (default: :func:`docgen.pdf.find_soffice`).
    """

    def __init__(
        self,
        lanes: int = 1,
        *,
        timeout: float = DOCUMENT_TIMEOUT,
        chunk: int = CHUNK,
        soffice: str | None = None,
    ) -> None:
        if lanes < 1 or not 1 <= chunk <= MAX_CHUNK:
            raise ValueError(f"lanes must be at least 1, chunk from 1 to {MAX_CHUNK}")
        self.lanes = lanes
        self.timeout = timeout
        self.chunk = chunk
        self._soffice = soffice
        self._todo: queue.Queue[_Item | None] = queue.Queue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._running: dict[int, subprocess.Popen[bytes]] = {}
        self._busy = 0  # lanes converting a chunk
        self._root: Path | None = None
        self._closed = False
        self.starts = 0  # LibreOffice starts so far (for tests and benchmarks)
        self._finalizer = weakref.finalize(self, _kill_all, self._running)

    # -- public --

    def convert(
        self,
        documents: Iterable[tuple[str, bytes]],
        *,
        pdfa: bool = False,
        timeout: float | None = None,
    ) -> Iterator[tuple[str, bytes | PdfError]]:
        """Convert ``(name, docx bytes)`` pairs; yield ``(name, pdf bytes or PdfError)``.

        Results come as they finish (not in order); every document gets one.  *timeout*:
        seconds per document (default: the converter's).
        """
        answers: queue.SimpleQueue[tuple[_Item, bytes | PdfError]] = queue.SimpleQueue()
        limit = timeout or self.timeout
        items = [_Item(name, docx, pdfa, answers, limit) for name, docx in documents]
        self._submit(items)
        for _ in items:
            item, result = answers.get()
            yield item.name, result

    def convert_one(
        self,
        docx: bytes,
        *,
        pdfa: bool = False,
        name: str = "document",
        timeout: float | None = None,
    ) -> bytes:
        """One document's PDF; a failure raises its :class:`~docgen.pdf.PdfError`."""
        answers: queue.SimpleQueue[tuple[_Item, bytes | PdfError]] = queue.SimpleQueue()
        self._submit([_Item(name, docx, pdfa, answers, timeout or self.timeout)])
        _, result = answers.get()
        if isinstance(result, PdfError):
            raise result
        return result

    def close(self) -> None:
        """Stop every LibreOffice this converter started and remove its profiles."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _ in threads:
            self._todo.put(None)
        _kill_all(self._running)
        for thread in threads:
            thread.join(timeout=10)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lanes --

    def _submit(self, items: list[_Item]) -> None:
        with self._lock:
            if self._closed:
                raise PdfError(lazy("the converter is closed"), where="Converter")
            if self._root is None:
                parent = _OFFICE_DIR[0] if _OFFICE_DIR else None
                if parent is not None:
                    parent.mkdir(parents=True, exist_ok=True)
                self._root = Path(tempfile.mkdtemp(prefix="docgen-office-", dir=parent))
                _ROOTS.add((os.getpid(), self._root))
                fonts = self._root / "fonts.conf"
                fonts.write_text(fontconfig_xml(system_fontconfig()), encoding="utf-8")
            for item in items:
                self._todo.put(item)
            busy = sum(t.is_alive() for t in self._threads)
            for lane in range(len(self._threads), min(self.lanes, busy + len(items))):
                thread = threading.Thread(
                    target=self._lane, args=(lane,), name=f"docgen-office-{lane}", daemon=True
                )
                self._threads.append(thread)
                thread.start()

    def _take(self) -> list[_Item] | None:
        """The next chunk: items of one kind (PDF or PDF/A), a retried item alone.

        A chunk is this lane's share of what waits, so lanes finish together.
        """
        first = self._todo.get()
        if first is None:
            return None
        chunk = [first]
        with self._lock:  # an even share for each lane not busy yet, so lanes end together
            free = max(1, self.lanes - self._busy)
            self._busy += 1
        if first.alone:
            return chunk
        share = max(1, min(self.chunk, -(-(self._todo.qsize() + 1) // free)))
        held: list[_Item] = []
        stop = False
        while len(chunk) < share:
            try:
                item = self._todo.get_nowait()
            except queue.Empty:
                break
            if item is None:
                stop = True
                break
            if item.alone or item.pdfa != first.pdfa:
                held.append(item)
            else:
                chunk.append(item)
        for item in held:
            self._todo.put(item)
        if stop:
            self._todo.put(None)
        return chunk

    def _lane(self, lane: int) -> None:
        assert self._root is not None
        home = self._root / f"lane{lane}"
        while True:
            chunk = self._take()
            if chunk is None:
                return
            try:
                self._run(lane, home, chunk)
            except PdfError as exc:  # LibreOffice missing or not startable: every item fails
                for item in chunk:
                    item.answer.put((item, exc))
            except Exception as exc:  # noqa: BLE001 - a lane must answer every item it took
                error = PdfError(
                    lazy("conversion failed: {kind}: {exc}", kind=type(exc).__name__, exc=exc),
                    where="docgen",
                )
                for item in chunk:
                    item.answer.put((item, error))
            finally:
                with self._lock:
                    self._busy -= 1

    def _run(self, lane: int, home: Path, chunk: list[_Item]) -> None:
        """Convert *chunk* in one LibreOffice start; requeue what a stop left undone."""
        assert self._root is not None
        soffice = self._soffice or find_soffice()
        profile = home / "profile"
        if not profile.is_dir():
            offline_profile(profile)
        inbox, outbox, scratch = home / "in", home / "out", home / "tmp"
        for folder in (inbox, outbox, scratch):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        sources = []
        for n, item in enumerate(chunk):
            source = inbox / f"{n:05d}.docx"
            source.write_bytes(item.docx)
            sources.append(source)
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            PDFA_FILTER if chunk[0].pdfa else "pdf",
            "--outdir",
            str(outbox),
            *map(str, sources),
        ]
        env = {  # LibreOffice's own temporary files go with the lane, removed with it
            **os.environ,
            "FONTCONFIG_FILE": str(self._root / "fonts.conf"),
            "TMPDIR": str(scratch),
            "TMP": str(scratch),
            "TEMP": str(scratch),
        }
        try:
            # LibreOffice and files docgen wrote: no user input reaches a shell
            process = subprocess.Popen(  # noqa: S603
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise LibreOfficeMissingError(
                lazy("LibreOffice could not be started: {exc}", exc=exc),
                where=soffice,
                expected=INSTALL_HINT,
            ) from None
        with self._lock:
            self.starts += 1
            self._running[lane] = process
        done = 0  # documents answered from this start
        since = time.monotonic()
        stopped = None
        try:
            while True:
                code = process.poll()
                while done < len(chunk) and _complete(outbox / f"{done:05d}.pdf"):
                    item = chunk[done]
                    item.answer.put((item, (outbox / f"{done:05d}.pdf").read_bytes()))
                    done += 1
                    since = time.monotonic()
                if code is not None:
                    break
                if done < len(chunk) and time.monotonic() - since > chunk[done].timeout:
                    stopped = "timeout"
                    _kill(process)
                    process.wait()
                    break
                time.sleep(_POLL)
        finally:
            with self._lock:
                self._running.pop(lane, None)
            if process.stderr is not None:
                detail = process.stderr.read().decode(sys.getfilesystemencoding(), "replace")
                process.stderr.close()
        self._settle(chunk, done, process.returncode, stopped, detail, profile)

    def _settle(
        self,
        chunk: list[_Item],
        done: int,
        code: int | None,
        stopped: str | None,
        detail: str,
        profile: Path,
    ) -> None:
        """Answer or requeue the documents a start did not finish."""
        if done == len(chunk):
            return
        current, rest = chunk[done], chunk[done + 1 :]
        words = " ".join(ln for ln in detail.splitlines() if "javaldx" not in ln).strip()
        error: PdfError | None = None
        if stopped == "timeout":
            error = LibreOfficeTimeoutError(
                lazy(
                    "LibreOffice did not finish within {timeout:g} s and was stopped",
                    timeout=current.timeout,
                ),
                where=current.name,
                expected=lazy("a document LibreOffice converts in time"),
            )
        elif code is not None and 0 <= code < 128 and code != _RESTART:  # it gave up on it
            error = PdfError(
                lazy("LibreOffice could not convert it to pdf"),
                where=current.name,
                expected=lazy("a document LibreOffice can open (.docx)"),
                found=lazy(
                    "exit code {code}: {value}",
                    code=code,
                    value=words[:300] or "no PDF and no message",
                ),
            )
        else:  # killed or crashed (a signal, 128 + a signal): tried once more, alone
            shutil.rmtree(profile, ignore_errors=True)  # a crash may leave the profile broken
            current.tries += 1
            if current.tries < 2:
                current.alone = True
                self._todo.put(current)
            else:
                error = PdfError(
                    lazy("LibreOffice stopped while converting it, twice"),
                    where=current.name,
                    expected=lazy("a document LibreOffice converts without crashing"),
                    found=lazy(
                        "exit code {code}: {value}", code=code, value=words[:200] or "no message"
                    ),
                )
        if error is not None:
            current.answer.put((current, error))
        for item in rest:
            self._todo.put(item)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop a LibreOffice start and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()


def _kill_all(running: dict[int, subprocess.Popen[bytes]]) -> None:
    for process in list(running.values()):
        _kill(process)


# Every converter's folder (by the process that made it), removed at exit even if a converter
# was never closed; a forked child never removes its parent's.
_ROOTS: set[tuple[int, Path]] = set()


@atexit.register
def _remove_roots() -> None:
    converter = _SHARED.get(os.getpid())
    if converter is not None:
        converter.close()
    for pid, root in list(_ROOTS):
        if pid == os.getpid():
            shutil.rmtree(root, ignore_errors=True)


# Where this process's converters put their profiles (default: the system's temp folder).
_OFFICE_DIR: list[Path] = []


def use_office_dir(folder: str | os.PathLike[str]) -> None:
    """Put this process's LibreOffice profiles under *folder* (a service's worker does).

    Whoever owns *folder* can then stop every LibreOffice of this process and remove its
    profiles with :func:`stop_all_under`, even after this process was killed.
    """
    _OFFICE_DIR[:] = [Path(folder)]


def stop_all_under(folder: str | os.PathLike[str]) -> None:
    """Kill every process whose command line names *folder*, then remove *folder*.

    LibreOffice names its profile (under *folder*) on its command line, so this finds the
    LibreOffice processes of converters that :func:`use_office_dir` pointed there, also
    those a killed worker left behind.  Where ``/proc`` is missing, only the folder goes.
    """
    needle = os.fsencode(str(Path(folder)))
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if needle in cmdline:
                with contextlib.suppress(OSError):
                    os.kill(int(entry.name), signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


_SHARED: dict[int, Converter] = {}
_SHARED_LOCK = threading.Lock()


def shared_converter() -> Converter:
    """This process's converter (one per process, closed at exit), for single documents.

    It has as many lanes as CPUs, so documents converted from several threads at once go
    side by side, and its profiles stay warm between calls.
    """
    with _SHARED_LOCK:
        converter = _SHARED.get(os.getpid())  # not one inherited through fork
        if converter is None:
            converter = _SHARED[os.getpid()] = Converter(lanes=os.cpu_count() or 1)
        return converter


def convert_to_pdf(
    docx: bytes, *, pdfa: bool = False, timeout: float = DOCUMENT_TIMEOUT, name: str = "document"
) -> bytes:
    """Convert a ``.docx`` (its bytes) to PDF with this process's :func:`shared_converter`.

    Args:
        docx: the document.
        pdfa: write PDF/A-2b, the archiving profile.
        timeout: seconds before LibreOffice is stopped and :class:`PdfError` raised.
        name: the document's name in error messages.
    """
    return shared_converter().convert_one(docx, pdfa=pdfa, name=name, timeout=timeout)
