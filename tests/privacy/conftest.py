"""Personal data fixtures: Ka Huệ of Di Linh (CCCD 068190001234, phone 0912345678) as the apps hold her — dossiers
old and recent, a hotline ticket quoting her numbers, her record in the register of people, an outreach campaign
that listed her — and a neighbour who shares her phone but has her own CCCD.

The clock is pinned to Monday 2 March 2026, 09:00 in Vietnam.
"""

import datetime as dt

import pytest
import time_machine

from civicdesk.community.models import Person
from civicdesk.hotline.models import Ticket
from civicdesk.outreach.models import Attempt, Campaign, Message, Target
from civicdesk.privacy.services import requests as requests_service
from civicdesk.servicedesk.models import Status
from tests.factories import SYSTEM
from tests.servicedesk.factories import DossierFactory

VN = dt.timezone(dt.timedelta(hours=7))
CCCD = "068190001234"
PHONE = "0912345678"


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(vn(2026, 3, 2, 9, 0), tick=False) as traveller:
        yield traveller


def closed_dossier(commune, received, **kwargs):
    """A dossier received on `received` (a date) and returned three days later."""
    at = vn(received.year, received.month, received.day, 9)
    kwargs.setdefault("status", Status.RETURNED)
    return DossierFactory(
        commune=commune,
        received_at=at,
        finished_at=at + dt.timedelta(days=2),
        returned_at=at + dt.timedelta(days=3),
        is_on_time=True,
        working_days_taken=2.0,
        rating=5,
        **kwargs,
    )


@pytest.fixture
def old_dossier(di_linh):
    """Returned in March 2020: six years ago, past the 60 months proposed for dossiers."""
    return closed_dossier(di_linh, dt.date(2020, 3, 2), note="Gọi lại 0912 345 678", late_reason="")


@pytest.fixture
def recent_dossier(di_linh):
    return closed_dossier(di_linh, dt.date(2025, 11, 3))


@pytest.fixture
def open_dossier(di_linh):
    return DossierFactory(commune=di_linh, received_at=vn(2026, 2, 27, 9))


@pytest.fixture
def neighbour_dossier(di_linh):
    """Her neighbour's dossier: the same phone (a family phone), another CCCD."""
    return closed_dossier(
        di_linh, dt.date(2025, 12, 1), applicant_name="Ka Lan", applicant_id_number="068195005678"
    )


@pytest.fixture
def cam_ly_dossier(cam_ly):
    """Her dossier filed in Cam Ly: Di Linh's officers do not see it."""
    return closed_dossier(cam_ly, dt.date(2025, 10, 1))


def ticket(commune, *, created, status=Ticket.Status.RESOLVED, **kwargs):
    kwargs.setdefault("title", "Hỏi về hồ sơ khai sinh")
    kwargs.setdefault("body", f"Người dân Ka Huệ, CCCD {CCCD}, số 0912 345 678, hỏi về khai sinh cho con.")
    return Ticket.objects.create(
        province=commune.province,
        commune=commune,
        created_at=created,
        status=status,
        resolved_at=created + dt.timedelta(days=1)
        if status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        else None,
        csat_score=4,
        **kwargs,
    )


@pytest.fixture
def old_ticket(di_linh):
    return ticket(di_linh, created=vn(2023, 5, 4, 10), caller_name="Bà Ka Huệ", caller_phone="0912 345 678")


@pytest.fixture
def citizen(di_linh):
    return Person.objects.create(
        province=di_linh.province,
        commune=di_linh,
        kind=Person.Kind.CITIZEN,
        full_name="Ka Huệ",
        phone="+84912345678",
        id_number=CCCD,
        address="Thôn 2, xã Di Linh",
        preferred_language="kpm",
    )


@pytest.fixture
def campaign(di_linh, alice, citizen):
    """A campaign that ended in May 2024 and listed her: contacted once by SMS."""
    campaign = Campaign.objects.create(
        province=di_linh.province,
        commune=di_linh,
        name="Khai sinh cho trẻ",
        purpose="Khai sinh",
        theme="late_birth",
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2024, 5, 31),
        owner=alice,
        status=Campaign.Status.CLOSED,
    )
    target = Target.objects.create(
        campaign=campaign,
        person=citizen,
        commune=di_linh,
        note="Con sinh tháng 1",
        created_at=vn(2024, 3, 1, 8),
    )
    message = Message.objects.create(
        target=target,
        channel="sms",
        phone="+84912345678",
        body="Chào chị Ka Huệ, xã Di Linh mời chị đăng ký khai sinh cho con.",
        params={"ho_ten": "Ka Huệ"},
        tracking_id="t-1",
        status=Message.Status.DELIVERED,
        created_at=vn(2024, 3, 2, 9),
    )
    Attempt.objects.create(
        target=target,
        channel="sms",
        outcome="message_sent",
        at=vn(2024, 3, 2, 9),
        message=message,
        note="Gửi tin",
    )
    return campaign


@pytest.fixture
def record(alice, di_linh):
    """Record a request of Ka Huệ at the Di Linh centre: `record(kind="export", phone=..., id_number=...)`."""

    def make(kind="export", actor=None, **data):
        data.setdefault("id_number", CCCD)
        data.setdefault("subject_name", "Ka Huệ")
        data.setdefault("channel", "in_person")
        data.setdefault("received_at", vn(2026, 3, 2, 8, 30))
        return requests_service.record_request(actor or alice, di_linh, {"kind": kind, **data})

    return make


__all__ = ["CCCD", "PHONE", "SYSTEM", "vn"]
