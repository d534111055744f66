"""``CACHE_URL`` to Django's ``CACHES`` entry.

The cache holds what every web process must agree on (the visitors' API throttle, for
one), so in production it is shared by all of them: the database (the default, nothing
more to run), Redis or memcached. Local memory is per process and fits development only.

- ``locmem://``                   per process (development default)
- ``db://`` or ``db://TABLE``     the database, table ``preceptor_cache`` unless named
                                  (created by ``migrate`` and ``manage.py release``)
- ``redis://HOST:PORT/DB``        Redis (``rediss://`` for TLS); needs the ``redis`` package
- ``memcached://HOST:PORT``       memcached, several as ``HOST1:PORT,HOST2:PORT``; needs
                                  ``pymemcache``
- ``dummy://``                    no cache at all
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TABLE = "preceptor_cache"
# Entries the database and local-memory caches keep before culling. Django's default (300)
# is too few here: the calendar keeps one "in step" marker per user active in the last
# five minutes (notify/sync.py), and a cull past the limit drops a third of all entries,
# the visitors' API throttle counters among them. Redis and memcached evict by memory.
MAX_ENTRIES = 100_000


def _needs(module: str, url: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise ImproperlyConfigured(
            f"CACHE_URL={url} needs the Python package {module!r}: pin it in "
            "requirements.txt and install it, or use CACHE_URL=db://"
        )


def parse(url: str) -> dict[str, Any]:
    """The ``CACHES["default"]`` entry for ``url``; a clear error for anything else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme == "db":
        table = (parts.netloc + parts.path).strip("/") or DEFAULT_TABLE
        if not table.replace("_", "").isalnum():
            raise ImproperlyConfigured(f"CACHE_URL={url}: {table!r} is not a table name")
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    if scheme in ("redis", "rediss"):
        _needs("redis", url)
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme in ("memcached", "pymemcache"):
        _needs("pymemcache", url)
        hosts = [h for h in parts.netloc.split(",") if h]
        if not hosts:
            raise ImproperlyConfigured(f"CACHE_URL={url} names no memcached server")
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": hosts,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: use db://, redis://HOST:PORT/DB, memcached://HOST:PORT, "
        "locmem:// or dummy://"
    )
