"""Hotline fixtures: the fields, a team per department, routing as in the demo, and helpers to file questions.

Times: tests pass `now=` to the services (or use time_machine) — 2026-02-11 is a Wednesday two days before the
Tết holidays of 2026 (16–20/02), so due times visibly skip a weekend and Tết.
"""

from datetime import datetime

import pytest

from civicdesk.core.workcal import VN_TZ
from civicdesk.handbook.fields import ensure_fields
from civicdesk.hotline import services
from civicdesk.hotline.models import Team
from tests.factories import SYSTEM, UserFactory
from tests.hotline.factories import TeamFactory, WorkingGroupFactory


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "assistant")
    settings.SITE_URL = "http://civicdesk.test"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def fields(db):
    return ensure_fields()


@pytest.fixture
def tu_phap_team(tu_phap, phap):
    return TeamFactory(department=tu_phap, leader=phap)


@pytest.fixture
def nnmt_team(nnmt, lam):
    return TeamFactory(department=nnmt)


@pytest.fixture
def operator(lam_dong):
    """The province's hotline operator: triages, assigns, logs calls; answers to no team."""
    return UserFactory(
        username="tongdai", full_name="Hoàng Thu Đài", role="hotline_operator", province=lam_dong
    )


@pytest.fixture
def phap2(tu_phap):
    return UserFactory(username="phap2", full_name="Trần Tư", role="department_expert", department=tu_phap)


@pytest.fixture
def land_group(lam_dong, nnmt, lam):
    group = WorkingGroupFactory(
        province=lam_dong,
        code="dat-dai-xay-dung",
        name="Tổ Đất đai – Xây dựng",
        departments=[nnmt],
        members=[lam],
    )
    group.leader = lam
    group.save()
    return TeamFactory(working_group=group)


@pytest.fixture
def routing(fields, tu_phap_team, nnmt_team, land_group, lam_dong):
    """hộ tịch → Sở Tư pháp (default), đất đai → the land working group (a rule)."""
    services.set_routing_rule(SYSTEM, province=lam_dong, field=fields["dat_dai"], team=land_group)
    return {"tu_phap": tu_phap_team, "land": land_group}


@pytest.fixture
def file_question(fields):
    def make(user, field="ho_tich", now=None, **kwargs):
        kwargs.setdefault("title", "Đăng ký khai sinh có yếu tố nước ngoài")
        kwargs.setdefault("body", "Mẹ là công dân Việt Nam, cha là người nước ngoài; xã có thẩm quyền không?")
        return services.create_ticket(user, field=fields[field] if field else None, now=now, **kwargs)

    return make


@pytest.fixture
def ticket(routing, alice, file_question):
    """Alice's civil-status question, filed Wednesday 11/02/2026 09:00: assigned to phap."""
    return file_question(alice, now=vn(2026, 2, 11, 9, 0))


__all__ = ["Team", "vn"]
