"""docgen against plain docxtpl, same template, same data, in the same run.

    python benchmarks/bench.py            # the full run (10,000-document memory batches)
    python benchmarks/bench.py --quick    # smaller batches, for a first look
    python benchmarks/bench.py --out-dir /dev/shm   # write the batches to a RAM disk
    python benchmarks/bench.py --pdf      # batches to PDF (benchmarks/bench_pdf.py)

Two workloads:

* the example summary (``examples/``) through an explicit-loop template that both docgen and
  docxtpl can render (the same ``.docx``): docxtpl gets the plain dict a user would build;
* per-student term comments (``templates/term-comment``, records from
  ``examples/term-comments.csv``, repeated to the batch size).

For docxtpl the loop is the one a user writes: ``DocxTemplate(path)``, ``render``, ``save`` per
document; on all cores the same function in a ``ProcessPoolExecutor``.  For docgen: the
template compiled once, ``render_many`` with 1 worker and with every core; and docgen's 2
workers against 1 again over 10,000 documents, where the pool's start and the last chunks weigh
less.  Peak memory is the resident-set high-water mark of a fresh process that renders the
10,000-document batch.

Every timing is the best of ``--repeat`` runs (3 by default), as ``timeit`` reports: the
other runs measure what else the machine was doing.  Batch runs that are compared with each
other (1 worker and all cores) take turns, so a slow minute of the machine hits them alike.
Batches write real files into ``--out-dir`` (the system's temporary folder by default); the
script also prints what that folder costs to write the same number of files of the same size
with plain ``open``/``write``, so the part of a batch that is the disk, not the engine, is
visible.
Figures, not assertions: see docs/performance.md.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docxtpl  # noqa: E402
import jinja2  # noqa: E402

import docgen  # noqa: E402
from docgen.cn import SCHOOL  # noqa: E402
from docgen.filters import FILTERS  # noqa: E402
from docgen.records import read_records  # noqa: E402
from examples.party_branch_summary import build_report  # noqa: E402
from tools.build_templates import SUMMARY_LOOPS, build_docx, paragraph, read_manifest  # noqa: E402


def rows_template(folder: Path, name: str, rows: Any, fonts_of: str) -> Path:
    """A .docx of (style, text) paragraphs, in the faces of the built-in *fonts_of*."""
    fonts = read_manifest(fonts_of)["fonts"]
    body = "".join(paragraph(style, text, fonts["body"]) for style, text in rows)
    path = folder / f"{name}.docx"
    path.write_bytes(build_docx({"name": name, "fonts": fonts}, body))
    return path


def loops_template(folder: Path) -> Path:
    return rows_template(folder, "summary-loops", SUMMARY_LOOPS, "work-summary")


def summary_dict(report: docgen.Report) -> dict[str, Any]:
    """The plain context a docxtpl user builds for the same summary."""

    def sections(items: Any, level: int) -> list[dict[str, Any]]:
        return [
            {
                "label": SCHOOL.label(level, i),
                "title": s.title,
                "blocks": [b.text for b in s.blocks],
                "subsections": sections(s.subsections, level + 1),
            }
            for i, s in enumerate(items, start=1)
        ]

    sig = report.signature
    assert sig is not None
    return {
        "title": report.title,
        "status": report.status,
        "intro": [b.text for b in report.intro],
        "sections": sections(report.sections, 1),
        "closing": [b.text for b in report.closing],
        "signature": {"org": sig.org, "date_text": "2014年1月"},
    }


# docxtpl gets the same Chinese filters (cn_date, …), registered the way its users do.
JINJA = jinja2.Environment(autoescape=True)
JINJA.filters.update(FILTERS)


def docxtpl_one(args: tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], str]) -> bytes:
    """What a docxtpl user writes per document: into a file when one is named, else bytes."""
    path, context, *target = args
    tpl = docxtpl.DocxTemplate(path)
    tpl.render(context, JINJA, autoescape=True)
    if target:
        tpl.save(target[0])
        return b""
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


PLAIN = (  # tags all three engines read: no filters, no conditions
    ("Title", "{{ school }}{{ term }}学生评语"),
    ("BodyText", "班级：{{ student.class }}　　姓名：{{ student.name }}"),
    ("BodyText", "{{ comment }}"),
    ("Signature", "班主任：{{ teacher }}"),
    ("Signature", "{{ date }}"),
)
JS = ROOT / "benchmarks" / "js"


def plain_template(folder: Path) -> Path:
    return rows_template(folder, "term-comment-plain", PLAIN, "term-comment")


def docxtemplater_ms(
    template: Path, records: list[dict[str, Any]], n: int, folder: Path, out: Path
) -> float | None:
    """ms per document for docxtemplater (Node.js), writing files; None when not installed."""
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "docxtemplater").is_dir():
        return None
    data = folder / "records.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [node, str(JS / "render.js"), str(template), str(data), str(n), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip())


REPEAT = 3  # set from --repeat


def per_doc_ms(fn: Any, n: int) -> float:
    """ms per call, the best of REPEAT runs of n calls (after one warm-up call)."""
    fn()
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n * 1000)
    return best


def docs_per_s(fn: Any, n: int) -> float:
    """Documents per second for a batch of n, the best of REPEAT runs."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return n / best


