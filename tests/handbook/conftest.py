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


@pytest.fixture
def citing(fields, tu_phap, nnmt, phap):
    """Published records citing Nghị định 123/2015/NĐ-CP in each place a record cites (two departments), and
    one citing only 23/2015 (a different decree whose number is inside 123/2015)."""
    from civicdesk.handbook.models import Faq, Guide
    from civicdesk.handbook.services import import_records

    from .factories import guide_data

    records = [
        procedure_data("HT-301", name="Đăng ký khai sinh", legal_basis=["Nghị định số 123/2015/NĐ-CP"]),
        procedure_data(
            "HT-302",
            name="Đăng ký kết hôn",
            legal_basis=["Luật Hộ tịch 2014"],
            notes="Theo NĐ 123/2015 Điều 18.",
        ),
        procedure_data(
            "DD-301",
            name="Hòa giải tranh chấp đất đai",
            field="dat_dai",
            legal_basis=["Luật Đất đai năm 2024 (Luật số 31/2024/QH15)"],
            steps=["Nộp đơn", "Xác nhận theo Nghị định 123/2015/NĐ CP"],
        ),
        procedure_data(
            "CT-301", name="Chứng thực bản sao", field="chung_thuc", legal_basis=["23/2015/NĐ-CP"]
        ),
        guide_data(
            "hd-ho-tich",
            title="Hướng dẫn ghi sổ hộ tịch",
            department="tu-phap",
            sections=[{"heading": "Căn cứ", "body": "Ghi sổ theo nghị định 123/2015/nđ-cp."}],
        ),
        {
            "kind": "faq",
            "slug": "hd-trich-luc",
            "question": "Xin trích lục khai sinh ở đâu?",
            "answer": "Tại UBND cấp xã (Nghị định số 123/2015).",
            "field": "ho_tich",
            "sources": [],
            "related_procedures": [],
            "keywords": [],
            "source": "",
            "verification": "verified",
            "verification_note": "",
        },
    ]
    report = import_records(records, actor=SYSTEM)
    assert report.ok, report.errors
    from civicdesk.handbook.services import mark_verified

    mark_verified(phap, Faq.objects.get(slug="hd-trich-luc"))  # a verification names its reviewer
    return {
        "HT-301": Procedure.objects.get(code="HT-301"),
        "HT-302": Procedure.objects.get(code="HT-302"),
        "DD-301": Procedure.objects.get(code="DD-301"),
        "CT-301": Procedure.objects.get(code="CT-301"),
        "guide": Guide.objects.get(slug="hd-ho-tich"),
        "faq": Faq.objects.get(slug="hd-trich-luc"),
    }
