"""The links' address that ``manage.py serve`` derives from the address it serves (its
effect on emails and the login link is checked with real processes in test_processes)."""

from __future__ import annotations

import pytest

from preceptor.core.management.commands.serve import site_url_for


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("8765", "http://127.0.0.1:8765"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("0:8000", "http://127.0.0.1:8000"),
        ("[::]:8000", "http://[::1]:8000"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("localhost:9000", "http://localhost:9000"),
    ],
)
def test_links_point_at_the_address_served_with_wildcards_as_loopback(
    addrport: str, url: str
) -> None:
    assert site_url_for(addrport) == url
