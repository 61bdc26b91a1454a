"""Staffing fixtures: Di Linh and Cam Ly with coordinates and needs, a small pool, a secondee with an account."""

import pytest
from django.utils import translation

from tests.factories import UserFactory

from .factories import NeedFactory, StaffMemberFactory


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request with the language cookie leaves its language active in the thread: start each test afresh."""
    yield
    translation.deactivate()


@pytest.fixture
def located(di_linh, cam_ly):
    di_linh.lat, di_linh.lon = 11.58, 108.07
    di_linh.save()
    cam_ly.lat, cam_ly.lon = 11.94, 108.42
    cam_ly.save()
    return di_linh, cam_ly


@pytest.fixture
def needs(located):
    di_linh, cam_ly = located
    return [
        NeedFactory(commune=di_linh, field="ho_tich", units=2, priority=5),
        NeedFactory(commune=di_linh, field="dat_dai", units=1, priority=3),
        NeedFactory(commune=cam_ly, field="ho_tich", units=1, priority=2),
    ]


@pytest.fixture
def pool(lam_dong, tu_phap, nnmt):
    return [
        StaffMemberFactory(province=lam_dong, department=tu_phap, code="TP1", fields=["ho_tich"]),
        StaffMemberFactory(province=lam_dong, department=tu_phap, code="TP2", fields=["ho_tich", "mot_cua"]),
        StaffMemberFactory(
            province=lam_dong, department=nnmt, code="NN1", fields=["dat_dai"], home_lat=11.6, home_lon=108.1
        ),
        StaffMemberFactory(province=lam_dong, department=nnmt, code="NN2", fields=["dat_dai", "ho_tich"]),
    ]


@pytest.fixture
def secondee_user(tu_phap):
    return UserFactory(username="thu", full_name="Đặng Thu", role="department_expert", department=tu_phap)


@pytest.fixture
def secondee(lam_dong, tu_phap, secondee_user):
    return StaffMemberFactory(
        province=lam_dong,
        department=tu_phap,
        code="TP9",
        full_name="Đặng Thu",
        user=secondee_user,
        fields=["ho_tich"],
    )
