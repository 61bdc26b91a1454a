import pytest

from tests.factories import UserFactory
from tests.handbook.factories import ProcedureFactory


@pytest.fixture
def khai_sinh(db):
    """A procedure with a verified limit (3 working days in person) and three components, two required."""
    return ProcedureFactory(
        code="HT-001",
        name="Đăng ký khai sinh",
        methods=[
            {"method": "truc_tiep", "processing_days": 3},
            {"method": "truc_tuyen", "processing_days": 3},
        ],
        components=[
            {
                "name": "Tờ khai đăng ký khai sinh",
                "original": 1,
                "copy": 0,
                "form": "Tờ khai",
                "required": True,
                "note": "",
            },
            {"name": "Giấy chứng sinh", "original": 1, "copy": 0, "form": None, "required": True, "note": ""},
            {
                "name": "Văn bản ủy quyền",
                "original": 1,
                "copy": 0,
                "form": None,
                "required": False,
                "note": "nếu ủy quyền",
            },
        ],
    )


@pytest.fixture
def ket_hon(db):
    """A procedure whose processing days are not verified in the handbook (null)."""
    return ProcedureFactory(
        code="HT-005",
        name="Đăng ký kết hôn",
        methods=[{"method": "truc_tiep", "processing_days": None}],
        components=[{"name": "Tờ khai đăng ký kết hôn", "original": 1, "copy": 0, "required": True}],
    )


@pytest.fixture
def tinh_nguyen(di_linh):
    """A Youth Union volunteer helping at Di Linh's centre."""
    return UserFactory(username="tnv", full_name="Đoàn viên Hà", role="volunteer", commune=di_linh)


APPLICANT = {
    "applicant_name": "Ka Huệ",
    "applicant_id_number": "068190001234",
    "applicant_phone": "0912 345 678",
    "channel": "truc_tiep",
}
