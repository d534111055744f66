from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from tests.conftest import client_for, make_user
from tests.isolation import PUBLIC, Route, all_route_names, load_all

ROUTES = load_all()


def test_every_route_is_registered() -> None:
    registered = {name for name, _ in ROUTES}
    missing = all_route_names() - registered - PUBLIC
    assert not missing, f"Register these routes in tests/<app>/routes.py: {sorted(missing)}"
    unknown = registered - all_route_names()
    assert not unknown, f"Registered routes that no longer exist: {sorted(unknown)}"


def _request(client: Client, r: Route, url: str) -> object:
    method = getattr(client, r.method.lower())
    if r.api and r.method != "GET":
        return method(url, data=r.data, content_type="application/json")
    return method(url, data=r.data)


@pytest.mark.parametrize("r", list(ROUTES.values()), ids=lambda r: f"{r.method} {r.name}")
def test_route_isolation(r: Route, db: None) -> None:
    alice = make_user("alice@example.org", "Alice Owner")
    charlie = make_user("charlie@example.org", "Charlie Stranger")
    kwargs, markers = r.setup(alice)
    url = reverse(r.name, kwargs=kwargs)

    # Anonymous: the login page for pages, 401 for the API; and nothing of alice's.
    response = _request(Client(), r, url)
    if r.anonymous_status is not None:
        assert response.status_code == (404 if kwargs else r.anonymous_status), url
    elif r.api:
        assert response.status_code == 401, url
    else:
        assert response.status_code == 302, url
        assert urlparse(response["Location"]).path == reverse(settings.LOGIN_URL), url
    for marker in markers:
        assert marker not in response.content.decode(errors="replace"), (url, marker)

    # A stranger: 404 for alice's object; otherwise their own (empty) page.
    response = _request(client_for(charlie), r, url)
    if kwargs:
        assert response.status_code == 404, url
    else:
        assert response.status_code in (r.owner_status, 200), url
        # errors="replace": a download (an account export) is bytes, not a page.
        body = response.content.decode(errors="replace")
        for marker in markers:
            assert marker not in body, (url, marker)

    # The owner: the expected status (checked last, since POST routes may change things).
    response = _request(client_for(User.objects.get(pk=alice.pk)), r, url)
    assert response.status_code == r.owner_status, (url, response.status_code)
