"""Handing one message to the mail server, with a commit point just before the end.

SMTP accepts a message when the client sends the final ``.`` of DATA and the server
answers 250. There is no way to make that and a database write one atomic step, so the
engine needs to know *where* the point of no return is. :class:`Courier` sends
MAIL FROM, RCPT TO, DATA and the whole body, then calls ``commit()`` (the engine records,
conditionally on still owning the row, that the message is being handed off), and only
if that succeeds sends the final ``.``.

- A worker killed before ``commit()`` leaves a message the server never completed: the
  server discards a DATA that was not terminated, so sending the row again cannot
  duplicate it.
- A worker that lost its claim (``commit()`` returns False) drops the connection without
  the ``.``: again nothing is delivered.
- Between ``commit()`` and the ``.`` reaching the kernel there are a few microseconds in
  which a ``kill -9`` loses the message (the row says "handed off"). After the ``.``
  the message is the server's; a killed worker's row is counted as sent.
- If the connection breaks after the ``.`` but before the server's answer, nobody knows
  whether it was accepted: the row is retried (at-least-once, as SMTP itself is).

Non-SMTP backends (files, console, locmem) have no such split: ``commit()`` then send.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import socket
import uuid
from collections.abc import Callable
from email.message import Message
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

__all__ = ["Abandoned", "Courier", "DeliveryError"]


# The sender is the same on every message; parsing it (email's header parser) cost about
# 0.25 ms a message (bench/notify_bench.py, profiled).
_sanitize = functools.lru_cache(maxsize=16)(sanitize_address)
_M = TypeVar("_M", bound=Message)


def _with_boundaries(message: _M) -> _M:
    """Give each multipart its MIME boundary before it is written.

    Left to itself, the standard library's generator draws a random boundary and compiles
    a new regular expression to check it against the body: about 0.6 ms a message, and
    the unique patterns push the other cached expressions out of ``re``'s cache. A boundary
    with a random UUID cannot occur in the body by chance, so no check is needed.
    """
    for part in message.walk():
        # Only multiparts: an attached message/rfc822 is "multipart" to is_multipart().
        if part.get_content_maintype() == "multipart" and part.get_boundary() is None:
            part.set_boundary(f"=_preceptor_{uuid.uuid4().hex}")
    return message


class Abandoned(Exception):
    """The row was no longer ours at the commit point; nothing was delivered."""


class DeliveryError(Exception):
    """The message was not accepted.

    ``permanent``: the server refused it for good (5xx); retrying would not help.
    ``maybe_delivered``: the connection broke after the final "." — it may have arrived.
    """

    def __init__(self, message: str, *, permanent: bool = False, maybe_delivered: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.maybe_delivered = maybe_delivered


class Courier:
    """One mail connection reused for a batch of messages."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.smtp = isinstance(self.backend, SmtpBackend)

    def close(self) -> None:
        # Closing a broken connection may fail; it is gone either way.
        with contextlib.suppress(Exception):
            self.backend.close()
        if self.smtp:
            self.backend.connection = None

    def send(self, msg: EmailMessage, commit: Callable[[], bool]) -> None:
        if not self.smtp:
            if not commit():
                raise Abandoned
            try:
                self.backend.send_messages([msg])
            except Exception as e:
                raise DeliveryError(f"{type(e).__name__}: {e}") from e
            return
        try:
            self._send_smtp(msg, commit)
        except (Abandoned, DeliveryError):
            self.close()
            raise
        except smtplib.SMTPResponseException as e:
            self.close()
            raise DeliveryError(
                f"{e.smtp_code} {e.smtp_error!r}", permanent=e.smtp_code >= 500
            ) from e
        except smtplib.SMTPRecipientsRefused as e:
            self.close()
            codes = [code for code, _ in e.recipients.values()]
            raise DeliveryError(
                f"recipient refused: {e.recipients}", permanent=all(c >= 500 for c in codes)
            ) from e
        except (smtplib.SMTPException, OSError) as e:
            self.close()
            raise DeliveryError(f"{type(e).__name__}: {e}") from e

    def _send_smtp(self, msg: EmailMessage, commit: Callable[[], bool]) -> None:
        backend = self.backend
        assert isinstance(backend, SmtpBackend)
        if backend.connection is None:
            backend.open()
            sock = getattr(backend.connection, "sock", None)
            if sock is not None:
                # The body and the final "." go out as separate writes; with Nagle's
                # algorithm the small second one waits for a delayed ACK (~40 ms each).
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = backend.connection
        assert conn is not None
        encoding = msg.encoding or "utf-8"
        from_email = _sanitize(msg.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in msg.recipients()]
        data = _with_boundaries(msg.message()).as_bytes(linesep="\r\n")

        conn.ehlo_or_helo_if_needed()
        if conn.has_extn("pipelining"):
            # RFC 2920: MAIL, RCPT and DATA in one write, then their replies in order — one
            # round trip instead of three. On any refusal the caller hangs up, so a DATA
            # that the server accepted anyway never completes.
            commands = [f"mail FROM:{smtplib.quoteaddr(from_email)}"]
            commands += [f"rcpt TO:{smtplib.quoteaddr(rcpt)}" for rcpt in recipients]
            conn.send("".join(f"{command}\r\n" for command in [*commands, "data"]))
            mail_reply = conn.getreply()
            rcpt_replies = [conn.getreply() for _ in recipients]
            data_reply = conn.getreply()
        else:
            mail_reply = conn.mail(from_email)
            rcpt_replies = [] if mail_reply[0] != 250 else [conn.rcpt(r) for r in recipients]
            data_reply = (0, b"")
        if mail_reply[0] != 250:
            raise smtplib.SMTPSenderRefused(*mail_reply, from_email)
        refused = {
            rcpt: reply
            for rcpt, reply in zip(recipients, rcpt_replies, strict=False)
            if reply[0] not in (250, 251)
        }
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        if not data_reply[0]:
            conn.putcmd("data")
            data_reply = conn.getreply()
        if data_reply[0] != 354:
            raise smtplib.SMTPDataError(*data_reply)
        body = smtplib._quote_periods(data)  # type: ignore[attr-defined]
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        conn.send(body)
        # The point of no return is the final "." below; record it first.
        if not commit():
            # Hanging up inside DATA makes the server drop the unfinished message.
            raise Abandoned
        try:
            conn.send(b".\r\n")
            code, reply = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            raise DeliveryError(
                f"the connection broke after the message was sent: {e}", maybe_delivered=True
            ) from e
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
