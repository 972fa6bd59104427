"""The service behind the routes: settings, workers (a pool, a cluster), jobs, preview cache.

One :class:`Service` per app (:func:`docgen.web.factory.create_app`); a route gets it through the
:data:`ServiceDep` dependency.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Request

from docgen import registry
from docgen.template import Template
from docgen.web.cluster import DaskCluster
from docgen.web.jobs import BatchWorkers, JobStore
from docgen.web.pool import WorkerPool
from docgen.web.settings import Settings
from docgen.web.work import example_for, find_template, template_preview_job

__all__ = ["Service", "ServiceDep", "service_of"]


class Service:
    """One running service: its settings, worker pool, batch jobs and preview cache."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: WorkerPool | None = None
        self._cluster: DaskCluster | None = None
        self.jobs = JobStore(settings.job_ttl)
        self._previews: dict[tuple[str, str, int, int], bytes] = {}
        self._preview_locks: dict[str, asyncio.Lock] = {}

    @property
    def pool(self) -> WorkerPool:
        """The worker pool (made on first use, in the running event loop)."""
        if self._pool is None:
            s = self.settings
            self._pool = WorkerPool(s.workers, timeout=s.timeout, max_queue=s.max_queue)
        return self._pool

    @property
    def batch_workers(self) -> BatchWorkers:
        """Where batches run: the Dask cluster of ``dask_scheduler``, else the worker pool."""
        address = self.settings.dask_scheduler
        if address is None:
            return self.pool
        if self._cluster is None:
            self._cluster = DaskCluster(address, timeout=self.settings.timeout)
        return self._cluster

    async def close(self) -> None:
        """Stop the workers, close the cluster's client and remove every job's files."""
        await self.jobs.close()
        if self._cluster is not None:
            await asyncio.to_thread(self._cluster.close)
            self._cluster = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._preview_locks.clear()

    # templates: trusted files of the server, read in a thread

    def template_list(self) -> list[dict[str, Any]]:
        """Every template a name finds (the first of each name), with its manifest's names."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for source in registry.sources(self.settings.template_dirs):
            if source.name in seen:
                continue
            seen.add(source.name)
            template = Template.load(source.location)
            out.append(_summary(template, source.origin))
        return out

    def template_info(self, name: str, preview_url: str) -> dict[str, Any]:
        """A template's manifest, numbering, fields and example data."""
        source = find_template(name, self.settings.template_dirs)
        template = Template.load(source.location)
        example = example_for(template, self.settings.examples_dir)
        scheme = template.scheme
        return {
            **_summary(template, source.origin),
            "numbering": {
                "name": scheme.name,
                "labels": [scheme.label(level, 1) for level in range(1, scheme.depth + 1)],
                "formats": list(scheme.formats),
            },
            "fields": {
                field: {
                    "description": spec.description,
                    "required": spec.required and spec.default is None,
                    "default": _json_safe(spec.default),
                    "example": _json_safe(spec.example),
                }
                for field, spec in template.manifest.fields.items()
            },
            "example": {"source": example.source, "yaml": example.text, "data": example.as_json()},
            "preview": preview_url,
        }

    async def template_preview(self, name: str) -> bytes:
        """Page 1 of *name* with its example data, as PNG (made once, then cached)."""
        source = await asyncio.to_thread(find_template, name, self.settings.template_dirs)
        key = (
            source.name,
            str(source.docx),
            source.docx.stat().st_mtime_ns,
            source.manifest.stat().st_mtime_ns if source.manifest else 0,
        )
        lock = self._preview_locks.setdefault(source.name, asyncio.Lock())
        async with lock:  # one LibreOffice run per template, however many ask at once
            if key not in self._previews:
                s = self.settings
                self._previews[key] = await self.pool.run(
                    template_preview_job, source.name, s.template_dirs, s.examples_dir, 60
                )
        return self._previews[key]


def _summary(template: Template, origin: str) -> dict[str, Any]:
    m = template.manifest
    return {
        "name": template.name,
        "display_name": m.display_name,
        "description": m.description,
        "origin": origin,
        "uses_report": template.uses_report,
    }


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def service_of(request: Request) -> Service:
    """The request's service (a FastAPI dependency)."""
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(service_of)]