def interleaved_docs_per_s(fns: list[Any], n: int) -> list[float]:
    """Documents per second for each of *fns* (a batch of n each), the best of REPEAT rounds.

    In each round every function runs once, in turn.
    """
    best = [float("inf")] * len(fns)
    for _ in range(REPEAT):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return [n / b for b in best]


def file_floor_ms(out_dir: str | None, size: int, n: int) -> float:
    """ms per file to write n files of *size* bytes into a new folder of out_dir."""

    def write_all() -> None:
        with tempfile.TemporaryDirectory(dir=out_dir) as out:
            data = b"x" * size
            for i in range(n):
                with open(os.path.join(out, f"{i}.docx"), "wb") as fh:
                    fh.write(data)

    return 1000 / docs_per_s(write_all, n)


def peak_rss_mb(engine: str, n: int, out_dir: str | None) -> float:
    """Render n term comments in a fresh process; its peak resident set size in MB."""
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", engine, str(n), out_dir or ""],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def rss_child(engine: str, n: int, out_dir: str | None) -> None:
    records = [r for _, r in read_records(ROOT / "examples" / "term-comments.csv")]
    records = [records[i % len(records)] for i in range(n)]
    template = docgen.Template.load("term-comment")
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        if engine == "docgen":
            docgen.render_many(template, records, tmp, name="{n}.docx")
        else:
            for i, record in enumerate(records):
                tpl = docxtpl.DocxTemplate(template.source)
                tpl.render(record, JINJA, autoescape=True)
                tpl.save(Path(tmp) / f"{i}.docx")
    print(peak_rss_of_this_process_mb())


