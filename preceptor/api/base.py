"""The JSON API: one NinjaAPI, session-authenticated; apps add routers in ``preceptor.api.urls``.

Every error is ``ErrorOut`` (``{"detail": "..."}``, and for a request that fails the schema
a list of ``errors``, one a field). Each operation documents the statuses it can return with
``responses(...)``.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import django_auth
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from preceptor.lib.multipart import MESSAGE as UNREADABLE_FORM

# Why each error status happens; every operation documents the ones it can return.
ERRORS = {
    400: "The body could not be read (not JSON, or a form without its boundary).",
    401: "Not logged in.",
    403: "The CSRF token is missing or wrong.",
    404: "No such object of yours.",
    409: "The object is not in a state that allows this.",
    422: "A value is not valid; `detail` says which and why.",
    429: "Too many requests; try again later.",
}


NULL = "Give a value, not null (leave the field out to keep what it is)."


class PreceptorAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts: Any) -> ValidationError:
        # ninja drops each error's input; a null where none is allowed deserves its own words.
        nulls = [
            "input" in e and e["input"] is None
            for context in error_contexts
            for e in context.pydantic_validation_error.errors(include_url=False)
        ]
        exc = super().validation_error_from_error_contexts(error_contexts)
        for error, null in zip(exc.errors, nulls, strict=True):
            if null:
                error["msg"] = NULL
        return exc

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        # Say why each error status happens, instead of the bare reason phrase.
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    if int(code) in ERRORS:
                        response["description"] = ERRORS[int(code)]
        return schema


api = PreceptorAPI(
    title="Preceptor API",
    version="1",
    description="Your mentors, letters and program lists as JSON. "
    "Authenticate with your browser session (and its CSRF token for changes). "
    "Every error is a JSON object whose `detail` says what to change.",
    auth=django_auth,
    urls_namespace="api",
)


class Input(Schema):
    """A JSON body: an object whose fields are checked as they are sent.

    ninja's ``Schema`` reads any object's attributes (for ORM objects), so a list or a number
    would pass as an object whose fields were all left out; an input takes a dict only.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if not isinstance(values, dict | cls):
            raise PydanticCustomError("dict_type", "Send a JSON object.")
        return handler(values)


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] | None = None


def responses(ok: dict[int, Any], *errors: int, change: bool = False) -> dict[int, Any]:
    """The response map of an operation: its successes, then ``ErrorOut`` for 401 (every
    operation needs a login), for 400 and 403 when it ``change``s something (a body to
    read, a CSRF token to check), and for the listed ``errors``."""
    codes = {401, *errors, *((400, 403) if change else ())}
    unknown = codes - ERRORS.keys()
    if unknown:
        raise ValueError(f"Say in ERRORS what {sorted(unknown)} means")
    return {**ok, **dict.fromkeys(sorted(codes), ErrorOut)}


def unprocessable(e: DjangoValidationError) -> HttpError:
    """A service's refusal as a 422: "field: message; ..." when it names fields."""
    if hasattr(e, "error_dict"):
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())
    else:
        text = " ".join(e.messages)
    return HttpError(422, text)


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja puts the location first ("body", "query", "path") and the schema's name next.
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"] and len(parts) > 1:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Log in to use the API."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field(e.get("loc", ())), "message": str(e.get("msg"))} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(
        request, {"detail": f"The request is not valid. {detail}", "errors": errors}, status=422
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


@api.exception_handler(MultiPartParserError)
def unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # The middleware refuses a bad header; this is a body that breaks off part-way.
    return api.create_response(request, {"detail": UNREADABLE_FORM.format(error=exc)}, status=400)
