"""The JSON API: one NinjaAPI, session-authenticated; apps add routers in ``preceptor.api.urls``."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import django_auth

api = NinjaAPI(
    title="Preceptor API",
    version="1",
    description="Your mentors, letters and program lists as JSON. "
    "Authenticate with your browser session (and its CSRF token for changes).",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Log in to use the API."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": exc.errors}, status=422
    )


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait or 60))
    response = api.create_response(
        request,
        {"detail": f"Too many requests from your address: try again in {wait} seconds."},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
