from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from preceptor.accounts import services as accounts
from preceptor.lib.http import AuthenticatedRequest
from preceptor.notify import scheduling, services
from preceptor.notify.chart import ChartRow, layout
from preceptor.notify.forms import InterviewForm, PreferencesForm
from preceptor.notify.ics import build_calendar
from preceptor.notify.models import FeedEvent, Interview, Notification, Reminder
from preceptor.notify.sources import KIND_LABELS
from preceptor.notify.sync import get_preferences, refresh_user, sync_user
from preceptor.notify.tokens import BadToken, read_unsubscribe_token

WEEKS_SHOWN = 8
ICS = "text/calendar; charset=utf-8"


def _today(user: Any) -> date:
    return scheduling.local_today(timezone.now(), accounts.time_zone_name(user))


def _chart_rows(user: Any, today: date) -> list[ChartRow]:
    from preceptor.notify.sources import installed

    if not installed("letters"):
        return []
    try:
        from preceptor.letters.models import LetterRequest
    except ImportError:
        return []
    rows = []
    requests = LetterRequest.objects.filter(application__user=user).select_related(
        "application", "mentor"
    )
    for req in requests:
        app = req.application
        if req.status == "declined":
            continue
        label = f"{getattr(req.mentor, 'full_name', '')} · {app.display_title}"
        rows.append(
            ChartRow(
                label=label,
                start=getattr(req, "asked_on", None) or today,
                personal=req.personal_deadline,
                official=app.official_deadline,
                submitted=getattr(req, "submitted_on", None),
                status=req.status,
                status_label=str(getattr(req, "status_label", "") or ""),
            )
        )
    rows.sort(key=lambda r: (r.personal or r.official or r.start, r.label))
    return rows


def _groups(events: list[FeedEvent]) -> list[tuple[str, str]]:
    """Each application with dates in the calendar, with its title, for .ics downloads
    (``events``: all the user's, in date order)."""
    titles: dict[str, str] = {}
    for e in events:
        if not e.group:
            continue
        if e.kind == "deadline" or e.group not in titles:
            titles[e.group] = e.summary.removeprefix("Deadline: ")
    return sorted(titles.items(), key=lambda item: item[1])


