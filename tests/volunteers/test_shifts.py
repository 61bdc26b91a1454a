"""Templates, shifts generated on the working calendar with the demand forecast from the centre's dossiers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.volunteers import services
from civicdesk.volunteers.models import Shift
from tests.servicedesk.factories import DossierFactory

from .conftest import MONDAY, vn

pytestmark = pytest.mark.django_db


def test_shifts_follow_the_working_calendar(alice, di_linh, templates):
    # 27 April – 8 May 2026: 30 April and 1 May are holidays (Reunification Day, Labour Day).
    created, _updated = services.generate_shifts(
        alice, di_linh, start=dt.date(2026, 4, 27), end=dt.date(2026, 5, 8)
    )
    days = sorted({s.day for s in Shift.objects.filter(commune=di_linh)})
    assert dt.date(2026, 4, 30) not in days and dt.date(2026, 5, 1) not in days
    assert dt.date(2026, 5, 2) not in days  # a Saturday
    assert created == 2 * len(days)
    again, _ = services.generate_shifts(alice, di_linh, start=dt.date(2026, 4, 27), end=dt.date(2026, 5, 8))
    assert again == 0  # generating twice adds nothing


def test_demand_is_forecast_from_the_centres_arrivals(alice, di_linh, templates, khai_sinh):
    # Over the 13 weeks before 2 March, every Monday morning 20 dossiers, 12 of them filed online with help.
    monday = MONDAY - dt.timedelta(days=7)
    for n in range(13):
        day = monday - dt.timedelta(days=7 * n)
        for k in range(20):
            DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(day.year, day.month, day.day, 9, k),
                           channel="truc_tuyen_ho_tro" if k < 12 else "truc_tiep")  # fmt: skip
    expected = services.forecast(di_linh, until=MONDAY - dt.timedelta(days=1))
    monday_am = expected[(0, "am")]
    assert monday_am.assisted_share == 0.6
    # 13 Mondays in the window, but 16 Feb 2026 is in Tết (a holiday): (20 + 12) × 13 / 12 working Mondays.
    assert monday_am.citizens == pytest.approx(32 * 13 / 12, abs=0.01)
    assert monday_am.volunteers == 5  # ÷ 8 citizens per volunteer, rounded up
    services.generate_shifts(alice, di_linh, start=MONDAY, end=MONDAY + dt.timedelta(days=4))
    shift = Shift.objects.get(day=MONDAY, part="am")
    assert shift.demand == 2  # capped at the template's maximum
    assert Shift.objects.get(day=MONDAY, part="pm").demand == 1  # nothing on Monday afternoons: the minimum


def test_a_period_starting_weeks_ahead_is_forecast_from_the_arrivals_known_today(alice, di_linh, khai_sinh):
    # The clock is on Monday 2 March; the period starts five weeks later. The forecast must read the 13 weeks up to
    # yesterday, not the 13 weeks before the period (five of which have not happened: no dossier yet).
    services.save_template(alice, di_linh, weekday=0, part="am", start=dt.time(7, 30), end=dt.time(11, 30),
                           minimum=1, maximum=30)  # fmt: skip
    for n in range(1, 14):
        day = MONDAY - dt.timedelta(days=7 * n)
        for k in range(40):
            DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(day.year, day.month, day.day, 9, k),
                           channel="truc_tuyen_ho_tro")  # fmt: skip
    later = MONDAY + dt.timedelta(weeks=5)
    services.generate_shifts(alice, di_linh, start=later, end=later)
    known = services.forecast(di_linh, until=MONDAY - dt.timedelta(days=1))[(0, "am")].volunteers
    assert Shift.objects.get(day=later, part="am").demand == known > 1


def test_only_the_communes_coordinators_generate(charlie, vy, di_linh, templates):
    for actor in (charlie, vy.person.user):
        with pytest.raises(PermissionDenied):
            services.generate_shifts(actor, di_linh, start=MONDAY, end=MONDAY)


def test_a_period_is_bounded(alice, di_linh, templates):
    with pytest.raises(ValidationError):
        services.generate_shifts(alice, di_linh, start=MONDAY, end=MONDAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.generate_shifts(alice, di_linh, start=MONDAY, end=MONDAY + dt.timedelta(days=400))


def test_templates_check_their_numbers(alice, di_linh):
    with pytest.raises(ValidationError):
        services.save_template(alice, di_linh, weekday=0, part="am", start=dt.time(8), end=dt.time(7),
                               minimum=1, maximum=2)  # fmt: skip
    with pytest.raises(ValidationError):
        services.save_template(alice, di_linh, weekday=0, part="am", start=dt.time(7), end=dt.time(11),
                               minimum=3, maximum=2)  # fmt: skip
    with pytest.raises(ValidationError):
        services.save_template(alice, di_linh, weekday=0, part="am", start=dt.time(7), end=dt.time(11),
                               minimum=1, maximum=2, skills=["juggling"])  # fmt: skip
