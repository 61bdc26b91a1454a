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


@pytest.fixture
def scorecard_dossiers(di_linh, cam_ly, khai_sinh):
    """Two communes with coordinates (for the scorecard's map) and three dossiers: Di Linh on time and digitised in
    November 2025, late in August; Cam Ly late in December."""
    from .factories import DossierFactory, vn

    di_linh.lat, di_linh.lon = 11.58, 108.07
    di_linh.save()
    cam_ly.lat, cam_ly.lon = 11.94, 108.43
    cam_ly.save()
    DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 11, 3, 9), finished_at=vn(2025, 11, 4, 9),
                   is_on_time=True, documents_digitised=True, result_electronic=True)  # fmt: skip
    DossierFactory(commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 8, 4, 9), finished_at=vn(2025, 8, 5, 9),
                   is_on_time=False)  # fmt: skip
    DossierFactory(commune=cam_ly, procedure=khai_sinh, received_at=vn(2025, 12, 1, 9), finished_at=vn(2025, 12, 9, 9),
                   is_on_time=False)  # fmt: skip