@login_required
@require_http_methods(["GET"])
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    # Recompute first: dates can move without a signal (a mentor's cadence, for one).
    refresh_user(user)
    today = _today(user)
    end = today + timedelta(weeks=WEEKS_SHOWN)
    # Every event once (in date order), for the weeks shown and the .ics downloads.
    all_events = list(FeedEvent.objects.filter(user=user))
    by_week: dict[date, list[FeedEvent]] = defaultdict(list)
    for e in (e for e in all_events if today <= e.on < end):
        by_week[e.on - timedelta(days=e.on.weekday())].append(e)
    first_monday = today - timedelta(days=today.weekday())
    weeks = [
        {
            "monday": first_monday + timedelta(weeks=i),
            "events": by_week.get(first_monday + timedelta(weeks=i), []),
        }
        for i in range(WEEKS_SHOWN + (1 if today.weekday() else 0))
    ]
    rows = _chart_rows(user, today)
    ctx = {
        "today": today,
        "end": end,
        "weeks": weeks,
        "labels": KIND_LABELS,
        "chart": layout(rows, today=today) if rows else None,
        "interviews": Interview.objects.filter(user=user, on__gte=today - timedelta(days=30)),
        "interview_form": InterviewForm(),
        "groups": _groups(all_events),
    }
    return render(request, "notify/calendar.html", ctx)


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed URL: anyone holding it may read it (calendar apps cannot log in)."""
    user = services.user_for_feed_token(token)
    refresh_user(user)
    prefs = get_preferences(user)
    body = build_calendar(
        FeedEvent.objects.filter(user=user),
        name="Preceptor: letters and deadlines",
        alarms=prefs.feed_alarms,
    )
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET"])
def application_ics(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    events = list(FeedEvent.objects.filter(user=request.user, group=str(pk)))
    if not events:
        raise Http404("No such application")
    prefs = get_preferences(request.user)
    body = build_calendar(events, name="Preceptor: one application", alarms=prefs.feed_alarms)
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="application-{pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def interview_add(request: AuthenticatedRequest) -> HttpResponse:
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_interview(request.user, **form.cleaned_data)
        messages.success(request, "Interview added to your calendar.")
        return redirect("notify:calendar")
    return render(request, "notify/interview_form.html", {"form": form})


@login_required
@require_POST
def interview_delete(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    interview = services.get_interview_for_user(request.user, pk)
    services.delete_interview(request.user, interview)
    messages.success(request, "Interview removed.")
    return redirect("notify:calendar")


@login_required
@require_http_methods(["GET"])
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user)[:100]
    upcoming = Reminder.objects.filter(user=request.user, status=Reminder.Status.PENDING).order_by(
        "send_at"
    )[:20]
    ctx = {
        "items": items,
        "unread": services.unread_count(request.user),
        "upcoming": upcoming,
        "prefs": get_preferences(request.user),
    }
    if getattr(request, "htmx", False):
        return render(request, "notify/notifications.html#list", ctx)
    return render(request, "notify/notifications.html", ctx)


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    note = services.get_notification_for_user(request.user, pk)
    services.mark_read(request.user, note)
    if note.url and request.POST.get("open"):
        return redirect(note.url)
    return redirect("notify:notifications")


@login_required
@require_POST
def notifications_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, f"Marked {count} as read." if count else "Nothing was unread.")
    return redirect("notify:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    prefs = get_preferences(user)
    tz = accounts.time_zone_name(user)
    form = PreferencesForm(request.POST or None, instance=prefs, time_zone=tz)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_tz = data.pop("time_zone")
        with transaction.atomic():
            if new_tz != tz:
                accounts.update_profile(user, time_zone=new_tz)
            services.update_preferences(user, **data)
        messages.success(request, "Reminder settings saved.")
        return redirect("notify:settings")
    if request.method == "POST":
        # The form keeps the unsaved values; the stored preferences stay as they were.
        prefs.refresh_from_db()
    next_digest = Reminder.objects.filter(
        user=user, kind="digest", status=Reminder.Status.PENDING
    ).first()
    feed_url = request.session.pop("notify_feed_url", None)
    ctx = {
        "form": form,
        "prefs": prefs,
        "next_digest": next_digest,
        "feed_url": feed_url,
        "has_feed": hasattr(user, "calendar_feed"),
        "time_zone": tz,
    }
    return render(request, "notify/settings.html", ctx)


@login_required
@require_POST
def feed_rotate(request: AuthenticatedRequest) -> HttpResponse:
    had = hasattr(request.user, "calendar_feed")
    token = services.rotate_feed_token(request.user)
    sync_user(request.user)
    # Shown once on the next page; only its hash is stored.
    request.session["notify_feed_url"] = request.build_absolute_uri(
        reverse("notify:feed", kwargs={"token": token})
    )
    messages.success(
        request,
        "Your new calendar address is below. The old one has stopped working."
        if had
        else "Your calendar address is below: add it to your calendar app as a subscription.",
    )
    return redirect("notify:settings")


@login_required
@require_POST
def resubscribe(request: AuthenticatedRequest) -> HttpResponse:
    services.resubscribe(request.user)
    messages.success(request, "Reminder emails are back on.")
    return redirect("notify:settings")


@csrf_exempt  # the signed token is the authority; mail apps' one-click POST has no CSRF
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link will do (mail scanners open links); POST does it. A POST
    with List-Unsubscribe=One-Click comes from the mail app's own button (RFC 8058)."""
    try:
        target = read_unsubscribe_token(token)
    except BadToken as e:
        return render(request, "notify/unsubscribe_invalid.html", {"reason": e.reason}, status=400)
    if request.method == "GET":
        return render(request, "notify/unsubscribe.html", {"target": target, "done": False})
    try:
        who = services.unsubscribe(target)
    except (Http404, ValidationError):
        return render(request, "notify/unsubscribe_invalid.html", {"reason": "unknown"}, status=404)
    return render(request, "notify/unsubscribe.html", {"target": target, "done": True, "who": who})
