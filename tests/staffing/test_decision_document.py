"""The decision draft (DOCX): the number as the planner typed it, everyone's position, always in Vietnamese, and
nothing a user typed can break the file."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.utils import translation
from docx import Document

from civicdesk.staffing import services
from civicdesk.staffing.documents import decision_docx, plain_text
from tests.factories import CommuneFactory, DepartmentFactory, ProvinceFactory, UserFactory

from .factories import PlanFactory, SecondmentFactory, StaffMemberFactory

# What Word refuses (XML 1.0) and what no name should carry (controls, bidi overrides, zero-width characters).
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


def text_of(data):
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(paragraphs + cells)


def annex_rows(data):
    table = Document(io.BytesIO(data)).tables[-1]
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture
def approved(noi, needs, pool, lam_dong):
    def approve(decision_number=""):
        plan = services.solve_plan_now(noi, PlanFactory(province=lam_dong, total=4))
        plan = services.approve_plan(noi, plan, decision_number=decision_number)
        return plan, list(plan.secondments.select_related("staff__department", "staff__user", "commune"))

    return approve


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("125/QĐ-UBND", "125/QĐ-UBND"),
        ("125", "125/QĐ-UBND"),
        ("  Số: 125/QĐ-UBND ", "125/QĐ-UBND"),
        ("125/QĐ-SNV", "125/QĐ-SNV"),
        ("", "……/QĐ-UBND"),
    ],
)
def test_the_decision_number_is_printed_once_however_it_was_typed(approved, typed, printed):
    plan, secondments = approved(typed)
    text = text_of(decision_docx(plan, secondments))
    assert f"Số: {printed}\n" in text + "\n"
    assert f"Kèm theo Quyết định số {printed} ngày" in text
    assert "/QĐ-UBND/QĐ-UBND" not in text


def test_the_annex_gives_everyones_position(approved, pool):
    pool[0].position = "Chuyên viên chính"
    pool[0].save()
    # no position in the pool but one on the person's account: the account says what their post is
    pool[1].user = UserFactory(username="tp2", role="department_expert", position="Chuyên viên")
    pool[1].save()
    plan, secondments = approved()
    rows = {row[1]: row[2] for row in annex_rows(decision_docx(plan, secondments))[1:]}
    assert rows[pool[0].full_name] == "Chuyên viên chính"
    assert rows[pool[1].full_name] == "Chuyên viên"
    # nobody knows: a blank for the officer to fill in, as for the date, never an empty cell
    assert rows[pool[2].full_name] == "……"
    assert all(rows.values())


def test_one_persons_decision_names_their_position(lam_dong, tu_phap):
    staff = StaffMemberFactory(
        province=lam_dong, department=tu_phap, full_name="Đặng Thu", position="Chuyên viên"
    )
    s = SecondmentFactory(staff=staff, commune=CommuneFactory(province=lam_dong, name="Xã Bảo Thuận"))
    text = text_of(decision_docx(s.plan, [s]))
    assert "Biệt phái ông/bà Đặng Thu, Chuyên viên, Sở Tư pháp, đến công tác tại Xã Bảo Thuận" in text


def test_the_decision_is_in_vietnamese_whatever_the_page_language(client_for, noi, approved):
    plan, secondments = approved("125")
    with translation.override("en"):
        text = text_of(decision_docx(plan, secondments))
        assert translation.get_language() == "en"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "QUYẾT ĐỊNH:" in text
    assert "Chức vụ, ngạch" in text and "Hộ tịch, chứng thực" in text
    assert "SOCIALIST REPUBLIC" not in text and "Civil status" not in text

    client = client_for(noi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Secondment plans" in client.get("/staffing/plans/").content.decode()  # the pages are in English
    response = client.get(f"/staffing/plans/{plan.pk}/decision.docx")
    assert response.status_code == 200
    assert "DANH SÁCH CÔNG CHỨC, VIÊN CHỨC ĐƯỢC BIỆT PHÁI" in text_of(response.content)
    single = client.get(f"/staffing/secondments/{secondments[0].pk}/decision.docx")
    assert "Điều 1." in text_of(single.content) and "Article" not in text_of(single.content)


def test_what_users_typed_cannot_break_the_document(client_for, noi, lam_dong, tu_phap):
    """Control characters pasted from a PDF, a bidi override, a BOM: Word would refuse the file; the draft drops
    them and keeps the words."""
    tu_phap.name = "Sở\x0bTư pháp"
    tu_phap.save()
    staff = StaffMemberFactory(
        province=lam_dong,
        department=tu_phap,
        full_name="Nguyễn\x01 Văn\u202e An\ufeff",
        position="Chuyên\x07 viên\tchính",
    )
    commune = CommuneFactory(province=lam_dong, name="Xã\x1f Đinh\u200b Văn")
    plan = PlanFactory(province=lam_dong, status="approved", decision_number="12\x015/QĐ-UBND")
    first = SecondmentFactory(plan=plan, staff=staff, commune=commune)
    SecondmentFactory(
        plan=plan, staff=StaffMemberFactory(province=lam_dong, department=tu_phap), commune=commune
    )
    client = client_for(noi)
    for url in (
        f"/staffing/plans/{plan.pk}/decision.docx",
        f"/staffing/secondments/{first.pk}/decision.docx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
            xml = docx.read("word/document.xml").decode()
        assert not UNSAFE.search(xml), url
        text = text_of(response.content)
        assert "Nguyễn Văn An" in text and "Sở Tư pháp" in text and "Xã Đinh Văn" in text
    assert "Chuyên viên chính" in text and "Số: 125/QĐ-UBND" in text


def test_plain_text_keeps_vietnamese_and_drops_the_rest():
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks: composed for Word
    assert plain_text(decomposed) == "Nguyễn"
    assert plain_text("  Lê\r\nThị\u2028Hoa\x85 ") == "Lê Thị Hoa"
    assert plain_text("K'Ho — Mạ, Chu Ru") == "K'Ho — Mạ, Chu Ru"
    assert plain_text(None) == "" and plain_text(42) == "42"


def test_a_city_is_not_called_a_province(noi):
    hanoi = ProvinceFactory(code=1, name="Thành phố Hà Nội", division_type="thành phố trung ương")
    department = DepartmentFactory(province=hanoi, name="Sở Tư pháp")
    staff = StaffMemberFactory(province=hanoi, department=department, position="Chuyên viên")
    s = SecondmentFactory(
        plan=PlanFactory(province=hanoi, status="approved", period_start=date(2026, 1, 5)),
        staff=staff,
        commune=CommuneFactory(province=hanoi, name="Phường Ba Đình"),
    )
    text = text_of(decision_docx(s.plan, [s]))
    assert "THÀNH PHỐ HÀ NỘI" in text and "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" in text
    assert "Hà Nội, ngày" in text
    assert "TỈNH THÀNH PHỐ" not in text and "Thành phố Hà Nội, ngày" not in text
