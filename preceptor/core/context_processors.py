from __future__ import annotations

from django.http import HttpRequest

from preceptor.core.navigation import available_sections


def navigation(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    path = request.path
    return {
        "nav_sections": [
            {"label": s.label, "url": url, "current": path.startswith(s.prefix)}
            for s, url in available_sections()
        ]
    }
