"""A plan's messages are stored as codes and read in the reader's language; the optimiser never writes a sentence;
plans stored before keep their plain sentences."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import civicdesk.staffing
from civicdesk.staffing import jobs, optimizer, services
from civicdesk.staffing.models import DepartmentQuota, Plan
from civicdesk.staffing.plan_messages import CODES, render

from .factories import PlanFactory, SecondmentFactory

START = date(2026, 3, 2)

# One example of each optimiser code, with the sentence it said in Vietnamese before it returned codes (issue 14).
BEFORE = {
    "lock_unknown_staff": "Không có cán bộ 'S9' trong danh sách nhưng lại bị khóa (bắt buộc cử/cố định).",
    "lock_send_and_not_send": "Cán bộ 'S1' vừa bắt buộc cử vừa không được cử.",
    "fixed_twice": "Phân công cố định (S1, X1, a): cán bộ 'S1' được cố định nhiều hơn một lần.",
    "fixed_not_send": "Phân công cố định (S1, X1, a): cán bộ này nằm trong danh sách không được cử.",
    "fixed_field_missing": "Phân công cố định (S1, X1, a): cán bộ không có lĩnh vực 'a'.",
    "fixed_no_need": "Phân công cố định (S1, X1, a): xã 'X1' không có nhu cầu lĩnh vực 'a'.",
    "fixed_forbidden": "Phân công cố định (S1, X1, a): cặp cán bộ–xã này bị cấm.",
    "fixed_over_need": "Số phân công cố định vào xã 'X1', lĩnh vực 'a' vượt nhu cầu (1).",
    "fixed_over_commune": "Số phân công cố định vào xã 'X1' vượt giới hạn 4 người/xã.",
    "forced_over_quota": "Phòng/ban 'D2': số người bắt buộc cử hoặc cố định vượt hạn mức (0).",
    "forced_over_total": "Số người bắt buộc cử và cố định (3) vượt tổng số được cử (2).",
    "must_send_no_need": "Cán bộ 'S1' bắt buộc cử nhưng không còn nhu cầu nào phù hợp lĩnh vực "
    "(hoặc các xã phù hợp đã đủ người).",
    "locks_jointly_infeasible": "Không có phương án thỏa mãn đồng thời các cán bộ bắt buộc cử, hạn mức phòng/ban, "
    "giới hạn mỗi xã và nhu cầu.",
    "timeout_preparing": "Hết thời gian khi đang chuẩn bị dữ liệu.",
    "progress_checking": "Đang kiểm tra dữ liệu và ràng buộc khóa",
    "progress_arcs": "Đang tính khoảng cách và các phương án khả dĩ",
    "progress_flow": "Đang giải bài toán luồng chi phí nhỏ nhất (vòng 2)",
    "progress_done": "Xong",
}
EXAMPLE_PARAMS = {
    "staff_id": "S1",
    "commune_code": "X1",
    "field": "a",
    "units": 1,
    "max_per_commune": 4,
    "department": "D2",
    "quota": 0,
    "forced": 3,
    "total": 2,
    "round": 2,
}


@pytest.mark.parametrize("code", sorted(optimizer.MESSAGE_CODES))
def test_every_optimiser_code_reads_as_its_old_vietnamese_sentence(code):
    params = {name: EXAMPLE_PARAMS[name] for name in optimizer.MESSAGE_CODES[code]}
    if code == "lock_unknown_staff":
        params["staff_id"] = "S9"
    assert code in CODES
    with translation.override("vi"):
        assert render(optimizer.message(code, **params)) == BEFORE[code]
    with translation.override("en"):
        assert "%(" not in render(optimizer.message(code, **params))


def test_a_plan_stored_before_codes_still_shows_its_sentences(db, lam_dong):
    plan = PlanFactory(province=lam_dong, message_codes=["Bỏ qua nhu cầu của 1 xã chưa có tọa độ: Xã A."])
    plan.refresh_from_db()
    assert plan.messages == ["Bỏ qua nhu cầu của 1 xã chưa có tọa độ: Xã A."]


def test_an_unknown_code_is_shown_rather_than_breaking_the_page():
    assert render({"code": "from_a_newer_version", "params": {"n": 2}}) == 'from_a_newer_version {"n": 2}'


def _short_plan_with_someone_seconded(noi, needs, pool, lam_dong, tu_phap, nnmt):
    """TP1 is seconded elsewhere for the period, quotas hold the rest back: the plan sends 3 of 4."""
    SecondmentFactory(
        staff=pool[0],
        plan=PlanFactory(province=lam_dong, status="approved", name="Đợt 1"),
        commune=needs[0].commune,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 4, 4),
    )
    DepartmentQuota.objects.create(department=tu_phap, max_release=1)
    DepartmentQuota.objects.create(department=nnmt, max_release=2)
    plan = services.create_plan(noi, lam_dong, name="Thiếu", total=4, period_start=START)
    return services.solve_plan_now(noi, plan)


def test_plan_warnings_are_stored_as_codes(noi, needs, pool, lam_dong, tu_phap, nnmt):
    plan = _short_plan_with_someone_seconded(noi, needs, pool, lam_dong, tu_phap, nnmt)
    plan.refresh_from_db()
    assert [m["code"] for m in plan.message_codes] == ["pool_left_out", "shortfall"]
    left_out, short = plan.message_codes
    assert left_out["params"] == {"start": "2026-03-02", "end": "2026-06-01", "busy": 1, "unavailable": 0}
    assert short["params"]["assigned"] == 3 and short["params"]["open_units"] == [["ho_tich", 1]]
    assert plan.messages[0] == (
        "Trong thời gian biệt phái 02/03/2026 – 01/06/2026, nguồn không gồm: 1 người đang được biệt phái."
    )


def test_an_english_reader_sees_plan_warnings_in_english(
    client_for, noi, needs, pool, lam_dong, tu_phap, nnmt
):
    plan = _short_plan_with_someone_seconded(noi, needs, pool, lam_dong, tu_phap, nnmt)
    client = client_for(noi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(plan.get_absolute_url()).content.decode()
    assert (
        "For the secondment period 02/03/2026 – 01/06/2026, the pool leaves out: 1 already seconded." in text
    )
    assert "The plan sends only 3 of 4 people" in text and "Needs still open:" in text
    assert "người đang được biệt phái" not in text and "Phương án chỉ cử được" not in text
    # The same plan, the same moment, for a Vietnamese reader.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    text = client.get(plan.get_absolute_url()).content.decode()
    assert "1 người đang được biệt phái" in text and "Phương án chỉ cử được 3 trên 4 người" in text


def test_the_api_gives_the_messages_in_the_callers_language(
    client_for, noi, needs, pool, lam_dong, tu_phap, nnmt
):
    plan = _short_plan_with_someone_seconded(noi, needs, pool, lam_dong, tu_phap, nnmt)
    client = client_for(noi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    messages = client.get(f"/api/staffing/plans/{plan.pk}").json()["messages"]
    assert messages[0].startswith("For the secondment period") and messages[1].startswith(
        "The plan sends only"
    )


def test_job_progress_is_said_in_words(noi, needs, pool, lam_dong):
    plan = services.create_plan(noi, lam_dong, name="Đợt 3", total=2, period_start=START)
    services.run_plan(noi, plan)  # the job is queued on commit; run its body here
    said = []
    jobs.solve_plan(lambda percent, message: said.append(message), plan.pk)
    assert said[0] == "Đang chuẩn bị dữ liệu" and said[-1] == "Xong"
    assert "Đang giải bài toán luồng chi phí nhỏ nhất (vòng 1)" in said
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SOLVED


VIETNAMESE = re.compile(r"[đĐ]|[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}
# Data, not sentences: demo.py's invented people and places, migrations (frozen verbose names), the province-name
# prefixes the decision document strips, the decision symbol and the "Số:" a planner may type before its number,
# and the sample row of the staff import page.
DATA_FILES = {"demo.py"}
DATA_LITERALS = {
    "documents.py": {"thành phố ", "tỉnh ", "thành phố"},
    "models/plans.py": {"QĐ-UBND", r"^s[ốo](\s*[:.]\s*|\s+)"},
    "views/pool.py": {
        "staff_id,full_name,department,fields,home_lat,home_lon,languages\n"
        "TP-001,Nguyễn Văn A,tu-phap,ho_tich;mot_cua,11.94,108.44,Tiếng Việt;K'Ho"
    },
}


def _untranslated_vietnamese(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in GETTEXT:
                allowed.update(id(sub) for sub in ast.walk(node))
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))  # docstrings
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in allowed
        and VIETNAMESE.search(node.value)
    ]


def test_no_vietnamese_sentence_outside_gettext_in_the_staffing_app():
    app = Path(civicdesk.staffing.__file__).parent
    found = {}
    for path in sorted(app.rglob("*.py")):
        rel = path.relative_to(app).as_posix()
        if rel in DATA_FILES or rel.startswith("migrations/"):
            continue
        left = [s for s in _untranslated_vietnamese(path) if s not in DATA_LITERALS.get(rel, set())]
        if left:
            found[rel] = left
    assert found == {}
