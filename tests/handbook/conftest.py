import pytest

from civicdesk.handbook.fields import ensure_fields
from civicdesk.handbook.models import Procedure
from tests.factories import SYSTEM, UserFactory

from .factories import procedure_data


@pytest.fixture
def fields(db):
    return ensure_fields()


@pytest.fixture
def phap2(tu_phap):
    """A second Sở Tư pháp expert: the reviewer of phap's changes."""
    return UserFactory(username="phap2", full_name="Trần Duyệt", role="department_expert", department=tu_phap)


@pytest.fixture
def operator(lam_dong):
    return UserFactory(username="dai", full_name="Hoàng Đài", role="hotline_operator", province=lam_dong)


@pytest.fixture
def published(fields, tu_phap):
    """A published civil-status procedure (Sở Tư pháp), loaded like the seed."""
    from civicdesk.handbook.services import import_records

    report = import_records(
        [procedure_data("HT-100", name="Đăng ký khai sinh", keywords=["lam giay khai sinh"])], actor=SYSTEM
    )
    assert report.ok, report.errors
    return Procedure.objects.get(code="HT-100")


@pytest.fixture
def draft(fields, tu_phap, phap):
    from civicdesk.handbook.services import save_record

    return save_record(phap, None, procedure_data("HT-200", name="Đăng ký kết hôn"))


@pytest.fixture(autouse=True)
def database_search():
    """These tests are about the handbook's own database search; the assistant's index (registered as the search
    backend when the apps load) is tested in tests/assistant/test_handbook_backend.py."""
    from civicdesk.handbook import queries

    previous = queries._backend
    queries.register_search_backend(None)
    yield
    queries.register_search_backend(previous)
