"""Real SMTP (aiosmtpd): delivery, temporary and permanent refusals, a server that is down."""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import policy
from typing import Any

import time_machine
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.notify import engine
from preceptor.notify.delivery import _with_boundaries
from preceptor.notify.models import Reminder
from tests.notify.helpers import make_reminders
from tests.smtp import Collector, free_port, text_body

S = Reminder.Status


class Refusing(Collector):
    """Answers DATA with ``reply`` for the first ``times`` messages, then accepts."""

    def __init__(self, reply: str, times: int) -> None:
        super().__init__()
        self.reply = reply
        self.times = times

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.times > 0:
            self.times -= 1
            return self.reply
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def server(handler: Collector, settings: Any) -> Iterator[Collector]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _use_smtp(settings, port)
    try:
        yield handler
    finally:
        controller.stop()


def _use_smtp(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def test_reminders_arrive_over_smtp_with_their_links(alice: User, settings: Any) -> None:
    make_reminders(alice, 3)
    with server(Collector(), settings) as collector:
        assert engine.send_due().sent == 3
    assert len(collector.messages) == 3
    msg = collector.messages[0]
    assert msg["To"] == "alice@example.org"
    assert str(msg["List-Unsubscribe"]).strip().startswith("<http")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = text_body(msg)
    assert "Stop reminder emails: http" in body
    assert "/unsubscribe/" in body
    assert msg.get_body(preferencelist=("html",)) is not None


def test_a_temporary_refusal_is_retried_with_backoff_and_recorded(
    alice: User, settings: Any
) -> None:
    row = make_reminders(alice, 1)[0]
    with server(Refusing("451 4.3.0 Try again later", times=2), settings) as collector:
        first = timezone.now()
        assert engine.send_due().retried == 1
        row.refresh_from_db()
        assert row.status == S.PENDING
        assert row.attempts == 1
        assert "451" in row.last_error
        assert row.next_attempt_at is not None
        assert timedelta(seconds=59) < row.next_attempt_at - first < timedelta(seconds=62)
        # Not before the backoff has passed.
        assert engine.send_due().claimed == 0
        with time_machine.travel(first + timedelta(seconds=61), tick=False):
            engine.send_due()
        row.refresh_from_db()
        assert row.attempts == 2
        # The second wait is twice as long.
        assert row.next_attempt_at - (first + timedelta(seconds=61)) > timedelta(seconds=119)
        with time_machine.travel(first + timedelta(seconds=200), tick=False):
            assert engine.send_due().sent == 1
    row.refresh_from_db()
    assert row.status == S.SENT
    assert row.attempts == 3
    assert row.last_error == ""
    assert len(collector.messages) == 1


def test_a_permanent_refusal_fails_at_once(alice: User, settings: Any) -> None:
    row = make_reminders(alice, 1)[0]
    with server(Refusing("550 5.1.1 No such mailbox", times=5), settings):
        result = engine.send_due()
    row.refresh_from_db()
    assert result.failed == 1
    assert row.status == S.FAILED
    assert "550" in row.last_error


def test_a_server_that_is_down_is_retried_later(alice: User, settings: Any) -> None:
    row = make_reminders(alice, 1)[0]
    _use_smtp(settings, free_port())  # nothing listens there
    assert engine.send_due().retried == 1
    row.refresh_from_db()
    assert row.status == S.PENDING
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.handed_off_at is None


def test_one_bad_message_does_not_stop_the_batch(alice: User, settings: Any) -> None:
    make_reminders(alice, 4)
    with server(Refusing("451 4.3.0 Busy", times=1), settings) as collector:
        result = engine.send_due()
    assert (result.sent, result.retried) == (3, 1)
    assert len(collector.messages) == 3


class Pipelining(Collector):
    """Advertises PIPELINING (RFC 2920), as Postfix and most servers do, and refuses the
    recipients it is told to."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        super().__init__()
        self.refuse = refuse or {}

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        return [responses[0], "250-PIPELINING", *responses[1:]]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def one_round_trip_only(monkeypatch: Any) -> Iterator[None]:
    """Fail if the courier falls back to one command per round trip."""
    import smtplib

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("MAIL/RCPT sent one by one to a server that pipelines")

    monkeypatch.setattr(smtplib.SMTP, "mail", refuse)
    monkeypatch.setattr(smtplib.SMTP, "rcpt", refuse)
    yield


def test_a_pipelining_server_gets_mail_rcpt_and_data_in_one_write(
    alice: User, settings: Any, monkeypatch: Any
) -> None:
    make_reminders(alice, 3)
    with server(Pipelining(), settings) as collector, one_round_trip_only(monkeypatch):
        assert engine.send_due().sent == 3
    assert [m["To"] for m in collector.messages] == ["alice@example.org"] * 3


def test_a_pipelined_refusal_is_retried_or_failed_and_nothing_is_delivered(
    alice: User, settings: Any, monkeypatch: Any
) -> None:
    row = make_reminders(alice, 1)[0]
    handler = Pipelining(refuse={"alice@example.org": "450 4.2.1 Mailbox busy"})
    with server(handler, settings) as collector, one_round_trip_only(monkeypatch):
        assert engine.send_due().retried == 1
        row.refresh_from_db()
        assert (row.status, row.handed_off_at) == (S.PENDING, None)
        assert "450" in row.last_error
        handler.refuse["alice@example.org"] = "550 5.1.1 No such mailbox"
        with time_machine.travel(timezone.now() + timedelta(seconds=120), tick=False):
            assert engine.send_due().failed == 1
    row.refresh_from_db()
    assert row.status == S.FAILED and "550" in row.last_error
    assert collector.messages == []


def test_every_multipart_gets_its_own_boundary_and_the_message_reads_back() -> None:
    def build() -> Any:
        msg = EmailMultiAlternatives("Hi", "plain text", "from@example.org", ["to@example.org"])
        msg.attach_alternative("<p>html</p>", "text/html")
        msg.attach("notes.txt", "an attachment", "text/plain")  # mixed around alternative
        return msg.message()

    first, second = _with_boundaries(build()), _with_boundaries(build())
    boundaries = [p.get_boundary() for m in (first, second) for p in m.walk() if p.is_multipart()]
    assert len(boundaries) == 4 and len(set(boundaries)) == 4
    assert all(b.startswith("=_preceptor_") for b in boundaries)
    back = email.message_from_bytes(first.as_bytes(linesep="\r\n"), policy=policy.default)
    assert [p.get_content_type() for p in back.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/plain",
    ]
    assert back.get_body(("html",)).get_content().strip() == "<p>html</p>"
    # A boundary already chosen is kept.
    kept = build()
    kept.set_boundary("given")
    assert _with_boundaries(kept).get_boundary() == "given"


def test_an_attached_message_gets_no_boundary() -> None:
    inner = EmailMultiAlternatives("Inner", "inner text", "a@example.org", ["b@example.org"])
    msg = EmailMultiAlternatives("Hi", "plain", "from@example.org", ["to@example.org"])
    msg.attach("forwarded.eml", inner.message(), "message/rfc822")
    mime = _with_boundaries(msg.message())
    rfc822 = [p for p in mime.walk() if p.get_content_type() == "message/rfc822"]
    assert rfc822 and rfc822[0].get_param("boundary") is None
    assert mime.get_boundary().startswith("=_preceptor_")
