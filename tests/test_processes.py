"""No worker outlives its batch: kill -9 the batch, and its workers are gone within seconds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_reliability import write_template

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process table from /proc (Linux)"
)


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is *pid*."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_batch_leaves_no_worker_running(tmp_path: Path, how: signal.Signals) -> None:
    template = write_template(
        tmp_path, "{% for i in range(3000) %}{% endfor %}{{ title }}", name="slow.docx"
    )
    records = tmp_path / "records.json"
    records.write_text(json.dumps([{"title": f"第{n}份"} for n in range(5000)]))
    command = [sys.executable, "-m", "docgen", "batch", str(template), str(records)]
    batch = subprocess.Popen(
        [*command, "-o", str(tmp_path / "out"), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and batch.poll() is None:
            time.sleep(0.05)
            workers = _children(batch.pid)
        assert len(workers) >= 2, "the batch never started its workers"
        time.sleep(0.3)  # the workers are rendering
        batch.send_signal(how)
        batch.wait(30)
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [] == [w for w in workers if _alive(w)]
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait(10)


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_service_stops_it_and_its_workers(tmp_path: Path, how: signal.Signals) -> None:
    pytest.importorskip("uvicorn")
    import urllib.request  # noqa: PLC0415

    port = _free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(
            f"{url}/api/render",
            data=json.dumps({"data": {"title": "题"}}).encode(),
            headers={"content-type": "application/json"},
        )
        assert urllib.request.urlopen(request, timeout=60).read()[:2] == b"PK"
        workers = _children(service.pid)
        assert workers, "the service started no worker"
        service.send_signal(how)
        service.wait(30)  # SIGTERM: stops within its graceful-shutdown time
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [] == [w for w in workers if _alive(w)]
    finally:
        if service.poll() is None:
            service.kill()
            service.wait(10)


def test_a_worker_over_its_memory_limit_fails_only_its_record(tmp_path: Path) -> None:
    records = tmp_path / "records.json"
    records.write_text(json.dumps([{"title": "一"}, {"title": "x" * 60_000_000}, {"title": "三"}]))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "batch", "work-summary", str(records)]
    done = subprocess.run(
        [*command, "-o", str(out), "--workers", "2", "--name", "{n}.docx"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "DOCGEN_WORKER_MEMORY_MB": "150",
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
    )
    assert 1 == done.returncode
    assert "record 2" in done.stderr
    assert "out of memory" in done.stderr
    assert ["1.docx", "3.docx"] == sorted(p.name for p in out.iterdir())
