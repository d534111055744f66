"""Refuse a multipart request whose Content-Type cannot be parsed, before anything reads it.

Django reads ``request.POST`` in the CSRF check, in the 404 page's CSRF token and in
django-ninja's session auth; a ``multipart/form-data`` header without a (valid) boundary
raises ``MultiPartParserError`` in each of them, and some of those turn it into a 500. This
middleware, placed before ``CsrfViewMiddleware``, answers such a request with a 400 that
says what is wrong: JSON for the API, plain text for pages.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError

MESSAGE = (
    "The form data could not be read: {error}. Send the form again from its page, or for "
    "the API send JSON (Content-Type: application/json)."
)


def bad_multipart(request: HttpRequest) -> str | None:
    """Why the request's multipart Content-Type cannot be parsed, or None if it can (or is
    not multipart). Only the headers are checked; the body is left unread."""
    if not request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return None
    try:
        # The parser checks the content type, boundary and length when it is made.
        MultiPartParser(request.META, io.BytesIO(), [], request.encoding)
    except MultiPartParserError as e:
        return str(e)
    return None


class MultipartCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        error = bad_multipart(request)
        if error is None:
            return self.get_response(request)
        message = MESSAGE.format(error=error)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
