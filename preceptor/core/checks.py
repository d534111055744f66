"""Deployment checks of the core app: production must know its own address."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Links in emails (writer links, downloads, password resets) are built from SITE_URL;
    a guessed default would send people to the wrong place."""
    if settings.DEBUG:
        return []
    if not getattr(settings, "SITE_URL_CONFIGURED", True):
        return [
            checks.Error(
                "SITE_URL is not set: links in emails would point at http://127.0.0.1:8000.",
                hint="Set SITE_URL to the public address, e.g. https://preceptor.example.org",
                id="core.E001",
            )
        ]
    if not settings.SITE_URL.startswith("https://"):
        return [
            checks.Error(
                f"SITE_URL={settings.SITE_URL} is not https: with DEBUG=false the site only "
                "works over HTTPS (secure cookies, HSTS), so its links must use it too.",
                id="core.E002",
            )
        ]
    return []