def peak_rss_of_this_process_mb() -> float:
    """This process's resident-set high-water mark in MB.

    On Linux from ``VmHWM``: ``getrusage``'s ``ru_maxrss`` survives ``exec``, so a process
    started by a large parent (this benchmark, by then 80 MB) reports the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 1024 / 1024


def docgen_batch(
    term: docgen.Template,
    records: list[dict[str, Any]],
    out_dir: str | None,
    workers: int,
    *,
    to_zip: bool,
) -> None:
    """One docgen batch into a new folder of out_dir (or a zip in it)."""
    with tempfile.TemporaryDirectory(dir=out_dir) as out:
        target = Path(out) / "all.zip" if to_zip else out
        results = docgen.render_many(term, records, target, name="{n}.docx", workers=workers)
        assert all(r.ok for r in results)


def batch_rows(
    term: docgen.Template,
    records: list[dict[str, Any]],
    out_dir: str | None,
    cores: int,
    *,
    to_zip: bool,
) -> tuple[list[tuple[str, float, float, float, str]], float, float]:
    """Term comments in batches, into a folder (a file each) or into one ``.zip``.

    Returns the table's rows and docgen's documents/s on 1 and on 2 workers.
    """
    n = len(records)
    jobs = [(term.source, r) for r in records]
    where = "into one .zip" if to_zip else "into a folder"

    def tpl_run(workers: int) -> None:
        with tempfile.TemporaryDirectory(dir=out_dir) as out:
            if to_zip:  # the documents' bytes, stored in one zip by this process
                with zipfile.ZipFile(Path(out) / "all.zip", "w") as zf:
                    if workers == 1:
                        docs: Any = map(docxtpl_one, jobs)
                        for i, data in enumerate(docs):
                            zf.writestr(f"{i}.docx", data)
                    else:
                        with ProcessPoolExecutor(workers) as pool:
                            for i, data in enumerate(pool.map(docxtpl_one, jobs, chunksize=16)):
                                zf.writestr(f"{i}.docx", data)
                return
            named = [(*job, str(Path(out) / f"{i}.docx")) for i, job in enumerate(jobs)]
            if workers == 1:
                for job in named:
                    docxtpl_one(job)
            else:
                with ProcessPoolExecutor(workers) as pool:
                    list(pool.map(docxtpl_one, named, chunksize=16))

    def gen_run(workers: int) -> None:
        docgen_batch(term, records, out_dir, workers, to_zip=to_zip)

    rows = []
    # the runs being compared take turns, so a slow minute of the machine hits them alike
    one_tpl, all_tpl = interleaved_docs_per_s([lambda: tpl_run(1), lambda: tpl_run(cores)], n)
    counts = sorted({1, 2, cores})
    gen_rates = dict(
        zip(
            counts,
            interleaved_docs_per_s([functools.partial(gen_run, w) for w in counts], n),
            strict=True,
        )
    )
    one_gen, all_gen = gen_rates[1], gen_rates[cores]
    rows.append(
        (f"term comments {where}: docs/s, {n}, 1 worker", one_tpl, one_gen, one_gen / one_tpl, "/s")
    )
    rows.append(
        (
            f"term comments {where}: docs/s, {n}, {cores} workers",
            all_tpl,
            all_gen,
            all_gen / all_tpl,
            "/s",
        )
    )
    return rows, one_gen, gen_rates[2]


def peer_comparison(
    folder: Path, records: list[dict[str, Any]], batch_n: int, out_dir: str | None
) -> dict[str, float | None]:
    """ms per document for docxtpl, docgen and docxtemplater on one plain template."""
    plain = plain_template(folder)
    plain_tpl = docgen.Template.load(plain)

    def tpl_plain() -> None:
        with tempfile.TemporaryDirectory(dir=out_dir) as out:
            for i, record in enumerate(records):
                tpl = docxtpl.DocxTemplate(str(plain))
                tpl.render(record, JINJA, autoescape=True)
                tpl.save(Path(out) / f"p{i}.docx")

    def gen_plain() -> None:
        with tempfile.TemporaryDirectory(dir=out_dir) as out:
            docgen.render_many(plain_tpl, records, out, name="{n}.docx")

    def js_plain() -> float | None:
        best = None
        for _ in range(REPEAT):
            with tempfile.TemporaryDirectory(dir=out_dir) as out:
                ms = docxtemplater_ms(plain, records, batch_n, folder, Path(out))
            if ms is None:
                return None
            best = ms if best is None else min(best, ms)
        return best

    return {
        "docxtpl": 1000 / docs_per_s(tpl_plain, batch_n),
        "docgen": 1000 / docs_per_s(gen_plain, batch_n),
        "docxtemplater": js_plain(),
    }


DOCXTPL_SCRIPT = """
import json, sys
from docxtpl import DocxTemplate
context = json.loads(open(sys.argv[2], encoding="utf-8").read())
tpl = DocxTemplate(sys.argv[1])
tpl.render(context, autoescape=True)
tpl.save(sys.argv[3])
"""


def cold_start_s(folder: Path, loops: Path, context: dict[str, Any], runs: int) -> dict[str, float]:
    """Seconds for a new process to render the example summary, best of *runs* each.

    docxtpl: a script that imports docxtpl, reads the data (JSON) and renders the loops
    template.  docgen: ``docgen render examples/party-branch-summary.yaml -o …`` (the installed
    script; ``python -m docgen`` where there is none),
    with its compiled-template cache warm (what every run after the first sees) and off; and,
    as the floor under docgen's figure, a process that only imports the libraries it needs.
    Both write bytecode caches on a first untimed run, as an installed package has them.
    """
    data = folder / "summary.json"
    data.write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cache = folder / "template-cache"
    example = ROOT / "examples" / "party-branch-summary.yaml"

    # the command the issue names: the installed `docgen` script (python -m docgen where the
    # package is not installed: runpy costs that process about 3 ms more)
    script = Path(sys.executable).with_name("docgen.exe" if os.name == "nt" else "docgen")
    start = [str(script)] if script.is_file() else [sys.executable, "-m", "docgen"]

    def docgen_render(out: str) -> list[str]:
        return [*start, "render", str(example), "-o", str(folder / out), "--overwrite"]

    commands = {
        "docxtpl": (
            [sys.executable, "-c", DOCXTPL_SCRIPT, str(loops), str(data), str(folder / "a.docx")],
            env,
        ),
        "docgen, cache warm": (docgen_render("b.docx"), {**env, "DOCGEN_CACHE_DIR": str(cache)}),
        "docgen, cache off": (docgen_render("c.docx"), {**env, "DOCGEN_CACHE_DIR": "off"}),
        # the floor: importing what `docgen render` of a YAML file needs, and nothing else
        "docgen's libraries only": (
            [sys.executable, "-c", "import click, yaml, cattrs, attrs, jinja2, lxml.etree"],
            env,
        ),
        # and with docgen's own modules that render imports: the rest of docgen's figure is
        # the work (reading the data and the cached template, rendering, writing)
        "docgen's imports, no render": (
            [sys.executable, "-c", "import docgen.cli.render, docgen.loaders, docgen.rendering"],
            env,
        ),
    }
    best = dict.fromkeys(commands, math.inf)
    for n in range(runs + 1):  # the first round only warms the caches
        for name, (cmd, cmd_env) in commands.items():
            started = time.perf_counter()
            subprocess.run(cmd, env=cmd_env, check=True, capture_output=True, cwd=ROOT)
            took = time.perf_counter() - started
            if n:
                best[name] = min(best[name], took)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller batches")
    parser.add_argument(
        "--cold-start-only", action="store_true", help="only the new-process render"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement; the best is shown"
    )
    parser.add_argument(
        "--out-dir", help="folder the batches write into (default: the system's temporary folder)"
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="only the batches to PDF (benchmarks/bench_pdf.py: 300 term comments)",
    )
    parser.add_argument(
        "--rss-child", nargs=3, metavar=("ENGINE", "N", "DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.pdf:
        import bench_pdf  # noqa: PLC0415 - needs LibreOffice; only when asked

        sys.argv = [sys.argv[0], "--n", "60" if args.quick else "300"]
        bench_pdf.main()
        return
    if args.rss_child:
        rss_child(args.rss_child[0], int(args.rss_child[1]), args.rss_child[2] or None)
        return
    global REPEAT  # noqa: PLW0603 - one knob for every measurement of this run
    REPEAT = max(1, args.repeat)
    out_dir = args.out_dir
    batch_n = 200 if args.quick else 1000
    rss_n = 1000 if args.quick else 10_000
    cores = os.cpu_count() or 1
    print(
        f"machine: {platform.processor() or platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}, docxtpl {docxtpl.__version__}, "
        f"docgen {docgen.__version__}"
    )
    print(f"batches write into {out_dir or tempfile.gettempdir()}; best of {REPEAT} runs each")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = build_report()
        loops = loops_template(folder)
        context = summary_dict(report)
        compiled = docgen.Template.load(loops)
        assert docgen.render(report, compiled).to_bytes()  # both render the same template
        cold = cold_start_s(folder, loops, context, 5 if args.quick else 10 * REPEAT)
        print("\na new process renders the example summary (best of the runs):")
        for name, seconds in cold.items():
            ratio = seconds / cold["docxtpl"]
            print(f"  {name:28} {seconds * 1000:7.1f} ms   {ratio:.2f}× docxtpl's time")
        if args.cold_start_only:
            return

        size = len(
            docgen.render(
                read_records(ROOT / "examples" / "term-comments.csv")[0][1], "term-comment"
            ).to_bytes()
        )
        floor_before = file_floor_ms(out_dir, size, batch_n)
        rows = []
        single_tpl = per_doc_ms(lambda: docxtpl_one((str(loops), context)), 30)
        single_gen = per_doc_ms(lambda: docgen.render(report, compiled), 200)
        rows.append(
            (
                "example summary: ms per document (single render)",
                single_tpl,
                single_gen,
                single_tpl / single_gen,
                "ms",
            )
        )

        records = [r for _, r in read_records(ROOT / "examples" / "term-comments.csv")]
        records = [records[i % len(records)] for i in range(batch_n)]
        term = docgen.Template.load("term-comment")
        scaling = {}
        for to_zip in (False, True):
            batch, one_gen, two_gen = batch_rows(term, records, out_dir, cores, to_zip=to_zip)
            rows += batch
            scaling[f"{batch_n} documents into {'one .zip' if to_zip else 'a folder'}"] = (
                one_gen,
                two_gen,
            )
        # a longer batch, where starting the pool (about 11 ms) and the last chunks weigh less
        longer = [records[i % len(records)] for i in range(rss_n)]
        for to_zip in (False, True):
            runs = [
                functools.partial(docgen_batch, term, longer, out_dir, w, to_zip=to_zip)
                for w in (1, 2)
            ]
            one_gen, two_gen = interleaved_docs_per_s(runs, rss_n)
            scaling[f"{rss_n} documents into {'one .zip' if to_zip else 'a folder'}"] = (
                one_gen,
                two_gen,
            )

        peer = peer_comparison(folder, records, batch_n, out_dir)
        rss_tpl = peak_rss_mb("docxtpl", rss_n, out_dir)
        rss_gen = peak_rss_mb("docgen", rss_n, out_dir)
        floor_after = file_floor_ms(out_dir, size, batch_n)
        rows.append(
            (
                f"term comments: peak RSS MB, batch of {rss_n}",
                rss_tpl,
                rss_gen,
                rss_tpl / rss_gen,
                "MB",
            )
        )

    print(f"\n{'':60} {'docxtpl':>10} {'docgen':>10} {'docgen advantage':>17}")
    for label, tpl_value, gen_value, ratio, unit in rows:
        shown = "—" if math.isnan(tpl_value) else f"{tpl_value:.1f}"  # NaN: docgen only
        print(f"{label:60} {shown:>10} {gen_value:10.1f} {ratio:15.2f}×  ({unit})")
    print(
        f"\nwriting {batch_n} files of {size:,} bytes there with plain open/write: "
        f"{floor_before:.3f} ms per file before the run, {floor_after:.3f} after "
        "(part of every batch figure above, for both engines)"
    )
    print(f"\nthe same plain template and data, {batch_n} documents written, one process:")
    for engine, ms in peer.items():
        shown = (
            f"{ms:8.2f} ms per document"
            if ms is not None
            else ("not run (cd benchmarks/js && npm install)")
        )
        print(f"  {engine:14} {shown}")
    for where, (one_gen, two_gen) in scaling.items():
        print(
            f"\ndocgen 2 workers vs 1 worker, {where}: {two_gen / one_gen:.2f}× "
            f"({two_gen:.0f} vs {one_gen:.0f} docs/s)",
            end="",
        )
    print()
    print(
        "targets: single render ≥ 1×, batch on one core ≥ 10×, 2 workers ≥ 1.7× one worker, "
        f"peak RSS < 200 MB for 10,000 documents (docgen: {rss_gen:.0f} MB)"
    )


if __name__ == "__main__":
    main()
