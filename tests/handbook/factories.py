import factory
from factory.django import DjangoModelFactory

from civicdesk.handbook.models import Faq, Field, Guide, Procedure


class FieldFactory(DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ["code"]

    code = "ho_tich"
    name = "Hộ tịch"
    default_department_code = "tu-phap"


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"HT-{n:03d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử {n}")
    field = factory.SubFactory(FieldFactory)
    status = Procedure.Status.PUBLISHED
    level = Procedure.Level.XA
    agency = "Ủy ban nhân dân cấp xã"
    steps = factory.LazyFunction(lambda: ["Nộp hồ sơ tại Trung tâm phục vụ hành chính công", "Nhận kết quả"])
    methods = factory.LazyFunction(
        lambda: [
            {
                "method": "truc_tiep",
                "processing_days": 3,
                "processing_text": "03 ngày làm việc",
                "fee_text": "Miễn phí",
                "fee_amount": None,
            }
        ]
    )
    components = factory.LazyFunction(
        lambda: [
            {
                "name": "Tờ khai (theo mẫu)",
                "original": 1,
                "copy": 0,
                "form": "Tờ khai",
                "required": True,
                "note": "",
            },
            {
                "name": "Giấy tờ chứng minh",
                "original": 0,
                "copy": 1,
                "form": None,
                "required": True,
                "note": "",
            },
        ]
    )
    source = "Dữ liệu thử"


class GuideFactory(DjangoModelFactory):
    class Meta:
        model = Guide
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"huong-dan-{n}")
    handbook = Guide.Handbook.PROFESSIONAL
    title = factory.Sequence(lambda n: f"Hướng dẫn thử {n}")
    status = Guide.Status.PUBLISHED
    sections = factory.LazyFunction(lambda: [{"heading": "Bước 1", "body": "Làm việc A."}])


class FaqFactory(DjangoModelFactory):
    class Meta:
        model = Faq
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"hoi-dap-{n}")
    question = factory.Sequence(lambda n: f"Câu hỏi thử {n}?")
    answer = "Câu trả lời."
    status = Faq.Status.PUBLISHED


def procedure_data(code="HT-900", **overrides):
    """A valid procedure record in the import schema (docs/handbook/schema.md)."""
    data = {
        "kind": "procedure",
        "code": code,
        "national_code": None,
        "name": f"Thủ tục thử {code}",
        "decision": None,
        "level": "xa",
        "procedure_type": None,
        "field": "ho_tich",
        "agency": "Ủy ban nhân dân cấp xã",
        "applicants": "Công dân Việt Nam",
        "steps": ["Nộp hồ sơ tại bộ phận một cửa", "Nhận kết quả"],
        "methods": [
            {
                "method": "truc_tiep",
                "processing_days": 3,
                "processing_text": "03 ngày làm việc",
                "fee_text": "Theo Nghị quyết của HĐND tỉnh",
                "fee_amount": None,
            }
        ],
        "components": [
            {"name": "Tờ khai", "original": 1, "copy": 0, "form": "Tờ khai", "required": True, "note": ""}
        ],
        "requirements": "",
        "result": "Giấy xác nhận",
        "legal_basis": ["Luật Hộ tịch 2014"],
        "online_level": "mot_phan",
        "online_url": None,
        "related": [],
        "summary": "Tóm tắt thủ tục thử.",
        "notes": "",
        "police": False,
        "keywords": ["thu tuc thu"],
        "source": "Dữ liệu thử",
        "verification": "needs_verification",
        "verification_note": "Kiểm tra mức lệ phí.",
    }
    data.update(overrides)
    return data


def guide_data(slug="huong-dan-thu", **overrides):
    data = {
        "kind": "guide",
        "slug": slug,
        "handbook": "technology",
        "title": "Hướng dẫn đăng nhập VNeID",
        "audience": "both",
        "summary": "Các bước đăng nhập.",
        "sections": [{"heading": "Bước 1", "body": "Mở ứng dụng **VNeID**."}],
        "tags": ["VNeID"],
        "related_procedures": [],
        "keywords": [],
        "source": "Dữ liệu thử",
        "verification": "needs_verification",
        "verification_note": "",
    }
    data.update(overrides)
    return data
