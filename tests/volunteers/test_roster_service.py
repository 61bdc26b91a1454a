"""auto_roster on the database: draft shifts only, locks kept (or reported), declines respected, re-running replaces
only the roster's own bookings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civicdesk.volunteers import services
from civicdesk.volunteers.models import Booking, Shift
from civicdesk.volunteers.services.roster import auto_roster

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
FRIDAY = MONDAY + dt.timedelta(days=4)


@pytest.fixture
def drafts(alice, di_linh, templates):
    services.generate_shifts(alice, di_linh, start=MONDAY, end=FRIDAY)
    return list(Shift.objects.filter(commune=di_linh).order_by("day", "part"))


def test_locks_stay_a_lock_beyond_the_weekly_limit_is_reported(alice, di_linh, vy, tuan, drafts):
    vy.max_per_week = 1
    vy.save()
    services.book(alice, drafts[0], vy)  # locked
    services.book(alice, drafts[4], vy)  # locked, but a second shift that week
    run = auto_roster(alice, di_linh, start=MONDAY, end=FRIDAY)
    assert run.status == "OPTIMAL"
    assert [(p["shift"], p["code"]) for p in run.lock_problems] == [(drafts[4].pk, "weekly_limit")]
    assert Booking.objects.filter(shift=drafts[0], volunteer=vy, locked=True).exists()


def test_rerunning_replaces_only_the_rosters_own_bookings_and_respects_declines(
    alice, di_linh, vy, tuan, drafts
):
    auto_roster(alice, di_linh, start=MONDAY, end=FRIDAY)
    first = set(Booking.objects.filter(source="roster").values_list("shift_id", "volunteer_id"))
    assert len(first) == 6  # two volunteers, three shifts a week each
    declined = Booking.objects.filter(source="roster", volunteer=vy).order_by("pk").first()
    services.answer_reminder(alice, declined, coming=False)
    auto_roster(alice, di_linh, start=MONDAY, end=FRIDAY)
    assert Booking.objects.get(pk=declined.pk).status == "declined"  # kept as it was, not rostered again
    assert not Booking.objects.filter(shift=declined.shift, volunteer=vy, status="rostered").exists()
    assert Booking.objects.filter(status="rostered").count() == 6  # vy's third shift moved elsewhere


def test_published_shifts_are_not_rerostered(alice, di_linh, vy, drafts):
    services.publish(alice, di_linh, start=MONDAY, end=FRIDAY)
    with pytest.raises(ValidationError, match="tạo ca trước"):
        auto_roster(alice, di_linh, start=MONDAY, end=FRIDAY)
