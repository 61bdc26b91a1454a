"""Di Linh's outreach: a campaign for birth registrations, an officer (alice), a leader (linh), a volunteer (vy).

The clock is pinned to Monday 2 March 2026, 09:00 in Vietnam (a working day; no holiday that week).
"""

import datetime as dt

import pytest
import time_machine

from civicdesk.outreach import services
from tests.factories import SYSTEM, HamletFactory, UserFactory
from tests.handbook.factories import ProcedureFactory

VN = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.date(2026, 3, 2)


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(vn(2026, 3, 2, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def thon2(di_linh):
    return HamletFactory(commune=di_linh, name="Thôn 2")


@pytest.fixture
def vy(di_linh):
    return UserFactory(username="vy", full_name="Lý Vy", role="volunteer", commune=di_linh)


@pytest.fixture
def khai_sinh(db):
    return ProcedureFactory(code="HT-001", name="Đăng ký khai sinh", online_level="toan_trinh")


@pytest.fixture
def campaign(alice, di_linh, khai_sinh):
    return services.save_campaign(
        alice,
        commune=di_linh,
        data={
            "name": "Chủ động tiếp cận người dân",
            "purpose": "Khai sinh cho trẻ chưa đăng ký",
            "theme": "late_birth",
            "start_date": dt.date(2026, 2, 2),
            "end_date": dt.date(2026, 6, 30),
            "owner": alice,
        },
        procedures=[khai_sinh],
    )


CSV = (
    "full_name,phone,id_number,hamlet,consent,consent_source,note\n"
    "K'Điệp,0912 345 678,068190001234,Thôn 2,phone sms,Phiếu đồng ý ngày 02/02,Con sinh tháng 1\n"
    "Nguyễn Văn Hùng,0987654321,,,phone,Đồng ý qua điện thoại,\n"
)


@pytest.fixture
def listed(campaign, alice, thon2):
    report = services.import_targets(alice, campaign, content=CSV.encode(), filename="list.csv")
    assert report.ok, report.errors
    return list(campaign.targets.select_related("person").order_by("pk"))


__all__ = ["MONDAY", "SYSTEM"]
