"""Cam Ly with two K'Ho hamlets, officials who speak K'Ho (one certified), and a K'Ho-speaking citizen.

The clock is pinned to Monday 2 March 2026, 09:00 in Vietnam (a working day, no holiday that week).
"""

import datetime as dt

import pytest
import time_machine

from civicdesk.community import services
from civicdesk.community.models import Person
from civicdesk.geo.models import HamletLanguage
from tests.factories import SYSTEM, HamletFactory, UserFactory

MONDAY = dt.date(2026, 3, 2)
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        yield


@pytest.fixture
def camly(cam_ly):
    cam_ly.lat, cam_ly.lon = 11.952, 108.418
    cam_ly.save()
    return cam_ly


@pytest.fixture
def hamlets(camly):
    near = HamletFactory(commune=camly, name="Tổ dân phố 7", lat=11.940, lon=108.428)
    far = HamletFactory(commune=camly, name="Tổ dân phố 9", lat=11.931, lon=108.403)
    HamletLanguage.objects.create(hamlet=near, code="kpm", population=540)
    HamletLanguage.objects.create(hamlet=far, code="kpm", population=860)
    HamletLanguage.objects.create(hamlet=far, code="cje", population=45)
    return near, far


def speaker(commune, name, hamlet, levels, *, cert="", kind="official", user=None, code="kpm", capacity=5):
    person = services.save_person(
        SYSTEM,
        commune=commune,
        data={"kind": kind, "full_name": name, "hamlet": hamlet, "user": user, "weekly_capacity": capacity},
    )
    listening, speaking = levels
    services.save_language(
        SYSTEM,
        person,
        {
            "code": code,
            "listening": listening,
            "speaking": speaking,
            "certificate_number": cert,
            "certificate_date": dt.date(2024, 6, 15) if cert else None,
            "certificate_issuer": "Trường Chính trị tỉnh" if cert else "",
        },
    )
    return person


@pytest.fixture
def officer(charlie, camly, hamlets):
    """charlie (Cam Ly officer) speaks K'Ho at 4/5 with a certificate and lives in the far hamlet."""
    return speaker(camly, "Ka Charlie", hamlets[1], (4, 4), cert="KHO-24-0158", user=charlie)


@pytest.fixture
def colleague(camly, hamlets):
    """An uncertified K'Ho speaker (3/5) who lives in the near hamlet."""
    return speaker(camly, "Trần Văn Bình", hamlets[0], (3, 3))


@pytest.fixture
def leader(camly):
    return UserFactory(
        username="camly.lanhdao", full_name="Lãnh đạo Cam Ly", role="commune_leader", commune=camly
    )


@pytest.fixture
def citizen(camly, hamlets):
    return services.save_person(
        SYSTEM,
        commune=camly,
        data={
            "kind": Person.Kind.CITIZEN,
            "full_name": "Ka Hòa",
            "hamlet": hamlets[0],
            "preferred_language": "kpm",
            "interpreter_needed": True,
        },
    )
