"""Pages: overview, application form, board, request page, uploads, packets, dashboard panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preceptor.letters import services
from preceptor.letters.models import Application, DocumentVersion, LetterRequest
from tests.letters.factories import make_application, make_mentor, make_request, pdf_bytes

pytestmark = pytest.mark.django_db


def _today(user) -> dt.date:  # type: ignore[no-untyped-def]
    return services.today_for(user)


def test_overview_shows_requirement_status_and_this_week(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(
        alice,
        specialty="Emergency Medicine",
        official_deadline=_today(alice) + dt.timedelta(days=30),
    )
    make_request(alice, "agreed", app=app, kind="standardized")
    body = alice_client.get(reverse("letters:overview")).content.decode()
    assert (
        "ERAS emergency medicine: 1 of 2 letters from your specialty agreed; 1 of 2 SLOEs" in body
    )
    assert "What to do this week" in body
    assert "Send Dr. Patel the follow-up and packet" in body


def test_empty_overview_invites_to_add(alice_client) -> None:  # type: ignore[no-untyped-def]
    body = alice_client.get(reverse("letters:overview")).content.decode()
    assert "No applications yet" in body


def test_create_application(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    deadline = _today(alice) + dt.timedelta(days=50)
    response = alice_client.post(
        reverse("letters:application_new"),
        {
            "service": "eras",
            "specialty": "Internal Medicine",
            "cycle": "2027",
            "official_deadline": deadline.isoformat(),
            "personal_deadline_days": "10",
            "uses_vault": "unknown",
        },
    )
    app = Application.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:application", args=[app.public_id])
    assert app.personal_deadline == deadline - dt.timedelta(days=10)
    assert app.uses_vault is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"official_deadline": "2020-01-01"}, "is in the past"),
        # Year one reads as out of range, not as "January 1, 1 is in the past".
        ({"official_deadline": "0001-01-01"}, "(January 1, 0001) is out of range"),
        ({"official_deadline": "9999-12-31"}, "(December 31, 9999) is out of range"),
        ({"personal_deadline_days": "21"}, "less than or equal to 14"),
        ({"official_deadline": "next week"}, "Enter a valid date"),
        ({"service": "pigeon"}, "Select a valid choice"),
    ],
)
def test_bad_application_input_shows_the_error_and_saves_nothing(
    alice, alice_client, change, message
) -> None:  # type: ignore[no-untyped-def]
    data = {
        "service": "eras",
        "cycle": "2027",
        "uses_vault": "unknown",
        "official_deadline": (_today(alice) + dt.timedelta(days=50)).isoformat(),
        **change,
    }
    response = alice_client.post(reverse("letters:application_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_edit_application_keeps_old_values_on_error(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    response = alice_client.post(
        reverse("letters:application_edit", args=[app.public_id]),
        {
            "service": "eras",
            "cycle": "2027",
            "official_deadline": "2020-02-02",
            "personal_deadline_days": "14",
        },
    )
    assert "is in the past" in response.content.decode()
    before = app.official_deadline
    app.refresh_from_db()
    assert app.official_deadline == before


def test_plan_a_letter_from_the_application_page(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    mentor = make_mentor(alice, "Ana Patel")
    url = reverse("letters:request_add", args=[app.public_id])
    response = alice_client.post(
        url, {"mentor": mentor.pk, "kind": "standard", "status": "planned"}
    )
    assert response.status_code == 302
    assert LetterRequest.objects.get(application=app).mentor == mentor


def test_cannot_plan_with_someone_elses_mentor(alice, bob, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    other = make_mentor(bob, "Bob Mentor")
    response = alice_client.post(
        reverse("letters:request_add", args=[app.public_id]),
        {"mentor": other.pk, "kind": "standard", "status": "planned"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not LetterRequest.objects.exists()


def test_request_page_shows_next_action_draft_and_timeline(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    body = alice_client.get(reverse("letters:request", args=[r.public_id])).content.decode()
    assert "Ask for a strong letter" in body
    assert "Would you write me a strong letter for Internal Medicine residency?" in body
    assert "mailto:ana.patel@example.edu?subject=" in body
    assert "Ask by this date" in body


def test_request_page_links_to_the_writer_link_and_vault(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    body = alice_client.get(reverse("letters:request", args=[r.public_id])).content.decode()
    assert "No active link." in body
    assert reverse("writers:request", kwargs={"public_id": r.public_id}) in body
    assert "Send the writer their link" in body
    writer_page = alice_client.get(reverse("writers:request", kwargs={"public_id": r.public_id}))
    assert reverse("letters:request", args=[r.public_id]) in writer_page.content.decode()


def test_draft_picker_returns_the_partial_for_htmx(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    url = reverse("letters:request", args=[r.public_id]) + "?draft=thank_you"
    response = alice_client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Thank you for my letter" in body
    assert "<html" not in body


def test_record_transitions_from_the_page(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    url = reverse("letters:request_transition", args=[r.public_id])
    assert alice_client.post(url, {"to_status": "asked", "ask_method": "video"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "asked" and r.ask_method == "video"
    response = alice_client.post(url, {"to_status": "thanked"})
    assert response.status_code == 400
    assert "cannot jump to “thanked”" in response.content.decode()
    r.refresh_from_db()
    assert r.status == "asked"


def test_ask_without_method_shows_a_clear_error(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    response = alice_client.post(
        reverse("letters:request_transition", args=[r.public_id]), {"to_status": "asked"}
    )
    assert response.status_code == 400
    assert "Say how you asked" in response.content.decode()


def test_declined_request_suggests_the_next_mentor(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "declined")
    make_mentor(alice, "Grace Kim")
    body = alice_client.get(reverse("letters:request", args=[r.public_id])).content.decode()
    assert "Who to ask next" in body and "Grace Kim" in body


def test_upload_good_and_bad_pdfs(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    url = reverse("letters:document_upload", args=[app.public_id])
    good = SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
    assert alice_client.post(url, {"kind": "cv", "file": good}).status_code == 302
    assert DocumentVersion.objects.get(document__uses__application=app).page_count == 1
    bad = SimpleUploadedFile("cv.pdf", b"not a pdf at all", content_type="application/pdf")
    response = alice_client.post(url, {"kind": "statement", "file": bad})
    assert response.status_code == 400
    assert "is not a PDF" in response.content.decode()
    assert DocumentVersion.objects.filter(document__uses__application=app).count() == 1


def test_packet_downloads(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    pdf = alice_client.get(reverse("letters:packet_pdf", args=[r.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="Owner_Alice_LetterPacket_for_Patel.pdf"' in pdf["Content-Disposition"]
    z = alice_client.get(reverse("letters:packet_zip", args=[r.public_id]))
    assert z["Content-Type"] == "application/zip" and z.content.startswith(b"PK")


def test_board_groups_requests_by_state(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    make_request(alice, "planned", app=app)
    make_request(alice, "submitted", app=app)
    body = alice_client.get(reverse("letters:board")).content.decode()
    assert (
        body.index("Ana Patel") < body.index("Submitted: say thanks") < body.index("Marcus Green")
    )


def test_dashboard_panel(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    make_request(alice, "submitted")
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "Letters: what to do this week" in body
    assert "Thank Dr. Patel" in body


def test_bad_uuid_is_404(alice_client) -> None:  # type: ignore[no-untyped-def]
    assert alice_client.get("/letters/requests/not-a-uuid/").status_code == 404


def test_get_on_post_only_routes_is_405(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice)
    assert (
        alice_client.get(reverse("letters:request_transition", args=[r.public_id])).status_code
        == 405
    )


def test_a_50_mb_upload_is_refused_by_its_size(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    big = SimpleUploadedFile("huge.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    response = alice_client.post(
        reverse("letters:document_upload", args=[app.public_id]), {"kind": "cv", "file": big}
    )
    assert response.status_code == 400
    assert "Your CV is 50.0 MB; the limit is 10 MB." in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_an_encrypted_upload_is_refused(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    from tests.letters.factories import encrypted_pdf

    app = make_application(alice)
    f = SimpleUploadedFile("locked.pdf", encrypted_pdf(), content_type="application/pdf")
    response = alice_client.post(
        reverse("letters:document_upload", args=[app.public_id]), {"kind": "statement", "file": f}
    )
    assert response.status_code == 400
    assert "password-protected" in response.content.decode()
    assert not DocumentVersion.objects.exists()


def test_a_bad_date_in_the_move_form_is_shown(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    response = alice_client.post(
        reverse("letters:request_transition", args=[r.public_id]),
        {"to_status": "asked", "ask_method": "email", "on": "soon"},
    )
    assert response.status_code == 400
    assert "When: Enter a valid date." in response.content.decode()
    r.refresh_from_db()
    assert r.status == "planned"


def test_too_many_strengths_are_refused_on_the_page(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    response = alice_client.post(
        reverse("letters:request_edit", args=[r.public_id]),
        {"kind": "standard", "strengths": "\n".join("abcdefg")},
    )
    assert response.status_code == 400
    assert "Choose at most 6 strengths" in response.content.decode()
    r.refresh_from_db()
    assert r.strengths == []


def test_the_history_names_who_moved_in_words_and_a_waiver_is_not_a_move(
    alice, alice_client
) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "reminded")
    services.transition(r, "submitted", actor="writer")
    services.record_waiver(r, signed=True, on=dt.date(2026, 10, 30))
    body = alice_client.get(reverse("letters:request", args=[r.public_id])).content.decode()
    history = body[body.index('id="history-heading"') :]
    assert 'reminded → submitted <span class="muted">by the writer' in history
    assert 'Waiver signed on October 30, 2026 <span class="muted">by you' in history
    for internal in (
        "by applicant",
        "by writer",
        "by system",
        "submitted → submitted",
        "2026-10-30",
    ):
        assert internal not in history
