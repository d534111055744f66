"""Wall-clock scheduling in the user's zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from preceptor.notify import scheduling


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_local_moment_follows_the_offset_on_both_sides_of_spring_forward() -> None:
    # New York springs forward on Sunday 8 March 2026.
    before = scheduling.local_moment(date(2026, 3, 7), 8, "America/New_York")
    after = scheduling.local_moment(date(2026, 3, 9), 8, "America/New_York")
    assert before.astimezone(UTC) == utc(2026, 3, 7, 13)
    assert after.astimezone(UTC) == utc(2026, 3, 9, 12)


def test_a_skipped_hour_moves_to_the_first_valid_moment_after_it() -> None:
    # 02:00 does not exist in New York on 8 March 2026; 03:00 EDT (07:00 UTC) does.
    moment = scheduling.local_moment(date(2026, 3, 8), 2, "America/New_York")
    assert moment.astimezone(UTC) == utc(2026, 3, 8, 7)


def test_an_ambiguous_hour_takes_its_first_occurrence() -> None:
    # 01:00 happens twice on 1 November 2026 in New York; the first is EDT (05:00 UTC).
    moment = scheduling.local_moment(date(2026, 11, 1), 1, "America/New_York")
    assert moment.astimezone(UTC) == utc(2026, 11, 1, 5)


def test_next_digest_keeps_the_local_hour_across_fall_back() -> None:
    # Monday 26 October 08:00 EDT, then Monday 2 November 08:00 EST.
    first = scheduling.next_digest_at(utc(2026, 10, 25, 12), 0, 8, "America/New_York")
    assert first.astimezone(UTC) == utc(2026, 10, 26, 12)
    second = scheduling.next_digest_at(first, 0, 8, "America/New_York")
    assert second.astimezone(UTC) == utc(2026, 11, 2, 13)


def test_next_digest_in_europe_changes_a_week_earlier_than_america() -> None:
    # Europe falls back on 25 October 2026: Monday 26 October 08:00 CET = 07:00 UTC.
    moment = scheduling.next_digest_at(utc(2026, 10, 24, 12), 0, 8, "Europe/Paris")
    assert moment.astimezone(UTC) == utc(2026, 10, 26, 7)


def test_next_digest_is_today_if_the_hour_is_still_ahead_and_next_week_if_not() -> None:
    # Monday 2 November 2026, 12:00 UTC = 07:00 EST: today's 08:00 is still ahead.
    assert scheduling.next_digest_at(utc(2026, 11, 2, 12), 0, 8, "America/New_York") == (
        scheduling.local_moment(date(2026, 11, 2), 8, "America/New_York")
    )
    # 13:00 UTC is exactly 08:00 EST: strictly after means next Monday.
    assert scheduling.next_digest_at(utc(2026, 11, 2, 13), 0, 8, "America/New_York") == (
        scheduling.local_moment(date(2026, 11, 9), 8, "America/New_York")
    )


def test_the_local_date_decides_the_day_not_utc() -> None:
    # 03:00 UTC on 10 March is still 9 March in Los Angeles.
    assert scheduling.local_today(utc(2026, 3, 10, 3), "America/Los_Angeles") == date(2026, 3, 9)


def test_same_day_send_at_is_the_local_hour_or_now_when_it_has_passed() -> None:
    now = utc(2026, 5, 4, 20)  # 16:00 in New York
    assert scheduling.same_day_send_at(date(2026, 5, 4), 8, "America/New_York", now) == now
    later = scheduling.same_day_send_at(date(2026, 5, 5), 8, "America/New_York", now)
    assert later.astimezone(UTC) == utc(2026, 5, 5, 12)


@pytest.mark.parametrize("hour", [-1, 24])
def test_out_of_range_hours_are_refused(hour: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 23"):
        scheduling.local_moment(date(2026, 1, 1), hour, "UTC")


def test_out_of_range_weekday_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday"):
        scheduling.next_digest_at(utc(2026, 1, 1), 7, 8, "UTC")


def test_backoff_doubles_and_is_capped() -> None:
    assert [scheduling.backoff_seconds(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert scheduling.backoff_seconds(50) == scheduling.MAX_BACKOFF_SECONDS


def test_doctests() -> None:
    import doctest

    from preceptor.notify import chart

    for module in (scheduling, chart):
        assert doctest.testmod(module).failed == 0
