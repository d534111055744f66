"""Every "today" in the product is the date where the user lives, not the server's (UTC)."""

from __future__ import annotations

import datetime as dt

import time_machine

from preceptor.accounts import services as accounts
from preceptor.accounts.models import Profile, User
from preceptor.letters import services as letters
from preceptor.mentors import services as mentors

# 02:00 UTC on 2 December is 21:00 on 1 December in New York and 11:00 on 2 December in Tokyo.
AFTER_UTC_MIDNIGHT = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)


def test_today_is_the_users_date_after_utc_midnight(alice: User) -> None:
    with time_machine.travel(AFTER_UTC_MIDNIGHT):
        assert accounts.today_for(alice) == dt.date(2026, 12, 1)
        assert accounts.today_for(None) == dt.date(2026, 12, 2)
        # The apps' own names for it are the same function.
        assert letters.today_for is accounts.today_for is mentors.today_for


def test_a_time_zone_change_shows_on_the_same_user_object(alice: User) -> None:
    # sign_up caches a UTC profile on the user; the update must not leave it stale.
    accounts.update_profile(alice, time_zone="Asia/Tokyo")
    with time_machine.travel(AFTER_UTC_MIDNIGHT):
        assert alice.profile.time_zone == "Asia/Tokyo"
        assert accounts.today_for(alice) == dt.date(2026, 12, 2)
        assert accounts.today_for(User.objects.get(pk=alice.pk)) == dt.date(2026, 12, 2)


def test_a_moment_is_dated_where_the_user_lives(alice: User) -> None:
    assert accounts.local_date_for(alice, AFTER_UTC_MIDNIGHT) == dt.date(2026, 12, 1)
    assert accounts.local_date_for(None, AFTER_UTC_MIDNIGHT) == dt.date(2026, 12, 2)


def test_an_unknown_zone_or_a_missing_profile_falls_back_to_utc(alice: User) -> None:
    Profile.objects.filter(user=alice).update(time_zone="Mars/Olympus_Mons")
    stored = User.objects.get(pk=alice.pk)
    with time_machine.travel(AFTER_UTC_MIDNIGHT):
        assert accounts.today_for(stored) == dt.date(2026, 12, 2)
    Profile.objects.filter(user=alice).delete()
    bare = User.objects.get(pk=alice.pk)
    with time_machine.travel(AFTER_UTC_MIDNIGHT):
        assert accounts.today_for(bare) == dt.date(2026, 12, 2)
    # get_profile creates the missing profile and caches it.
    assert accounts.get_profile(bare) is bare.profile


def test_the_mentor_added_date_is_the_users_date(alice: User) -> None:
    with time_machine.travel(AFTER_UTC_MIDNIGHT):
        mentor = mentors.create_mentor(alice, full_name="Grace Kim")
        facts = mentors.cadence_facts(mentor, accounts.today_for(alice))
    assert facts.added_on == dt.date(2026, 12, 1)
