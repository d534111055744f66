from __future__ import annotations

from datetime import timedelta
from typing import Any

from preceptor.accounts.models import User
from preceptor.notify import services
from preceptor.notify.sync import sync_user
from tests.isolation import public, route

# Token routes: anyone holding the secret may open them; tests/notify/test_feed.py and
# test_views.py check forged, stale and rotated tokens.
public("notify:feed", "notify:unsubscribe")


def _interview(user: User) -> tuple[dict[str, Any], list[str]]:
    from preceptor.letters.services import today_for

    iv = services.add_interview(
        user, program="Owner Marker Hospital", on=today_for(user) + timedelta(days=9)
    )
    return {"pk": iv.public_id}, ["Owner Marker Hospital"]


def _list(user: User) -> tuple[dict[str, Any], list[str]]:
    _, markers = _interview(user)
    return {}, markers


def _note(user: User) -> tuple[dict[str, Any], list[str]]:
    note = services.notify(user.pk, "test", "Owner Marker Notification")
    return {"pk": note.public_id}, ["Owner Marker Notification"]


def _note_api(user: User) -> tuple[dict[str, Any], list[str]]:
    kwargs, markers = _note(user)
    return {"notification_id": kwargs["pk"]}, markers


def _notes(user: User) -> tuple[dict[str, Any], list[str]]:
    _note(user)
    return {}, ["Owner Marker Notification"]


def _application(user: User) -> tuple[dict[str, Any], list[str]]:
    from tests.letters.factories import make_application

    app = make_application(user, specialty="Owner Marker Specialty")
    sync_user(user)
    return {"pk": app.public_id}, ["Owner Marker Specialty"]


route("notify:calendar", _list)
route("notify:application_ics", _application)
route("notify:interview_add", _list)
route("notify:interview_delete", _interview, method="POST", owner_status=302)
route("notify:notifications", _notes)
route("notify:notifications_read_all", _notes, method="POST", owner_status=302)
route("notify:notification_read", _note, method="POST", owner_status=302)
route("notify:settings", _notes)
route("notify:feed_rotate", method="POST", owner_status=302)
route("notify:resubscribe", method="POST", owner_status=302)

route("api:notify_notifications", _notes, api=True)
route("api:notify_read", _note_api, api=True, method="POST")
route("api:notify_read_all", _notes, api=True, method="POST")
route("api:notify_preferences", api=True)
route("api:notify_preferences_update", api=True, method="PATCH", data={"digest_hour": 7})
route("api:notify_events", _list, api=True)
