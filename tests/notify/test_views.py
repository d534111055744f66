"""Pages: calendar, notifications, settings (bad input changes nothing), unsubscribe links."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from typing import Any

from django.core import signing
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.notify import services
from preceptor.notify.models import Interview, Notification, Reminder, WriterOptOut
from preceptor.notify.sync import get_preferences
from preceptor.notify.tokens import UnsubscribeTarget, unsubscribe_token
from tests.letters.factories import make_request


def test_the_calendar_shows_eight_weeks_and_the_letters_chart(
    alice: User, alice_client: Client
) -> None:
    req = make_request(alice, "asked")
    services.add_interview(
        alice, program="Lakeside IM", on=letters.today_for(alice) + timedelta(days=12)
    )
    body = alice_client.get(reverse("notify:calendar")).content.decode()
    assert "The next eight weeks" in body
    assert "Interview: Lakeside IM" in body
    # The chart is server-rendered SVG with a text description of every bar.
    main = body.split('id="main"')[1]
    assert "<svg" in main and "<script" not in main
    assert f"Ana Patel · {req.application.display_title}" in body
    assert f"personal deadline {req.personal_deadline:%-d %b}" in body


def test_the_calendar_without_letters_says_so(alice_client: Client) -> None:
    body = alice_client.get(reverse("notify:calendar")).content.decode()
    assert "No letter requests yet" in body


def test_adding_an_interview_and_bad_input(alice: User, alice_client: Client) -> None:
    url = reverse("notify:interview_add")
    response = alice_client.post(url, {"program": "", "on": "not a date"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Enter a valid date." in response.content.decode()
    assert not Interview.objects.exists()
    day = letters.today_for(alice) + timedelta(days=4)
    response = alice_client.post(url, {"program": "Harbor", "on": day.isoformat()})
    assert response.status_code == 302
    assert Interview.objects.get(user=alice).program == "Harbor"


def test_notifications_list_and_mark_read(alice: User, alice_client: Client) -> None:
    note = services.notify(alice.pk, "x", "Dr Kim agreed", url="/calendar/")
    body = alice_client.get(reverse("notify:notifications")).content.decode()
    assert "Dr Kim agreed" in body and "Mark all 1 as read" in body
    response = alice_client.post(
        reverse("notify:notification_read", kwargs={"pk": note.public_id}), {"open": "1"}
    )
    assert response["Location"] == "/calendar/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_htmx_request_gets_only_the_list(alice: User, alice_client: Client) -> None:
    services.notify(alice.pk, "x", "Only the list")
    body = alice_client.get(reverse("notify:notifications"), HTTP_HX_REQUEST="true").content
    assert b"Only the list" in body
    assert b"<html" not in body


def test_settings_save_reschedules_the_digest(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("notify:settings"),
        {
            "delivery": "digest",
            "digest_weekday": "4",
            "digest_hour": "18",
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 302
    prefs = get_preferences(alice)
    assert (prefs.digest_weekday, prefs.digest_hour) == (4, 18)
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "Europe/Paris"
    digest = Reminder.objects.get(user=alice, kind="digest", status="pending")
    local = digest.send_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (local.weekday(), local.hour) == (4, 18)


def test_settings_refuse_a_time_zone_that_does_not_exist(alice: User, alice_client: Client) -> None:
    before = get_preferences(alice).updated
    response = alice_client.post(
        reverse("notify:settings"),
        {
            "delivery": "immediate",
            "digest_weekday": "0",
            "digest_hour": "8",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    assert "is not a time zone we know" in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "America/New_York"
    prefs = get_preferences(alice)
    assert prefs.delivery == "digest"
    assert prefs.updated == before


def test_settings_refuse_an_hour_out_of_range(alice: User, alice_client: Client) -> None:
    for hour in ("24", "-1", "eight"):
        response = alice_client.post(
            reverse("notify:settings"),
            {"delivery": "digest", "digest_weekday": "0", "digest_hour": hour, "time_zone": "UTC"},
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert get_preferences(alice).digest_hour == 8
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "America/New_York"


def test_the_service_refuses_out_of_range_values_too(alice: User) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_preferences(alice, digest_hour=24)
    with pytest.raises(ValidationError):
        services.update_preferences(alice, delivery="hourly")
    assert get_preferences(alice).digest_hour == 8


def _unsubscribe_url(token: str) -> str:
    return reverse("notify:unsubscribe", kwargs={"token": token})


def test_unsubscribe_asks_first_then_stops_emails(alice: User) -> None:
    token = unsubscribe_token(UnsubscribeTarget(applicant=str(alice.profile.public_id)))
    client = Client()
    response = client.get(_unsubscribe_url(token))
    assert "Stop reminder emails?" in response.content.decode()
    assert not get_preferences(alice).unsubscribed
    response = client.post(_unsubscribe_url(token))
    assert "You are unsubscribed" in response.content.decode()
    assert get_preferences(alice).unsubscribed
    assert not Reminder.objects.filter(user=alice, kind="digest", status="pending").exists()


def test_one_click_unsubscribe_from_the_mail_app_needs_no_csrf(alice: User) -> None:
    token = unsubscribe_token(UnsubscribeTarget(applicant=str(alice.profile.public_id)))
    client = Client(enforce_csrf_checks=True)
    response = client.post(_unsubscribe_url(token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert get_preferences(alice).unsubscribed


def test_a_forged_unsubscribe_link_changes_nothing(alice: User) -> None:
    token = unsubscribe_token(UnsubscribeTarget(applicant=str(alice.profile.public_id)))
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = Client().post(_unsubscribe_url(forged))
    assert response.status_code == 400
    assert "incomplete or was altered" in response.content.decode()
    assert not get_preferences(alice).unsubscribed


def test_a_stale_unsubscribe_link_changes_nothing(alice: User) -> None:
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - timedelta(days=90), tick=False):
        token = unsubscribe_token(UnsubscribeTarget(applicant=str(alice.profile.public_id)))
    response = Client().post(_unsubscribe_url(token))
    assert response.status_code == 400
    assert "The link has expired" in response.content.decode()
    assert not get_preferences(alice).unsubscribed


def test_a_signed_link_for_an_account_that_is_gone_is_a_clear_404(db: None) -> None:
    token = signing.dumps(
        {"a": "00000000-0000-0000-0000-000000000000"},
        salt="preceptor.notify.unsubscribe",
        compress=True,
    )
    response = Client().post(_unsubscribe_url(token))
    assert response.status_code == 404
    assert "no longer exists" in response.content.decode()


def test_a_writer_can_unsubscribe_from_all_reminders(alice: User) -> None:
    token = unsubscribe_token(UnsubscribeTarget(writer="ana.patel@example.edu"))
    response = Client().post(_unsubscribe_url(token))
    assert response.status_code == 200
    assert WriterOptOut.objects.filter(email="ana.patel@example.edu").exists()


def test_resubscribe_turns_emails_back_on(alice: User, alice_client: Client) -> None:
    prefs = get_preferences(alice)
    prefs.unsubscribed = True
    prefs.save()
    alice_client.post(reverse("notify:resubscribe"))
    assert not get_preferences(alice).unsubscribed


def test_transitions_and_letters_received_appear_as_notifications(alice: User) -> None:
    from preceptor.notify.signals import on_request_transitioned

    req = make_request(alice, "asked")
    on_request_transitioned(sender=None, request=req, from_status="asked", to_status="agreed")
    titles = list(Notification.objects.filter(user=alice).values_list("title", flat=True))
    assert "Ana Patel agreed to write your letter. Send the packet within 48 hours." in titles


def test_thanking_the_writer_settles_the_say_thank_you_notification(
    alice: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from preceptor.letters import services as letters

    req = make_request(alice, "reminded")
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(req, "submitted", actor="writer")
    note = Notification.objects.get(user=alice, kind="letter_submitted")
    assert note.read_at is None  # "New" until the applicant acts on it
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(req, "thanked")
    note.refresh_from_db()
    assert note.read_at is not None
    body = alice_client.get(reverse("notify:notifications")).content.decode()
    assert "Say thank you" in body  # still listed, no longer new


def test_thanking_one_writer_leaves_another_requests_notifications_new(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    from preceptor.letters import services as letters

    one, two = make_request(alice, "reminded"), make_request(alice, "reminded")
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(one, "submitted", actor="writer")
        letters.transition(two, "submitted", actor="writer")
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(one, "thanked")
    unread = Notification.objects.filter(user=alice, kind="letter_submitted", read_at__isnull=True)
    assert [n.url for n in unread] == [reverse("letters:request", kwargs={"req_id": two.public_id})]


def test_a_letter_that_is_in_settles_send_the_packet(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    # The writer said yes and submitted before any packet was recorded: once the letter is
    # in, "Send the packet within 48 hours" is no longer new.
    from preceptor.letters import services as letters

    req = make_request(alice, "asked")
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(req, "agreed", actor="writer")
    note = Notification.objects.get(user=alice, kind="letter_agreed")
    assert note.read_at is None
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(req, "submitted", actor="writer")
    note.refresh_from_db()
    assert note.read_at is not None
    assert Notification.objects.get(user=alice, kind="letter_submitted").read_at is None
