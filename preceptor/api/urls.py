"""Where every app's API router is mounted under /api/v1/.

An app with an API defines ``router`` (a ``ninja.Router``) in ``preceptor/<app>/api.py``;
it is mounted at ``/api/v1/<prefix>/`` below, so apps never edit this file.
"""

from importlib import import_module
from importlib.util import find_spec

from preceptor.api.accounts import router as accounts_router
from preceptor.api.base import api

api.add_router("/account", accounts_router)

APP_ROUTERS = {
    "mentors": "preceptor.mentors.api",
    "letters": "preceptor.letters.api",
    "writers": "preceptor.writers.api",
    "notify": "preceptor.notify.api",
    "programs": "preceptor.smartpick.api",
}

for prefix, module in APP_ROUTERS.items():
    if find_spec(module) is not None:
        api.add_router(f"/{prefix}", import_module(module).router)
