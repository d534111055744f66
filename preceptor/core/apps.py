from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preceptor.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from preceptor.core import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """``migrate`` also creates the database cache's table when CACHE_URL is ``db://``, so
    no deployment can forget it (``createcachetable`` does nothing when it exists)."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
