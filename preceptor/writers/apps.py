from django.apps import AppConfig


class WritersConfig(AppConfig):
    name = "preceptor.writers"
    label = "writers"
    verbose_name = "Letter writers"

    def ready(self) -> None:
        from preceptor.core import dashboard, demo, services
        from preceptor.writers import checks, demo_data, storage  # noqa: F401 - registers the checks
        from preceptor.writers.panels import panel_context

        services.register_part("vault", storage.probe)
        dashboard.register(
            dashboard.Panel("writers", "writers/panel.html", panel_context, order=60)
        )
        demo.register(demo_data.seed, order=50)

        from django.db.models.signals import post_delete

        from preceptor.writers.models import VaultLetter

        post_delete.connect(
            _remove_stored_file, sender=VaultLetter, dispatch_uid="writers_remove_file"
        )


def _remove_stored_file(sender: type, instance: object, **kwargs: object) -> None:
    """A deleted letter (its request, application or account deleted) leaves no file
    behind. After commit: a rolled-back delete keeps the file its row still names."""
    from django.db import transaction

    from preceptor.writers import storage

    name = getattr(instance, "stored_name", "")
    if name:
        transaction.on_commit(lambda: storage.delete(name))
