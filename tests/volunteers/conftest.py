"""Di Linh's youth-union volunteers: a coordinator (alice, commune officer), volunteers vy and tuan with accounts,
templates for Monday–Friday mornings and afternoons. The clock is pinned to Monday 2 March 2026, 08:00 (Vietnam), a
working day with no holiday that week or the next."""

import datetime as dt

import pytest
import time_machine

from civicdesk.volunteers import services
from tests.factories import UserFactory

VN = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.date(2026, 3, 2)


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(vn(2026, 3, 2, 8, 0), tick=False) as traveller:
        yield traveller


def _volunteer(alice, di_linh, username, name, **data):
    user = UserFactory(username=username, full_name=name, role="volunteer", commune=di_linh)
    return services.save_volunteer(
        alice, di_linh,
        person_data={"full_name": name, "phone": "0912000111", "user": user},
        data={"unit": "Chi đoàn thôn 2", "skills": ["online_filing"], "max_per_week": 3, "contact_consent": True,
              **data},
    )  # fmt: skip


@pytest.fixture
def vy(alice, di_linh):
    return _volunteer(alice, di_linh, "vy", "Lý Thị Vy", skills=["vneid", "online_filing"])


@pytest.fixture
def tuan(alice, di_linh):
    return _volunteer(alice, di_linh, "tuan", "K'Tuấn")


@pytest.fixture
def templates(alice, di_linh):
    for weekday in range(5):
        services.save_template(alice, di_linh, weekday=weekday, part="am", start=dt.time(7, 30),
                               end=dt.time(11, 30), minimum=1, maximum=2)  # fmt: skip
        services.save_template(alice, di_linh, weekday=weekday, part="pm", start=dt.time(13, 30),
                               end=dt.time(17, 0), minimum=1, maximum=2, skills=["vneid"])  # fmt: skip


@pytest.fixture
def week(alice, di_linh, templates):
    """This week's and next week's shifts, published."""
    services.generate_shifts(alice, di_linh, start=MONDAY, end=MONDAY + dt.timedelta(days=11))
    services.publish(alice, di_linh, start=MONDAY, end=MONDAY + dt.timedelta(days=11))
    from civicdesk.volunteers.models import Shift

    return list(Shift.objects.filter(commune=di_linh).order_by("day", "part"))


@pytest.fixture
def khai_sinh(db):
    from tests.handbook.factories import ProcedureFactory

    return ProcedureFactory(code="HT-001", name="Đăng ký khai sinh", online_level="toan_trinh")
