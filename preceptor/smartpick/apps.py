from django.apps import AppConfig


class SmartpickConfig(AppConfig):
    name = "preceptor.smartpick"
    label = "smartpick"
    verbose_name = "SmartPick"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from preceptor.core import checklist, dashboard, demo

        from . import panels, store

        # "Save my list": signing up or logging in moves a visitor's list into the account.
        user_logged_in.connect(store.adopt_on_login, dispatch_uid="smartpick-adopt")

        dashboard.register(
            dashboard.Panel("smartpick", "smartpick/_panel.html", panels.panel_context, 60)
        )
        checklist.register(
            checklist.Step(
                "smartpick_profile",
                "Fill in your SmartPick profile to get a program list",
                "smartpick:profile",
                panels.has_profile,
                60,
            )
        )
        demo.register(panels.seed_demo, 60)
