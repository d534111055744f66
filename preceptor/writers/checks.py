"""System checks: production needs file keys from the environment, and they must be valid."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def file_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from preceptor.writers import storage

    if settings.DEBUG:
        return []
    try:
        storage.fernet()
    except ImproperlyConfigured as e:
        return [checks.Error(str(e), id="writers.E001")]
    return []
