"""The lights and time-left rule (chainparty.lights) on the real 2026 calendar: 中秋节 Fri 25 – Sun 27 Sep,
国庆节 Thu 1 – Wed 7 Oct, make-up working days (调休) Sun 20 Sep and Sat 10 Oct."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from chainparty.lights import (
    DUE_SOON_WORKING_DAYS,
    NO_DEADLINE,
    RATE_GREEN_FROM,
    RATE_YELLOW_FROM,
    Light,
    TimeLeft,
    describe_time_left,
    rate_light,
    time_left,
)
from tests.clock import at, end_of
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar_2026(db):
    call_command("load_holidays", "--years", "2026", stdout=StringIO())


def left(days: int, light: Light, *, overdue: bool = False, due_today: bool = False) -> TimeLeft:
    return TimeLeft(days=days, overdue=overdue, due_today=due_today, light=light)


class TestTimeLeft:
    def test_the_national_day_holidays_do_not_count(self):
        # Wed 30 Sep to the end of Thu 8 Oct: seven days off between, one working day left.
        assert time_left(end_of(10, 8), at=at(9, 30)) == left(1, Light.YELLOW)

    def test_a_weekday_holiday_does_not_count(self):
        # Thu 24 Sep to Mon 28 Sep: Fri 25 is 中秋节.
        assert time_left(end_of(9, 28), at=at(9, 24)) == left(1, Light.YELLOW)

    def test_a_make_up_saturday_counts(self):
        # Fri 9 Oct to Mon 12 Oct: Sat 10 Oct is worked (调休), so two working days, not one.
        assert time_left(end_of(10, 12), at=at(10, 9)) == left(2, Light.YELLOW)
        assert time_left(end_of(10, 13), at=at(10, 9)) == left(3, Light.GREEN)

    def test_a_make_up_sunday_counts_from_the_weekend(self):
        # Sat 19 Sep to Mon 21 Sep: Sun 20 Sep is worked.
        assert time_left(end_of(9, 21), at=at(9, 19)) == left(2, Light.YELLOW)

    def test_due_today(self):
        assert time_left(end_of(10, 9), at=at(10, 9, 8)) == left(0, Light.YELLOW, due_today=True)
        assert time_left(end_of(10, 9), at=end_of(10, 9)) == left(0, Light.YELLOW, due_today=True)  # to the last µs

    def test_a_deadline_earlier_in_the_day(self):
        noon = at(10, 9, 12)
        assert time_left(noon, at=at(10, 9, 11)) == left(0, Light.YELLOW, due_today=True)
        assert time_left(noon, at=at(10, 9, 13)) == left(1, Light.RED, overdue=True)

    def test_overdue_the_first_microsecond_after_the_deadline(self):
        deadline = end_of(10, 9)
        assert time_left(deadline, at=deadline + timedelta(microseconds=1)) == left(1, Light.RED, overdue=True)

    def test_overdue_days_skip_the_holidays(self):
        # Due Wed 30 Sep: on Fri 9 Oct two working days have passed (Thu 8, Fri 9).
        assert time_left(end_of(9, 30), at=at(10, 9)) == left(2, Light.RED, overdue=True)
        # In the holidays none has, yet it is overdue: at least one.
        assert time_left(end_of(9, 30), at=at(10, 3)) == left(1, Light.RED, overdue=True)

    def test_overdue_days_count_the_make_up_saturday(self):
        deadline = end_of(10, 9)  # Friday
        assert time_left(deadline, at=at(10, 10)).days == 1  # Sat 10 Oct, worked
        assert time_left(deadline, at=at(10, 11)).days == 1  # Sun 11 Oct, off
        assert time_left(deadline, at=at(10, 12)).days == 2  # Mon 12 Oct

    def test_a_friday_deadline_is_one_day_overdue_until_monday_ends(self):
        deadline = end_of(10, 16)
        assert [time_left(deadline, at=at(10, day)).days for day in (17, 18, 19, 20)] == [1, 1, 1, 2]

    def test_the_light_turns_yellow_within_the_due_soon_days(self):
        # Mon 16 Nov 2026: an ordinary week.
        lights = [time_left(end_of(11, 16 + n), at=at(11, 16)).light for n in range(5)]
        assert DUE_SOON_WORKING_DAYS == 2
        assert lights == [Light.YELLOW, Light.YELLOW, Light.YELLOW, Light.GREEN, Light.GREEN]

    def test_only_days_off_left_is_zero_but_not_due_today(self):
        # Sat 17 Oct, due Sun 18 Oct (a supervision's reply-by day may be any day).
        assert time_left(date(2026, 10, 18), at=at(10, 17)) == left(0, Light.YELLOW)

    def test_a_day_is_due_at_its_end_in_shanghai(self):
        assert time_left(date(2026, 10, 9), at=at(10, 9, 23, 59)) == left(0, Light.YELLOW, due_today=True)
        assert time_left(date(2026, 10, 9), at=at(10, 10, 0, 0)) == left(1, Light.RED, overdue=True)

    def test_instants_are_read_on_the_shanghai_clock(self):
        deadline = end_of(10, 8)
        assert time_left(deadline, at=datetime(2026, 10, 8, 15, 0, tzinfo=UTC)).due_today  # 23:00 in Shanghai
        assert time_left(deadline, at=datetime(2026, 10, 8, 17, 0, tzinfo=UTC)).overdue  # 01:00 on the 9th
        assert time_left(deadline.astimezone(UTC), at=at(9, 30)) == left(1, Light.YELLOW)

    def test_no_deadline_or_closed_has_no_light(self):
        assert time_left(None, at=at(10, 9)) == NO_DEADLINE
        assert time_left(end_of(9, 1), at=at(10, 9), closed=True) == NO_DEADLINE
        assert NO_DEADLINE.light == Light.NONE
        assert not NO_DEADLINE.has_deadline
        assert time_left(end_of(10, 12), at=at(10, 9)).has_deadline

    @pytest.mark.parametrize(
        ("deadline", "moment", "error"),
        [
            (datetime(2026, 10, 9, 12), at(10, 9), ValueError),  # noqa: DTZ001 - the naive deadline refused
            (end_of(10, 9), datetime(2026, 10, 9, 12), ValueError),  # noqa: DTZ001 - the naive instant refused
            ("2026-10-09", at(10, 9), TypeError),
            (end_of(10, 9), date(2026, 10, 9), TypeError),
        ],
    )
    def test_naive_or_wrong_arguments_fail_loudly(self, deadline, moment, error):
        with pytest.raises(error):
            time_left(deadline, at=moment)

    def test_a_deadline_set_n_working_days_ahead_has_n_left(self):
        """The same count as the issue clocks (workdays.calendar.add_working_days), from every day of
        September to October 2026 — weekdays, weekends, holidays and make-up days."""
        for offset in range(45):
            start = at(9, 10) + timedelta(days=offset)
            for days in range(1, 12):
                assert time_left(add_working_days(start, days), at=start).days == days, (start, days)


class TestRateLight:
    @pytest.mark.parametrize(
        ("rate", "light"),
        [
            (None, Light.NONE),
            (Decimal(1), Light.GREEN),
            (Decimal("0.9000"), Light.GREEN),
            (Decimal("0.8999"), Light.YELLOW),
            (Decimal("0.7500"), Light.YELLOW),
            (Decimal("0.7499"), Light.RED),
            (Decimal(0), Light.RED),
        ],
    )
    def test_green_from_ninety_yellow_from_seventy_five_percent(self, rate, light):
        assert (Decimal("0.90"), Decimal("0.75")) == (RATE_GREEN_FROM, RATE_YELLOW_FROM)
        assert rate_light(rate) == light

    @pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("1.0001"), Decimal(90)])
    def test_a_rate_outside_zero_to_one_is_refused(self, rate):
        with pytest.raises(ValueError, match="fraction from 0 to 1"):
            rate_light(rate)

    def test_a_light_is_its_name(self):
        assert rate_light(Decimal("0.95")) == "green"
        assert [str(light) for light in Light] == ["red", "yellow", "green", "none"]


class TestWords:
    @pytest.mark.parametrize(
        ("language", "words"),
        [
            ("zh-hans", ["剩余 3 个工作日", "剩余 1 个工作日", "今日到期", "超期 1 个工作日", "超期 2 个工作日", ""]),
            (
                "en",
                [
                    "3 working days left",
                    "1 working day left",
                    "due today",
                    "1 working day overdue",
                    "2 working days overdue",
                    "",
                ],
            ),
        ],
    )
    def test_time_left_reads_as_people_say_it(self, language, words):
        cases = [
            left(3, Light.GREEN),
            left(1, Light.YELLOW),
            left(0, Light.YELLOW, due_today=True),
            left(1, Light.RED, overdue=True),
            left(2, Light.RED, overdue=True),
            NO_DEADLINE,
        ]
        with translation.override(language):
            assert [describe_time_left(case) for case in cases] == words


def render(source: str, **context) -> str:
    with translation.override("zh-hans"):
        return Template("{% load lights %}" + source).render(Context(context))


class TestTags:
    def test_time_left_renders_the_light_and_the_words(self):
        html = render("{% time_left deadline at=now %}", deadline=end_of(10, 12), now=at(10, 9))
        assert html == (
            '<span class="time-left time-left-yellow"><span class="light light-yellow" role="img" '
            'aria-label="黄灯：2 个工作日内到期" title="黄灯：2 个工作日内到期"></span>剩余 2 个工作日</span>'
        )

    def test_overdue_and_on_schedule(self):
        overdue = render("{% time_left deadline at=now %}", deadline=end_of(9, 30), now=at(10, 9))
        assert 'class="light light-red"' in overdue
        assert 'aria-label="红灯：已超期"' in overdue
        assert overdue.endswith("超期 2 个工作日</span>")
        green = render("{% time_left deadline at=now %}", deadline=end_of(10, 13), now=at(10, 9))
        assert 'aria-label="绿灯：时间充裕"' in green
        assert green.endswith("剩余 3 个工作日</span>")

    def test_the_filter_reads_now(self):
        with time_machine.travel(at(10, 9, 9), tick=False):
            html = render("{{ deadline|time_left }}", deadline=end_of(10, 9))
        assert "今日到期" in html
        assert "time-left-yellow" in html

    def test_no_deadline_or_closed_renders_nothing(self):
        assert render("{% time_left deadline %}", deadline=None) == ""
        assert render("{% time_left deadline closed=True %}", deadline=end_of(10, 9)) == ""
        assert render("{% rate_light rate %}", rate=None) == ""

    @pytest.mark.parametrize(
        ("rate", "light", "label"),
        [
            (Decimal("0.9500"), "green", "绿灯：不低于 90%"),
            (Decimal("0.8000"), "yellow", "黄灯：不低于 75%、低于 90%"),
            (Decimal("0.5000"), "red", "红灯：低于 75%"),
        ],
    )
    def test_rate_light_names_its_threshold(self, rate, light, label):
        html = render("{% rate_light rate %}", rate=rate)
        assert html == f'<span class="light light-{light}" role="img" aria-label="{label}" title="{label}"></span>'

    def test_english(self):
        with translation.override("en"):
            html = Template("{% load lights %}{% time_left deadline at=now %}").render(
                Context({"deadline": end_of(9, 30), "now": at(10, 9)})
            )
        assert 'aria-label="Red light: overdue"' in html
        assert html.endswith("2 working days overdue</span>")

    def test_the_styles_are_in_the_stylesheet(self):
        css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
        for light in Light:
            if light != Light.NONE:
                assert f".light-{light} {{" in css
                assert f".time-left-{light} {{" in css
