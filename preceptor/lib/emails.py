"""Email as template triplets.

Each email is ``emails/<name>-subject.txt``, ``-body-text.txt`` and ``-body-html.html``.

Messages are rendered in the request (so template errors surface at once) and sent by the
background worker, so a slow or failing SMTP server never holds up a page. The sending
task lives here, beside ``send``, on the urgent queue ahead of everything else there
(``preceptor/lib/queues.py``): somebody is usually waiting for the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from preceptor.lib import queues


def render(name: str, ctx: Mapping[str, Any]) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **ctx}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body-text.txt", context)
    html = render_to_string(f"emails/{name}-body-html.html", context)
    return subject, text, html


def build(
    subject: str, text: str, html: str | None, to: str, headers: Mapping[str, str] | None = None
) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(subject, text, to=[to], headers=dict(headers or {}))
    if html:
        msg.attach_alternative(html, "text/html")
    return msg


@task(queue_name=queues.URGENT, priority=queues.EMAIL_PRIORITY)
def send_email(*, subject: str, text: str, html: str | None, to: str) -> None:
    """Deliver one already-rendered message; an SMTP error fails the task and is recorded."""
    build(subject, text, html, to).send(fail_silently=False)


def send(name: str, to: str, ctx: Mapping[str, Any]) -> None:
    """Render the named email now and queue it for the background worker."""
    subject, text, html = render(name, ctx)
    send_email.enqueue(subject=subject, text=text, html=html, to=to)
