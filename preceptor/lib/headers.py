"""Security headers Django does not set itself: Content-Security-Policy and Permissions-Policy.

The policy is strict: scripts and styles only from our own origin, so no inline
``<script>``, no ``onclick=`` and no ``style=`` attribute runs or applies (a test scans the
templates for them). htmx works under it with ``includeIndicatorStyles`` and ``allowEval``
off (a meta tag in ``base.html``; the indicator rules are in ``preceptor.css``). The API's
documentation page (django-ninja's Swagger UI, served from our static files) needs nothing
more, but a path prefix can get its own policy through ``CSP_PATH_POLICIES``.

A view may set its own ``Content-Security-Policy``; the middleware leaves it alone. With
``DEBUG`` on, 404 and 500 answers get no policy, so Django's debug pages still render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Swagger UI and some of our CSS use small data: images (icons).
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

DEFAULT_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def policy_for(path: str) -> str:
    for prefix, policy in getattr(settings, "CSP_PATH_POLICIES", {}).items():
        if path.startswith(prefix):
            return str(policy)
    return str(getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP))


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's own debug pages (DEBUG only: the yellow 500 page, the technical 404)
        # are built with inline styles and scripts; they are for the developer's eyes.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if "Content-Security-Policy" not in response and not debug_page:
            response["Content-Security-Policy"] = policy_for(request.path)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = getattr(
                settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY
            )
        return response
