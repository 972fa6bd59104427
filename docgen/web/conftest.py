"""pytest: without the ``[web]`` extra, the modules that import FastAPI are not collected.

The rest of ``docgen.web`` needs only the core library, so its doctests always run.
"""

from importlib.util import find_spec

_NEED_FASTAPI = ["factory.py", "guard.py", "handlers.py", "openapi.py", "routes", "schemas.py"]
_NEED_FASTAPI += ["service.py"]
collect_ignore = [] if find_spec("fastapi") and find_spec("pydantic") else _NEED_FASTAPI
