"""The main navigation. Sections appear once their app is installed and routed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    prefix: str


SECTIONS = [
    Section("Dashboard", "core:dashboard", "/dashboard/"),
    Section("Mentors", "mentors:list", "/mentors/"),
    Section("Letters", "letters:overview", "/letters/"),
    Section("Programs", "smartpick:home", "/programs/"),
    Section("Calendar", "notify:calendar", "/calendar/"),
    Section("Account", "accounts:account", "/account/"),
]


def available_sections() -> list[tuple[Section, str]]:
    """Each section with its URL, leaving out sections whose app has no routes yet."""
    out = []
    for section in SECTIONS:
        try:
            out.append((section, reverse(section.url_name)))
        except NoReverseMatch:
            continue
    return out
