"""Batches beyond one machine: render and PDF on a Dask cluster, from Python and from the service.

A real ``LocalCluster`` (two worker processes, as ``dask worker`` runs them) stands in for a
cluster; its workers put their temporary files — LibreOffice profiles included — under the
test's folder, so the tests can see that nothing is left once the cluster has closed.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import socket
import subprocess
import sys
import zipfile
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import distributed
import pytest
from click.testing import CliRunner

import docgen
from docgen.batch import _render_chunk
from docgen.cli import main
from docgen.errors import DataError
from docgen.web import cluster as web_cluster
from docgen.web.settings import Settings
from tests.test_print_batches import fake_soffice  # noqa: F401 - a fixture
from tests.test_web import error_of, make_client

NAMES = ["张三", "李四", "王五"]


def comments() -> list[dict[str, Any]]:
    return [
        {
            "term": "2013学年第一学期",
            "student": {"name": name, "class": "三（1）班"},
            "comment": f"{name}同学本学期第{n}次进步。",
            "teacher": "王老师",
        }
        for n, name in enumerate(NAMES, 1)
    ]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, spaces removed (``-layout`` puts them between CJK and digits)."""
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return "".join(done.stdout.decode("utf-8").split())


def left_behind(folder: Path) -> list[str]:
    """Processes whose command line names *folder* (LibreOffice names its profile there)."""
    needle = os.fsencode(str(folder))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode("utf-8", "replace")[:200])
    return found


@pytest.fixture
def worker_tmp(tmp_path: Path) -> Path:
    """The cluster workers' temporary folder (their TMPDIR)."""
    folder = tmp_path / "workers"
    folder.mkdir()
    return folder


@pytest.fixture
def cluster(worker_tmp: Path):
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"TMPDIR": str(worker_tmp)},
    ) as running:
        yield running


def render_on(cluster: distributed.LocalCluster, out: Path) -> list[docgen.BatchResult]:
    """What docs/batch.md shows: a batch of PDFs through the cluster's executor."""
    with distributed.Client(cluster) as client, client.get_executor() as executor:
        return docgen.render_many(
            "term-comment",
            comments(),
            out,
            executor=executor,
            name="{student.name}.docx",
            format="pdf",
        )


@pytest.mark.libreoffice
def test_render_many_makes_each_records_pdf_on_the_cluster_into_a_folder_and_a_zip(
    soffice, cluster, tmp_path
):
    folder = render_on(cluster, tmp_path / "评语")
    assert [None] * 3 == [r.error for r in folder]
    archive = render_on(cluster, tmp_path / "评语.zip")
    assert [None] * 3 == [r.error for r in archive]
    with zipfile.ZipFile(tmp_path / "评语.zip") as zf:
        zipped = {name: zf.read(name) for name in zf.namelist()}
    assert {f"{n}.pdf" for n in NAMES} == set(zipped)
    assert {f"{n}.pdf" for n in NAMES} == {p.name for p in (tmp_path / "评语").iterdir()}
    for n, name in enumerate(NAMES, 1):
        for pdf in (zipped[f"{name}.pdf"], (tmp_path / "评语" / f"{name}.pdf").read_bytes()):
            text = pdf_text(pdf, tmp_path)
            assert f"{name}同学本学期第{n}次进步。" in text
            assert f"姓名：{name}" in text


@pytest.mark.libreoffice
def test_workers_that_exit_leave_no_libreoffice_and_no_profile(soffice, worker_tmp, tmp_path):
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"TMPDIR": str(worker_tmp)},
    ) as running:
        results = render_on(running, tmp_path / "out")
        assert all(r.ok for r in results)
        assert list(worker_tmp.glob("docgen-office-*"))  # the workers keep them warm
    assert [] == left_behind(worker_tmp)
    assert [] == [p.name for p in worker_tmp.iterdir() if p.name != "dask-scratch-space"]


def csv_upload() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["term", "student.name", "student.class", "comment", "teacher"])
    for record in comments():
        student = record["student"]
        writer.writerow(
            [record["term"], student["name"], student["class"], record["comment"], "王老师"]
        )
    return out.getvalue().encode("utf-8")


