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
