"""The calendar feed: secret and rotatable, parsed by two independent iCalendar parsers."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

import icalendar
from django.test import Client
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.notify import services
from preceptor.notify.models import CalendarFeed
from preceptor.notify.tokens import hash_feed_token
from tests.letters.factories import make_request


def _feed(user: User) -> str:
    token = services.rotate_feed_token(user)
    return reverse("notify:feed", kwargs={"token": token})


def _events(body: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_has_every_date_as_all_day_events_with_stable_uids(alice: User) -> None:
    req = make_request(alice, "planned")
    interview_day = letters.today_for(alice) + timedelta(days=20)
    services.add_interview(alice, program="Lakeside IM", on=interview_day, location="Chicago")
    url = _feed(alice)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    app = req.application
    deadline = next(
        e for uid, e in events.items() if uid.startswith(f"app:{app.public_id}:deadline@")
    )
    assert deadline.decoded("DTSTART") == app.official_deadline
    assert deadline.decoded("DTEND") == app.official_deadline + timedelta(days=1)
    assert "VALUE=DATE" in deadline.to_ical().decode()
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert "Interview: Lakeside IM (Chicago)" in summaries
    assert any(s.startswith("Personal deadline") for s in summaries)
    assert any("Ask Ana Patel" in s for s in summaries)
    # Fetched again: the same UIDs.
    assert set(_events(Client().get(url).content)) == set(events)


def test_a_second_independent_parser_reads_the_same_feed(alice: User) -> None:
    make_request(alice, "agreed")
    services.add_interview(
        alice, program="Harbor County", on=letters.today_for(alice) + timedelta(days=5)
    )
    body = Client().get(_feed(alice)).content.decode()
    calendar = IcsCalendarStream.calendar_from_ics(body)
    by_icalendar = _events(body.encode())
    assert len(calendar.events) == len(by_icalendar) >= 5
    for event in calendar.events:
        other = by_icalendar[event.uid]
        assert event.dtstart == other.decoded("DTSTART")
        assert isinstance(event.dtstart, dt.date) and not isinstance(event.dtstart, dt.datetime)
        assert event.summary == str(other["SUMMARY"])
        assert event.sequence == other.decoded("SEQUENCE")


def test_a_changed_deadline_keeps_the_uid_and_raises_the_sequence(alice: User) -> None:
    req = make_request(alice, "planned")
    url = _feed(alice)
    before = _events(Client().get(url).content)
    app = req.application
    letters.update_application(app, official_deadline=app.official_deadline + timedelta(days=7))
    from preceptor.notify.sync import sync_user

    sync_user(alice)
    after = _events(Client().get(url).content)
    uid = next(u for u in before if u.startswith(f"app:{app.public_id}:deadline@"))
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert after[uid].decoded("DTSTART") == before[uid].decoded("DTSTART") + timedelta(days=7)
    # Events whose date did not move keep their sequence.
    unchanged = [u for u in before if u in after and "interview" in u]
    for u in unchanged:
        assert after[u]["SEQUENCE"] == before[u]["SEQUENCE"]


def test_alarms_are_optional(alice: User) -> None:
    services.add_interview(alice, program="X", on=letters.today_for(alice) + timedelta(days=3))
    url = _feed(alice)
    assert b"BEGIN:VALARM" not in Client().get(url).content
    services.update_preferences(alice, feed_alarms=True)
    body = Client().get(url).content
    cal = icalendar.Calendar.from_ical(body)
    alarms = list(cal.walk("VALARM"))
    assert alarms and alarms[0].decoded("TRIGGER") == timedelta(hours=-15)


def test_only_a_hash_of_the_token_is_stored_and_rotation_kills_the_old_url(alice: User) -> None:
    token = services.rotate_feed_token(alice)
    stored = CalendarFeed.objects.get(user=alice).token_hash
    assert token not in stored
    assert stored == hash_feed_token(token)
    old = reverse("notify:feed", kwargs={"token": token})
    assert Client().get(old).status_code == 200
    services.rotate_feed_token(alice)
    assert Client().get(old).status_code == 404


def test_a_forged_token_is_a_404(alice: User) -> None:
    services.rotate_feed_token(alice)
    for token in ("nonsense", "A" * 43, ""):
        if not token:
            continue
        assert Client().get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_feed_shows_only_its_owner(alice: User, bob: User) -> None:
    services.add_interview(alice, program="Alice Only", on=letters.today_for(alice))
    body = Client().get(_feed(bob)).content.decode()
    assert "Alice Only" not in body


def test_one_application_downloads_as_its_own_ics(alice: User, alice_client: Client) -> None:
    req = make_request(alice, "planned")
    other = make_request(alice, "planned", app=None)
    from preceptor.notify.sync import sync_user

    sync_user(alice)
    app = req.application
    response = alice_client.get(reverse("notify:application_ics", kwargs={"pk": app.public_id}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    uids = set(_events(response.content))
    assert uids and all(str(app.public_id) in u or str(req.public_id) in u for u in uids)
    assert not any(str(other.application.public_id) in u for u in uids)


def test_the_settings_page_creates_and_rotates_the_feed_url(alice_client: Client) -> None:
    response = alice_client.post(reverse("notify:feed_rotate"), follow=True)
    body = response.content.decode()
    assert "add it to your calendar app" in body
    first = body.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert Client().get(first).status_code == 200
    # Shown once only.
    assert first not in alice_client.get(reverse("notify:settings")).content.decode()
    response = alice_client.post(reverse("notify:feed_rotate"), follow=True)
    assert "The old one has stopped working" in response.content.decode()
    assert Client().get(first).status_code == 404
