"""pytest: without the ``[web]`` extra, the modules that import FastAPI are not collected.

The rest of ``docgen.web`` needs only the core library, so its doctests always run.
"""

from importlib.util import find_spec

collect_ignore = [] if find_spec("fastapi") and find_spec("pydantic") else ["api.py", "schemas.py"]
