"""The main pages of an account: the ones the speed targets name (docs/speed.md).

One list for the query-count test and both page benchmarks, so that what is measured and
what is bounded stay the same pages.
"""

from __future__ import annotations

from preceptor.accounts.models import User
from preceptor.letters.models import Application, LetterRequest
from preceptor.mentors.models import Mentor


def main_pages(user: User) -> dict[str, str]:
    """Page name -> path, for the user's first mentor, application and letter request."""
    mentor = Mentor.objects.filter(user=user).order_by("id").first()
    app = Application.objects.filter(user=user).order_by("id").first()
    req = LetterRequest.objects.filter(application__user=user).order_by("id").first()
    if mentor is None or app is None or req is None:
        raise ValueError(f"{user.email} needs a mentor, an application and a letter request")
    return {
        "dashboard": "/dashboard/",
        "mentors": "/mentors/",
        "a mentor": f"/mentors/{mentor.public_id}/",
        "letters": "/letters/",
        "an application": f"/letters/applications/{app.public_id}/",
        "a request": f"/letters/requests/{req.public_id}/",
        "calendar": "/calendar/",
        "programs": "/programs/",
    }
