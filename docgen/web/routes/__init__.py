"""The routes, one module per family: the page and health check, templates, documents, batches.

Each module holds a plain :class:`~fastapi.APIRouter`; :func:`docgen.web.factory.create_app`
mounts :mod:`~docgen.web.routes.pages` at the root and the others under ``/api`` with the
bearer token and the documented errors.
"""
