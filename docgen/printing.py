"""A batch made print-ready: its ``.docx`` files turned into PDFs, or into one combined file.

:func:`docgen.render_many` renders the records first (into a private folder), then hands the
documents here: :func:`pdf_stage` converts them with a warm LibreOffice pool
(:class:`docgen.converter.Converter`, as many lanes as workers) or, given an ``executor``,
in chunks through it (a Dask or Ray executor on a cluster whose nodes have LibreOffice: the
documents travel as bytes, so the nodes share no folder); :func:`combined_output` joins them
into one Word document (:func:`docgen.combine`), and into one PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from pathlib import Path

import attrs

from docgen.combining import combine
from docgen.converter import DOCUMENT_TIMEOUT, Converter, shared_converter
from docgen.errors import DocgenError, OutputError
from docgen.files import refuse_existing, write_atomic
from docgen.outputs import BatchResult, Output, RecordFailure, failure
from docgen.pdf import PdfError
from docgen.rendering import Document

__all__ = ["FORMATS", "combined_output", "pdf_stage"]

#: What ``render_many(format=...)`` and ``docgen batch --format`` write.
FORMATS = ("docx", "pdf", "pdfa")
#: Documents one executor task converts (one LibreOffice start on its node).
EXECUTOR_CHUNK = 25

Progress = Callable[[BatchResult], None]


def pdf_stage(
    drafts: Sequence[BatchResult],
    output: Output,
    *,
    pdfa: bool,
    lanes: int,
    executor: Executor | None,
    progress: Progress | None,
    timeout: float = DOCUMENT_TIMEOUT,
) -> list[BatchResult]:
    """Convert the rendered *drafts* (``.docx`` paths) to PDFs written to *output*.

    A record whose ``.docx`` failed keeps its error; one whose PDF exists and is whole is
    skipped with ``skip_existing``.  Results come back in record order, with ``stage="pdf"``.
    """
    results: dict[int, BatchResult] = {}
    todo: list[tuple[int, str, str, bytes]] = []  # index, label, file name, docx

    def finish(result: BatchResult) -> None:
        results[result.index] = result
        if progress is not None:
            progress(result)

    for draft in drafts:
        if draft.error is not None or draft.path is None:
            finish(attrs.evolve(draft, stage="pdf"))
            continue
        name = output.claim(Path(draft.path).with_suffix(".pdf").name)
        if output.skip_existing and output.exists(name) and output.complete(name):
            finish(BatchResult(draft.index, draft.label, str(output.out / name), None, True, "pdf"))
            continue
        todo.append((draft.index, draft.label, name, Path(draft.path).read_bytes()))
    names = {index: (label, name) for index, label, name, _ in todo}
    for index, pdf in _converted(todo, pdfa=pdfa, lanes=lanes, executor=executor, timeout=timeout):
        label, name = names[index]
        if not isinstance(pdf, bytes):
            error, code, problems = pdf
            finish(BatchResult.failed(index, label, (f"{label}: {error}", code, problems), "pdf"))
            continue
        try:
            path = output.write(name, pdf)
        except (DocgenError, OSError) as exc:
            why = failure(exc, f"{label}: {name}: {exc}")
            finish(BatchResult.failed(index, label, why, "pdf"))
            continue
        finish(BatchResult(index, label, path=path, stage="pdf"))
    return [results[draft.index] for draft in drafts]


def _converted(
    todo: Sequence[tuple[int, str, str, bytes]],
    *,
    pdfa: bool,
    lanes: int,
    executor: Executor | None,
    timeout: float,
) -> Iterator[tuple[int, bytes | RecordFailure]]:
    """``(index, PDF bytes or its :data:`~docgen.outputs.RecordFailure`)`` as each finishes."""
    if not todo:
        return
    if executor is None:
        with Converter(lanes=lanes, timeout=timeout) as converter:
            pairs = [(str(index), docx) for index, _, _, docx in todo]
            for key, pdf in converter.convert(pairs, pdfa=pdfa):
                yield int(key), pdf if isinstance(pdf, bytes) else failure(pdf)
        return
    futures: dict[Future[list[tuple[int, bytes | RecordFailure]]], list[int]] = {}
    for start in range(0, len(todo), EXECUTOR_CHUNK):
        chunk = [(index, docx) for index, _, _, docx in todo[start : start + EXECUTOR_CHUNK]]
        future = executor.submit(convert_chunk, chunk, pdfa, timeout)
        futures[future] = [index for index, _ in chunk]
    for future in as_completed(futures):
        try:
            answers = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost node fails its documents, not the batch
            message = f"the PDF task failed on its worker: {type(exc).__name__}: {exc}"
            lost: RecordFailure = (message, PdfError.default_code, ())
            answers = [(index, lost) for index in futures[future]]
        yield from answers


def convert_chunk(
    chunk: Sequence[tuple[int, bytes]], pdfa: bool, timeout: float
) -> list[tuple[int, bytes | RecordFailure]]:
    """Convert a chunk on an executor's worker (its process's warm converter)."""
    converter = shared_converter()
    pairs = [(str(index), docx) for index, docx in chunk]
    return [
        (int(key), pdf if isinstance(pdf, bytes) else failure(pdf))
        for key, pdf in converter.convert(pairs, pdfa=pdfa, timeout=timeout)
    ]


def combined_output(
    drafts: Sequence[BatchResult],
    target: Path,
    *,
    overwrite: bool,
    pdfa: bool,
    progress: Progress | None,
) -> list[BatchResult]:
    """One file holding every rendered record: ``.docx`` (one section each) or ``.pdf``."""
    refuse_existing(target, overwrite=overwrite)
    good = [d for d in drafts if d.error is None and d.path is not None]
    results = {d.index: attrs.evolve(d, stage="pdf") for d in drafts if d not in good}
    if good:
        documents = [Document(Path(str(d.path)).read_bytes(), "") for d in good]
        whole = combine(documents)
        try:
            if target.suffix.lower() == ".pdf":
                timeout = DOCUMENT_TIMEOUT + 2.0 * len(good)  # one long document
                data = shared_converter().convert_one(
                    whole.to_bytes(), pdfa=pdfa, name=str(target), timeout=timeout
                )
            else:
                data = whole.to_bytes()
            path = str(write_atomic(target, data, overwrite=overwrite))
        except (PdfError, OutputError) as exc:
            why = failure(exc)
            results.update(
                {d.index: BatchResult.failed(d.index, d.label, why, "pdf") for d in good}
            )
        else:
            results.update(
                {d.index: BatchResult(d.index, d.label, path=path, stage="pdf") for d in good}
            )
    ordered = [results[d.index] for d in drafts]
    if progress is not None:
        for result in ordered:
            progress(result)
    return ordered
