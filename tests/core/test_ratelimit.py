"""The database rate counter: fixed windows, shared by every process that uses the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from preceptor.core import ratelimit
from preceptor.core.models import RateCounter

NOON = dt.datetime(2026, 11, 22, 12, 0, 5, tzinfo=dt.UTC)


def test_hits_are_counted_up_to_the_limit(db: None, settings: Any) -> None:
    settings.RATE_LIMITS = {"ip": (3, 60)}
    results = [ratelimit.hit("ip", "10.0.0.1", now=NOON) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.peek("ip", "10.0.0.1", now=NOON) == 5
    assert ratelimit.hit("ip", "10.0.0.2", now=NOON)  # another key has its own count


def test_a_new_window_starts_from_zero(db: None, settings: Any) -> None:
    settings.RATE_LIMITS = {"ip": (1, 60)}
    assert ratelimit.hit("ip", "a", now=NOON)
    assert not ratelimit.hit("ip", "a", now=NOON + dt.timedelta(seconds=30))
    assert ratelimit.hit("ip", "a", now=NOON + dt.timedelta(seconds=60))


def test_keys_are_stored_hashed(db: None) -> None:
    ratelimit.hit("token", "some-token-hash", now=timezone.now())
    (row,) = RateCounter.objects.all()
    assert "some-token-hash" not in row.key and len(row.key) == 64


# ---------------------------------------------------------------- the limited routes


def test_document_uploads_are_limited_per_account(alice: Any, settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from preceptor.letters.models import LibraryDocument
    from tests.conftest import client_for
    from tests.letters.factories import make_application
    from tests.lib.test_pdf import make_pdf

    settings.RATE_LIMITS = {"upload": (2, 3600)}
    app = make_application(alice)
    client = client_for(alice)
    url = reverse("letters:document_upload", args=[app.public_id])
    for kind in ("cv", "statement"):
        f = SimpleUploadedFile(f"{kind}.pdf", make_pdf(1), content_type="application/pdf")
        assert client.post(url, {"kind": kind, "file": f}).status_code == 302
    f = SimpleUploadedFile("t.pdf", make_pdf(1), content_type="application/pdf")
    response = client.post(url, {"kind": "transcript", "file": f})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "Too many uploads in a short time (at most 2 in 1 hour)." in body
    assert "Nothing was changed; please try again in" in body
    assert not LibraryDocument.objects.filter(kind="transcript").exists()


def test_packet_downloads_are_limited_per_account(alice: Any, settings: Any) -> None:
    from django.urls import reverse

    from tests.conftest import client_for
    from tests.letters.factories import make_request

    settings.RATE_LIMITS = {"packet": (1, 600)}
    r = make_request(alice, "agreed")
    client = client_for(alice)
    assert client.get(reverse("letters:packet_pdf", args=[r.public_id])).status_code == 200
    response = client.get(reverse("letters:packet_zip", args=[r.public_id]))
    assert response.status_code == 429
    assert "Too many packet downloads in a short time (at most 1 in 10 minutes)." in (
        response.content.decode()
    )


def test_csv_imports_are_limited_per_account(alice: Any, settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import client_for

    settings.RATE_LIMITS = {"csv_import": (1, 3600)}
    client = client_for(alice)
    url = reverse("mentors:import")
    csv = b"Name,Email\nAna Patel,ana@example.edu\n"
    first = client.post(url, {"step": "upload", "file": SimpleUploadedFile("m.csv", csv)})
    assert first.status_code in (200, 302)
    second = client.post(url, {"step": "upload", "file": SimpleUploadedFile("m.csv", csv)})
    assert second.status_code == 429
    assert "Too many imports in a short time" in second.content.decode()
