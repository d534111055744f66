"""Every letters route under the isolation walker (tests/test_isolation.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.isolation import route

MARKERS = ["Owner Application Title", "Ana Patel"]


def _app(user: Any) -> Any:
    from tests.letters.factories import make_application

    return make_application(user, title="Owner Application Title")


def _request(user: Any, status: str = "planned") -> Any:
    from tests.letters.factories import make_mentor, make_request

    return make_request(user, status, app=_app(user), mentor=make_mentor(user, "Ana Patel"))


def _nothing(user: Any) -> tuple[dict[str, Any], list[str]]:
    _request(user, "agreed")
    return {}, MARKERS


def _application(user: Any) -> tuple[dict[str, Any], list[str]]:
    r = _request(user, "agreed")
    return {"app_id": r.application.public_id}, MARKERS


def _with_cv(user: Any) -> tuple[dict[str, Any], list[str]]:
    from preceptor.letters import services
    from tests.letters.factories import pdf_bytes

    kwargs, markers = _application(user)
    services.upload_document(
        services.get_application_for_user(user, kwargs["app_id"]), "cv", pdf_bytes()
    )
    return {**kwargs, "kind": "cv"}, markers


def _library_doc(user: Any) -> Any:
    from preceptor.letters import library
    from tests.letters.factories import pdf_bytes

    r = _request(user, "agreed")
    version = library.add_document(user, "cv", pdf_bytes(), title="Owner CV Title")
    library.use_in_application(r.application, version.document)
    return version


def _library(user: Any) -> tuple[dict[str, Any], list[str]]:
    _library_doc(user)
    return {}, [*MARKERS, "Owner CV Title"]


def _doc(user: Any) -> tuple[dict[str, Any], list[str]]:
    return {"doc_id": _library_doc(user).document.public_id}, [*MARKERS, "Owner CV Title"]


def _version(user: Any) -> tuple[dict[str, Any], list[str]]:
    from preceptor.letters import library
    from tests.letters.factories import pdf_bytes

    document = _library_doc(user).document
    second = library.add_version(document, pdf_bytes(2))
    return {"version_id": second.public_id}, [*MARKERS, "Owner CV Title"]


def _app_kind(user: Any) -> tuple[dict[str, Any], list[str]]:
    version = _library_doc(user)
    app = version.document.uses.get().application
    return {"app_id": app.public_id, "kind": "cv"}, [*MARKERS, "Owner CV Title"]


def _req(status: str = "planned"):  # type: ignore[no-untyped-def]
    def setup(user: Any) -> tuple[dict[str, Any], list[str]]:
        return {"req_id": _request(user, status).public_id}, MARKERS

    return setup


def _outcome(user: Any) -> tuple[dict[str, Any], list[str]]:
    from preceptor.letters import services

    r = _request(user, "submitted")
    o = services.set_outcome(r.application, program="Owner Program One", stage="matched")
    return {"outcome_id": o.public_id}, MARKERS


def _draft(user: Any) -> tuple[dict[str, Any], list[str]]:
    return {"req_id": _request(user).public_id, "key": "ask"}, MARKERS


# Pages
route("letters:overview", _nothing)
route("letters:board", _nothing)
route("letters:application_new", _nothing)
route("letters:application", _application)
route("letters:application_edit", _application)
route("letters:application_delete", _application, method="POST", owner_status=302)
# A form without a mentor is invalid: the owner gets the page back with the error.
route("letters:request_add", _application, method="POST", owner_status=400)
route("letters:document_upload", _application, method="POST", owner_status=400)
route("letters:document_delete", _with_cv, method="POST", owner_status=302)
# Without a choice (or a file) the owner gets the page back with the error.
route("letters:document_use", _application, method="POST", owner_status=400)
route("letters:library", _library)
route("letters:library_add", _library, method="POST", owner_status=400)
route("letters:library_version_add", _doc, method="POST", owner_status=400)
route(
    "letters:library_rename",
    _doc,
    method="POST",
    owner_status=302,
    data={"title": "Owner CV renamed"},
)
route("letters:library_version_delete", _version, method="POST", owner_status=302)
route("letters:request", _req())
route(
    "letters:request_transition",
    _req(),
    method="POST",
    owner_status=302,
    data={"to_status": "asked", "ask_method": "email"},
)
route(
    "letters:request_edit",
    _req(),
    method="POST",
    owner_status=302,
    data={"kind": "standard", "strengths": "Owner strength"},
)
route(
    "letters:request_waiver", _req("agreed"), method="POST", owner_status=302, data={"signed": "on"}
)
route("letters:request_delete", _req(), method="POST", owner_status=302)
route(
    "letters:outcome_set",
    _application,
    method="POST",
    owner_status=302,
    data={"program": "Owner Program One", "stage": "interviewed"},
)
route("letters:tell_writers", _application)
route("letters:request_practice", _req())
route("letters:request_told", _req("submitted"), method="POST", owner_status=302)
route("letters:outcome_delete", _outcome, method="POST", owner_status=302)
# Without a file the owner gets the page back with the error; the stranger a 404.
route("letters:request_form_upload", _req("form_sent"), method="POST", owner_status=400)
route("letters:request_form_delete", _req("form_sent"), method="POST", owner_status=302)
route("letters:packet_pdf", _req("agreed"))
route("letters:packet_zip", _req("agreed"))

# API
_future = (dt.date.today() + dt.timedelta(days=90)).isoformat()
route("api:letters_applications", _nothing, api=True)
route(
    "api:letters_application_create",
    _nothing,
    api=True,
    method="POST",
    owner_status=201,
    data={"service": "amcas", "cycle": 2027, "official_deadline": _future},
)
route("api:letters_application", _application, api=True)
route(
    "api:letters_application_update",
    _application,
    api=True,
    method="PATCH",
    data={"programs": "Another program"},
)
route("api:letters_application_delete", _application, api=True, method="DELETE", owner_status=204)
route("api:letters_application_requests", _application, api=True)
# No such mentor of the owner's: a clear 422 (the stranger gets 404 for the application).
route(
    "api:letters_request_create",
    _application,
    api=True,
    method="POST",
    owner_status=422,
    data={"mentor_id": "00000000-0000-4000-8000-000000000000"},
)
route("api:letters_requests", _nothing, api=True)
route("api:letters_request", _req(), api=True)
route(
    "api:letters_request_update",
    _req(),
    api=True,
    method="PATCH",
    data={"strengths": ["Owner strength"]},
)
route(
    "api:letters_request_transition",
    _req(),
    api=True,
    method="POST",
    data={"to_status": "asked", "ask_method": "email"},
)
route("api:letters_request_draft", _draft, api=True)
route("api:letters_library", _library, api=True)
route(
    "api:letters_library_rename", _doc, api=True, method="PATCH", data={"title": "Owner CV renamed"}
)
route("api:letters_version_delete", _version, api=True, method="DELETE", owner_status=204)
# No such document of the owner's: a clear 422 (the stranger gets 404 for the application).
route(
    "api:letters_application_document_use",
    _app_kind,
    api=True,
    method="PUT",
    owner_status=422,
    data={"document_id": "00000000-0000-4000-8000-000000000000"},
)
route(
    "api:letters_application_document_remove",
    _app_kind,
    api=True,
    method="DELETE",
    owner_status=204,
)
