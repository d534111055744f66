from __future__ import annotations

from django_tasks import task

from preceptor.lib.emails import build


@task()
def send_email(*, subject: str, text: str, html: str | None, to: str) -> None:
    """Deliver one already-rendered message; an SMTP error fails the task and is recorded."""
    build(subject, text, html, to).send(fail_silently=False)
