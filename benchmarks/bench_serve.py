"""``docgen serve`` through its HTTP API: how many requests a render worker serves.

    python benchmarks/bench_serve.py                 # 2 workers, 20 .docx and 10 PDFs a round
    python benchmarks/bench_serve.py --workers 1 --n 10

Starts ``docgen serve`` on a free port with a token (as docs/deploy.md runs it), then, through
``POST /api/render`` with the example summary (``examples/party-branch-summary.yaml``):

* one client, one request after another: seconds per ``.docx`` and per PDF;
* as many clients as workers, then twice as many, all sending PDFs: requests served per
  minute, and the slowest answer (the line a burst waits in);
* one ``POST /api/batch`` of the class list ``examples/term-comments.csv`` (40 term comments)
  to PDF, which goes through the warm LibreOffice pool: seconds for the zip (best of 2);
* the peak resident memory of the service and every process it started (workers and their
  LibreOffice), summed from ``/proc`` every 20 ms.

The first PDF of each worker starts its LibreOffice; a warm-up round is left out of the figures.
Figures, not assertions: see docs/deploy.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docgen  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import _tree_rss_pages  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """``docgen serve`` in a child process, stopped on exit."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        self.token = secrets.token_urlsafe(32)
        env = {**os.environ, "DOCGEN_TOKEN": self.token, "DOCGEN_WEB_WORKERS": str(workers)}
        docgen_cli = Path(sys.executable).with_name("docgen")
        self.process = subprocess.Popen(
            [str(docgen_cli), "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("docgen serve did not start") from None
                time.sleep(0.1)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def render(self, body: bytes) -> float:
        request = urllib.request.Request(
            self.url("/api/render"),
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as answer:
            answer.read()
        return time.perf_counter() - start

    def batch(self, csv: bytes) -> float:
        """One ``/api/batch`` of *csv*'s term comments to PDF; seconds to the whole zip."""
        boundary = secrets.token_hex(16)
        fields = {"template": "term-comment", "output": "pdf"}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="class.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + csv
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.url("/api/batch"),
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Authorization": f"Bearer {self.token}",
            },
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=900) as answer:
            answer.read()
        return time.perf_counter() - start

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Peak:
    """The peak resident memory of *pid* and its descendants, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_pages(self.pid) * page)
            time.sleep(0.02)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--n", type=int, default=10, help="PDFs a round (twice as many .docx)")
    args = parser.parse_args()

    report = docgen.load_report(ROOT / "examples" / "party-branch-summary.yaml")
    data = json.loads(docgen.dump_report(report, "json"))

    def body(fmt: str) -> bytes:
        return json.dumps({"template": "work-summary", "format": fmt, "data": data}).encode()

    docx, pdf = body("docx"), body("pdf")
    print(
        f"{platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"docgen {docgen.__version__}, {args.workers} worker(s)"
    )
    service = Service(args.workers)
    try:
        peak = Peak(service.process.pid)
        with ThreadPoolExecutor(args.workers) as warm:  # each worker starts its LibreOffice
            list(warm.map(service.render, [pdf] * args.workers * 2))
        one_docx = [service.render(docx) for _ in range(args.n * 2)]
        one_pdf = [service.render(pdf) for _ in range(args.n)]
        print(f"one client, .docx: {sum(one_docx) / len(one_docx) * 1000:7.0f} ms a request")
        print(f"one client, PDF:   {sum(one_pdf) / len(one_pdf) * 1000:7.0f} ms a request")
        for clients in (args.workers, args.workers * 2):
            start = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                times = list(pool.map(service.render, [pdf] * args.n * clients))
            spent = time.perf_counter() - start
            print(
                f"{clients} clients, PDF:   {len(times) / spent * 60:7.0f} a minute "
                f"({len(times) / spent * 60 / args.workers:.0f} per worker), "
                f"slowest answer {max(times):.2f} s"
            )
        csv = (ROOT / "examples" / "term-comments.csv").read_bytes()
        rows = csv.decode("utf-8").count("\n") - 1
        spent = min(service.batch(csv) for _ in range(2))
        print(
            f"one batch of {rows} term comments to PDF: {spent:.1f} s "
            f"({spent / rows * 1000:.0f} ms a document)"
        )
        print(f"peak memory, service + workers + LibreOffice: {peak.stop():.0f} MB")
    finally:
        service.close()


if __name__ == "__main__":
    main()