@pytest.mark.libreoffice
def test_the_service_runs_its_batches_on_the_dask_scheduler(soffice, cluster, tmp_path):
    with make_client(dask_scheduler=cluster.scheduler_address) as client:
        service = client.app.state.service  # type: ignore[attr-defined]
        response = client.post(
            "/api/batch",
            data={"template": "term-comment", "name": "{student.name}", "output": "pdf"},
            files={"file": ("名单.csv", csv_upload(), "text/csv")},
        )
        assert 200 == response.status_code, response.text
        assert service._pool is None  # read, rendered and converted on the cluster
        assert service._cluster is not None
    assert service._cluster is None  # closed with the service
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        names = set(zf.namelist())
        assert {f"{n}.pdf" for n in NAMES} | {"report.json"} == names
        assert "李四同学本学期第2次进步。" in pdf_text(zf.read("李四.pdf"), tmp_path)


def test_a_scheduler_the_service_cannot_reach_fails_the_batch_naming_the_setting(monkeypatch):
    monkeypatch.setattr(web_cluster, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    with make_client(dask_scheduler=address) as client:
        response = client.post(
            "/api/batch",
            data={"template": "term-comment"},
            files={"file": ("名单.csv", csv_upload(), "text/csv")},
        )
        body = error_of(response, 503)
        assert client.app.state.service._pool is None  # type: ignore[attr-defined]
    assert body["where"].startswith("Settings.dask_scheduler (DOCGEN_DASK_SCHEDULER")
    assert "cannot reach" in body["message"]
    assert "service.cluster_unavailable" == body["code"]
    assert "tcp://127.0.0.1:8786" in body["expected"]
    assert address in body["found"]


def test_without_distributed_installed_the_error_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(docgen.DocgenError) as caught:
        web_cluster.DaskCluster("tcp://127.0.0.1:8786", timeout=5).client()
    assert 'pip install "dask[distributed]"' in str(caught.value.expected)
    assert "service.cluster_unavailable" == caught.value.code
    assert "Settings.dask_scheduler" in str(caught.value.where)


def test_the_setting_comes_from_the_environment_and_the_command_line(monkeypatch):
    settings = Settings.from_env({"DOCGEN_DASK_SCHEDULER": " tcp://10.0.0.5:8786 "})
    assert "tcp://10.0.0.5:8786" == settings.dask_scheduler
    assert Settings.from_env({}).dask_scheduler is None
    with pytest.raises(DataError, match=r"Settings\.dask_scheduler"):
        Settings(dask_scheduler="tcp://a b")
    assert "--dask-scheduler" in CliRunner().invoke(main, ["serve", "--help"]).output
    real = importlib.util.find_spec
    monkeypatch.setattr(
        "docgen.web.server.find_spec", lambda name: None if name == "distributed" else real(name)
    )
    monkeypatch.setattr("uvicorn.run", pytest.fail)  # refused before the server would start
    refused = CliRunner().invoke(main, ["serve", "--dask-scheduler", "tcp://127.0.0.1:8786"])
    assert 1 == refused.exit_code
    assert 'pip install "dask[distributed]"' in refused.output
    in_chinese = CliRunner().invoke(
        main, ["--lang", "zh", "serve", "--dask-scheduler", "tcp://127.0.0.1:8786"]
    )
    assert 1 == in_chinese.exit_code
    assert "没有安装 Dask 客户端" in in_chinese.output


class _Recording(Executor):
    """A thread pool that keeps the arguments of every task (as a remote cluster gets them)."""

    def __init__(self) -> None:
        self.inner = ThreadPoolExecutor(2)
        self.calls: list[tuple[Any, ...]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.calls.append((fn, *args))
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_an_executors_workers_need_no_folder_of_the_caller_for_pdfs(
    fake_soffice,  # noqa: F811 - the fixture
    tmp_path,
    monkeypatch,
):
    monkeypatch.setattr("docgen.batch._WORKER_TEMPLATES", {})  # this process plays the worker
    with _Recording() as executor:
        results = docgen.render_many(
            "term-comment",
            comments(),
            tmp_path / "out",
            name="{student.name}.docx",
            format="pdf",
            executor=executor,
        )
    assert [None] * 3 == [r.error for r in results]
    renders = [call for call in executor.calls if call[0] is _render_chunk]
    assert renders
    # _render_chunk(recipe, jobs, options, folder, overwrite): no folder, the bytes come back
    assert [None] * len(renders) == [call[4] for call in renders]
