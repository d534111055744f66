"""Where every app's API router is mounted under /api/v1/."""

from preceptor.api.accounts import router as accounts_router
from preceptor.api.base import api

api.add_router("/account", accounts_router)
