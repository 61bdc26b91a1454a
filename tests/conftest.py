"""Shared fixtures: a small Lâm Đồng, its departments, and named people.

alice (Xã Di Linh officer) and her leader linh work in one commune; charlie (Phường Cam Ly officer) must have no
access to Di Linh's records; phap is a Sở Tư pháp expert, lam a Sở Nông nghiệp và Môi trường expert; quan is the
province admin and noi the Home Affairs planner.
"""

import inspect
import os
from pathlib import Path

os.environ.setdefault("CIVICDESK_TESTING", "1")

import pytest
from django.conf import settings
from django.template import TemplateSyntaxError

from tests.factories import CommuneFactory, DepartmentFactory, ProvinceFactory, UserFactory

OUR_TEMPLATES = str(Path(settings.BASE_DIR))


def pytest_configure(config):
    """`CIVICDESK_TEST_TODAY=2027-02-08 make test`: the whole run believes it is that day (09:00 in Vietnam).

    CI runs the suite on several such days (Tết, 31 December, 29 February) besides the real one, so a test that
    passes only near the day it was written fails there. The clock keeps ticking from that instant; tests that
    pin their own time with time-machine still do so inside it.
    """
    day = os.environ.get("CIVICDESK_TEST_TODAY", "").strip()
    if day:
        import datetime as dt

        import time_machine

        start = dt.datetime.combine(
            dt.date.fromisoformat(day), dt.time(9, 0), dt.timezone(dt.timedelta(hours=7))
        )
        config._civicdesk_travel = time_machine.travel(start, tick=True)
        config._civicdesk_travel.start()


def pytest_unconfigure(config):
    travel = getattr(config, "_civicdesk_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config):
    day = os.environ.get("CIVICDESK_TEST_TODAY", "").strip()
    return f"civicdesk: the clock is set to {day} 09:00 +07:00" if day else None


class InvalidVarException(str):
    """Fail on undefined template variables in our own templates (Django's admin templates rely on them)."""

    def __mod__(self, other):
        frame = inspect.currentframe().f_back
        context = frame.f_locals.get("context") if frame else None
        origin = getattr(getattr(getattr(context, "template", None), "origin", None), "name", "") or ""
        if origin.startswith(OUR_TEMPLATES):
            raise TemplateSyntaxError(f"Undefined template variable {other!r} in {origin}")
        return ""

    def __bool__(self):
        return True


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    for engine in settings.TEMPLATES:
        engine["OPTIONS"]["string_if_invalid"] = InvalidVarException("%s")
    from django.template import engines

    for engine in engines.all():
        engine.engine.string_if_invalid = InvalidVarException("%s")
    yield


@pytest.fixture(autouse=True, scope="session")
def _private_var(tmp_path_factory):
    """Each test process writes under a var/ of its own, never the checkout's var/.

    `make test` runs the suite in several processes at once (pytest-xdist), each on its own test database. The
    assistant's index files are named after a counter in the database (`index-<IndexState.version>.npz`, and each
    save removes the others): in one shared folder a worker would load the other's `index-1.npz`, built from other
    records. Uploads (MEDIA_ROOT) and the `civicdesk` commands a test starts (CIVICDESK_VAR) move along, and the
    checkout's own var/ (a developer's database and index) is left alone. tmp_path_factory is per worker.
    """
    from django.test.utils import override_settings

    var = tmp_path_factory.mktemp("var")
    overrides = override_settings(VAR_DIR=var, MEDIA_ROOT=var / "media", STATIC_ROOT=var / "static")
    overrides.enable()
    before = os.environ.get("CIVICDESK_VAR")
    os.environ["CIVICDESK_VAR"] = str(var)  # for the commands tests start (subprocess)
    yield var
    if before is None:
        os.environ.pop("CIVICDESK_VAR", None)
    else:
        os.environ["CIVICDESK_VAR"] = before
    overrides.disable()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def lam_dong(db):
    return ProvinceFactory(code=68, name="Lâm Đồng", codename="lam_dong")


@pytest.fixture
def di_linh(lam_dong):
    return CommuneFactory(code=25000, name="Xã Di Linh", province=lam_dong, division_type="xa")


@pytest.fixture
def cam_ly(lam_dong):
    return CommuneFactory(
        code=24787, name="Phường Cam Ly - Đà Lạt", province=lam_dong, division_type="phuong"
    )


@pytest.fixture
def other_province_commune(db):
    return CommuneFactory(
        code=26734, name="Phường Sài Gòn", province=ProvinceFactory(code=79, name="Hồ Chí Minh")
    )


@pytest.fixture
def tu_phap(lam_dong):
    return DepartmentFactory(province=lam_dong, code="tu-phap", name="Sở Tư pháp")


@pytest.fixture
def nnmt(lam_dong):
    return DepartmentFactory(
        province=lam_dong, code="nong-nghiep-moi-truong", name="Sở Nông nghiệp và Môi trường"
    )


@pytest.fixture
def alice(di_linh):
    return UserFactory(username="alice", full_name="K'Brơi Alice", role="commune_officer", commune=di_linh)


@pytest.fixture
def linh(di_linh):
    return UserFactory(username="linh", full_name="Nguyễn Linh", role="commune_leader", commune=di_linh)


@pytest.fixture
def charlie(cam_ly):
    return UserFactory(username="charlie", full_name="Ka Charlie", role="commune_officer", commune=cam_ly)


@pytest.fixture
def phap(tu_phap):
    return UserFactory(username="phap", full_name="Lê Pháp", role="department_expert", department=tu_phap)


@pytest.fixture
def lam(nnmt):
    return UserFactory(username="lam", full_name="Phạm Lâm", role="department_expert", department=nnmt)


@pytest.fixture
def quan(lam_dong):
    return UserFactory(
        username="quan", full_name="Nguyễn Quản", role="province_admin", province=lam_dong, is_staff=True
    )


@pytest.fixture
def noi(lam_dong):
    return UserFactory(username="noi", full_name="Trần Nội", role="home_affairs_planner", province=lam_dong)


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(alice).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
