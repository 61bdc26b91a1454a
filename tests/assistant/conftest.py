"""A small published handbook in the database (and one draft that must never be cited)."""

import pytest

from civicdesk.assistant import store
from civicdesk.handbook.models import Procedure
from tests.handbook.factories import FaqFactory, FieldFactory, GuideFactory, ProcedureFactory


@pytest.fixture(autouse=True)
def _index_dir(settings, tmp_path):
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "assistant-index")
    settings.ASSISTANT_LLM_URL = ""
    settings.ASSISTANT_EMBEDDING_MODEL = ""
    store.reset()
    yield
    store.reset()


@pytest.fixture
def handbook(db):
    ho_tich = FieldFactory(code="ho_tich", name="Hộ tịch")
    cu_tru = FieldFactory(code="cu_tru", name="Cư trú, căn cước (Công an)")
    birth = ProcedureFactory(
        code="HT-001",
        name="Đăng ký khai sinh",
        field=ho_tich,
        summary="Đăng ký khai sinh cho trẻ em tại UBND cấp xã nơi cư trú của cha hoặc mẹ.",
        agency="Ủy ban nhân dân cấp xã",
        keywords=["khai sanh", "làm giấy khai sinh cho con"],
        steps=["Nộp tờ khai và Giấy chứng sinh tại bộ phận một cửa.", "Nhận Giấy khai sinh."],
        methods=[{"method": "truc_tiep", "processing_days": 0, "processing_text": "Giải quyết ngay trong ngày.",
                  "fee_text": "Miễn lệ phí khi đăng ký đúng hạn (trong 60 ngày kể từ ngày sinh).", "fee_amount": None}],
        components=[
            {"name": "Tờ khai đăng ký khai sinh (theo mẫu)", "original": 1, "copy": 0, "required": True, "note": ""},
            {"name": "Giấy chứng sinh", "original": 1, "copy": 0, "required": True, "note": ""},
        ],
        legal_basis=["Luật Hộ tịch năm 2014"],
        online_url="https://dichvucong.gov.vn",
        verification="verified",
    )  # fmt: skip
    residence = ProcedureFactory(
        code="CTR-001", name="Đăng ký thường trú", field=cu_tru, agency="Công an cấp xã", police=True,
        keywords=["nhập hộ khẩu"], summary="Đăng ký thường trú tại Công an cấp xã.",
    )  # fmt: skip
    single = ProcedureFactory(
        code="HT-015", name="Cấp Giấy xác nhận tình trạng hôn nhân", field=ho_tich,
        keywords=["giấy độc thân"], summary="Xác nhận tình trạng hôn nhân của công dân.",
    )  # fmt: skip
    ProcedureFactory(code="HT-099", name="Đăng ký nuôi chim cảnh bí mật", status=Procedure.Status.DRAFT)
    guide = GuideFactory(
        slug="chung-thuc-tai-xa", title="Chứng thực tại xã: những điểm phải kiểm tra",
        summary="Chứng thực bản sao, chữ ký tại UBND xã.",
        sections=[{"heading": "Chứng thực bản sao", "body": "Đối chiếu bản chính trước khi chứng thực bản sao."},
                  {"heading": "Sổ chứng thực", "body": "Ghi sổ chứng thực đầy đủ."}],
    )  # fmt: skip
    faq = FaqFactory(
        slug="faq-khai-sinh-qua-han", question="Đăng ký khai sinh quá hạn có bị phạt không?",
        answer="Không bị phạt; chỉ nộp lệ phí theo Nghị quyết của HĐND tỉnh.", field=ho_tich,
    )  # fmt: skip
    return {"birth": birth, "residence": residence, "single": single, "guide": guide, "faq": faq}
