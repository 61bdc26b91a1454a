"""Cát Tiên 3's mobile team: Tiên (commune officer, the team's lead) and Mai (mobile-team member), one registered
phone, a hamlet, and the birth registration (verified: 3 working days, two required components). The clock is
pinned to Tuesday 3 March 2026, 15:00 in Vietnam: the team is back from the hamlets with its phone."""

import datetime as dt
import uuid

import pytest
import time_machine

from civicdesk.core.services import issue_api_token
from civicdesk.mobile import services
from tests.factories import CommuneFactory, UserFactory
from tests.handbook.factories import ProcedureFactory

VN = dt.timezone(dt.timedelta(hours=7))


def vn(*args):
    return dt.datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(vn(2026, 3, 3, 15, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cat_tien(lam_dong):
    return CommuneFactory(code=25162, name="Xã Cát Tiên 3", province=lam_dong, division_type="xa")


@pytest.fixture
def tien(cat_tien):
    return UserFactory(username="tien", full_name="Đỗ Văn Tiên", role="commune_officer", commune=cat_tien)


@pytest.fixture
def mai(cat_tien):
    return UserFactory(username="mai", full_name="Điểu Thị Mai", role="mobile_team", commune=cat_tien)


@pytest.fixture
def phone(tien, cat_tien):
    return services.register_device(tien, cat_tien, label="Điện thoại tổ 1")


@pytest.fixture
def khai_sinh(db):
    return ProcedureFactory(
        code="HT-001",
        name="Đăng ký khai sinh",
        methods=[{"method": "truc_tiep", "processing_days": 3}],
        components=[
            {"name": "Tờ khai đăng ký khai sinh", "original": 1, "copy": 0, "required": True},
            {"name": "Giấy chứng sinh", "original": 1, "copy": 0, "required": True},
            {"name": "Văn bản ủy quyền", "original": 1, "copy": 0, "required": False},
        ],
    )


@pytest.fixture
def token(mai):
    return issue_api_token(mai, mai)[1]


def field_dossier(phone, number=1, **changes):
    """What the phone sends for a birth registration taken at 09:40 in the hamlet."""
    data = {
        "device": phone.prefix,
        "provisional_code": f"TLD-{phone.prefix}-{number:04d}",
        "taken_at": "2026-03-03T09:40:00+07:00",
        "procedure_code": "HT-001",
        "present": [0, 1],
        "applicant_name": "Điểu K'Lang",
        "applicant_id_number": "068190001234",
        "applicant_phone": "0912 345 678",
    }
    data.update(changes)
    return data


def new_uuid():
    return uuid.uuid4()
