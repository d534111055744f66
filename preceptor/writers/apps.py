from django.apps import AppConfig


class WritersConfig(AppConfig):
    name = "preceptor.writers"
    label = "writers"
    verbose_name = "Letter writers"

    def ready(self) -> None:
        from preceptor.core import dashboard, demo
        from preceptor.writers import checks, demo_data  # noqa: F401 - registers the checks
        from preceptor.writers.panels import panel_context

        dashboard.register(
            dashboard.Panel("writers", "writers/panel.html", panel_context, order=60)
        )
        demo.register(demo_data.seed, order=50)
