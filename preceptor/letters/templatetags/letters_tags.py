"""Letters shown where a mentor is shown: the mentors app sits below letters, so its pages
reach the letters through this tag instead of importing the letters app."""

from __future__ import annotations

from typing import Any

from django import template

from preceptor.letters.models import LetterRequest

register = template.Library()


@register.inclusion_tag("letters/_mentor_letters.html")
def letters_for_mentor(mentor: Any) -> dict[str, Any]:
    """Every letter this mentor writes or wrote for its owner, soonest deadline first."""
    requests = (
        LetterRequest.objects.filter(mentor=mentor, application__user_id=mentor.user_id)
        .select_related("application")
        .order_by("application__official_deadline", "id")
    )
    return {"letter_requests": list(requests), "mentor": mentor}
