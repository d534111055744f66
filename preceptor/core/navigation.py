"""The main navigation. Sections appear once their app is installed and routed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse


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


# The sections' URLs, reversed once per URL configuration and script prefix (every page
# shows the navigation: six reverse() calls each time otherwise). A new configuration
# (tests that override ROOT_URLCONF) is a new resolver, so it gets its own entry.
_kept: dict[tuple[object, str], list[tuple[Section, str]]] = {}


def available_sections() -> list[tuple[Section, str]]:
    """Each section with its URL, leaving out sections whose app has no routes yet."""
    key = (get_resolver(get_urlconf()), get_script_prefix())
    kept = _kept.get(key)
    if kept is not None:
        return kept
    out = []
    for section in SECTIONS:
        try:
            out.append((section, reverse(section.url_name)))
        except NoReverseMatch:
            continue
    if len(_kept) > 16:
        _kept.clear()
    _kept[key] = out
    return out
