"""National codes (issue 20): matching the national list's names to ours, proposals an editor accepts, missing codes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from civicdesk.core.models import AuditEvent
from civicdesk.handbook.matching import Matcher, normalise
from civicdesk.handbook.models import NationalList, Procedure

from .factories import FieldFactory, ProcedureFactory

HEADER = ["STT", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Lĩnh vực", "Mức độ DVC"]


def xlsx(rows, title="DANH SÁCH THỦ TỤC HÀNH CHÍNH"):
    """An export as the national portal writes it: a title line, the header, then one procedure a line."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("tthc.xlsx", buffer.getvalue())


@pytest.fixture
def catalogue(fields, tu_phap, nnmt):
    ho_tich = FieldFactory(code="ho_tich")
    dat_dai = FieldFactory(code="dat_dai", name="Đất đai", default_department_code="nong-nghiep-moi-truong")
    return {
        "khai_sinh": ProcedureFactory(
            code="HT-001", name="Đăng ký khai sinh", field=ho_tich, department=tu_phap
        ),
        "ket_hon": ProcedureFactory(code="HT-002", name="Đăng ký kết hôn", field=ho_tich, department=tu_phap),
        "khai_tu": ProcedureFactory(
            code="HT-003", name="Đăng ký khai tử có yếu tố nước ngoài", field=ho_tich, department=tu_phap
        ),
        "dat": ProcedureFactory(
            code="DD-001", name="Đăng ký biến động đất đai", field=dat_dai, department=nnmt
        ),
    }


ROWS = [
    ["1", "1.001193", "Thủ tục đăng ký khai sinh.", "Cấp xã", "Hộ tịch", "Toàn trình"],  # line 3: exact
    ["2", "1.000894", "ĐĂNG KÝ KẾT HÔN", "Cấp xã", "Hộ tịch", "Một phần"],  # line 4: exact, accents gone
    ["3", "2.000986", "Đăng ký khai tử có yếu tố nước ngoài tại xã", "Cấp xã", "Hộ tịch", ""],  # 5: near
    ["4", "1.004227", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Cấp xã", "Xây dựng", "Một phần"],  # 6: none
    [
        "5",
        "1.012345",
        "Đăng ký biến động đất đai",
        "Cấp xã",
        "Đất đai",
        "Một phần",
    ],  # 7: another department's
]


# The matcher ----------------------------------------------------------------------------------------------------


class Named:
    def __init__(self, name):
        self.name = name


def test_normalise_folds_accents_punctuation_and_the_prefix():
    assert normalise("Thủ tục: Đăng ký khai sinh.") == "dang ky khai sinh"
    assert normalise("  TTHC đăng-ký   KHAI SINH ") == "dang ky khai sinh"


def test_the_matcher_finds_exact_names_through_accents_and_punctuation():
    khai_sinh = Named("Đăng ký khai sinh")
    matcher = Matcher([khai_sinh, Named("Đăng ký kết hôn")])
    for name in (
        "Đăng ký khai sinh",
        "Thủ tục đăng ký khai sinh.",
        "DANG KY KHAI SINH",
        "Đăng ký, khai sinh",
    ):
        match = matcher.best(name)
        assert match.candidate is khai_sinh and match.exact and match.score == 1.0, name


def test_a_near_name_gets_its_top_candidate_and_a_score():
    khai_tu = Named("Đăng ký khai tử có yếu tố nước ngoài")
    matcher = Matcher([khai_tu, Named("Đăng ký khai sinh"), Named("Đăng ký kết hôn")])
    match = matcher.best("Đăng ký khai tử có yếu tố nước ngoài tại xã")
    assert match.candidate is khai_tu and not match.exact and 0.75 <= match.score < 1


def test_an_unrelated_name_has_no_match():
    matcher = Matcher([Named("Đăng ký khai sinh"), Named("Đăng ký kết hôn")])
    assert matcher.best("Cấp giấy phép xây dựng nhà ở riêng lẻ") is None
    assert matcher.best("") is None


# Upload → proposals → accept ------------------------------------------------------------------------------------


def _upload(client, upload):
    return client.post("/handbook/national-codes/", {"file": upload})


def test_an_editor_uploads_reviews_and_accepts_proposals(client_for, phap, catalogue):
    client = client_for(phap)
    response = _upload(client, xlsx(ROWS))
    uploaded = NationalList.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/handbook/national-codes/{uploaded.pk}/"
    # Uploading writes nothing to a procedure.
    assert not Procedure.objects.exclude(national_code="").exists()

    html = client.get(response["Location"]).content.decode()
    assert "1.001193" in html and "1.000894" in html and "2.000986" in html
    assert "trùng tên" in html and "HT-003" in html
    # Another department's procedure is not proposed to a Sở Tư pháp expert; the unmatched line is listed apart.
    assert "DD-001" not in html
    assert "dòng 6: 1.004227" in html and "dòng 7: 1.012345" in html

    # One by one.
    response = client.post(response["Location"], {"only": "3"})
    assert response.status_code == 302
    khai_sinh = Procedure.objects.get(code="HT-001")
    assert (khai_sinh.national_code, khai_sinh.online_level) == ("1.001193", "toan_trinh")
    assert khai_sinh.national_code_source.startswith("Danh sách TTHC quốc gia tải lên ngày ")
    assert khai_sinh.national_code_source.endswith(", dòng 3")
    assert Procedure.objects.get(code="HT-002").national_code == ""
    event = AuditEvent.objects.get(object_type="handbook.procedure", object_id=str(khai_sinh.pk))
    assert event.actor == phap and event.changes["national_code"] == ["", "1.001193"]

    # Several ticked at once.
    client.post(uploaded.get_absolute_url(), {"line": ["4", "5"]})
    ket_hon, khai_tu = Procedure.objects.get(code="HT-002"), Procedure.objects.get(code="HT-003")
    assert (ket_hon.national_code, ket_hon.online_level) == ("1.000894", "mot_phan")
    assert (khai_tu.national_code, khai_tu.online_level) == ("2.000986", "")
    assert khai_tu.national_code_source.endswith("dòng 5")
    assert "Đã ghi" in client.get(uploaded.get_absolute_url()).content.decode()


def test_a_line_without_a_proposal_writes_nothing(client_for, phap, catalogue):
    client = client_for(phap)
    _upload(client, xlsx(ROWS))
    uploaded = NationalList.objects.get()
    # Line 7 matches only another department's procedure: a tampered post cannot aim it there.
    response = client.post(uploaded.get_absolute_url(), {"line": ["3", "7"]}, follow=True)
    assert "Không có đề xuất cho dòng: 7" in response.content.decode()
    assert not Procedure.objects.exclude(national_code="").exists()


def test_a_pending_change_keeps_the_accepted_code(client_for, phap, catalogue):
    from civicdesk.handbook.records import working_data
    from civicdesk.handbook.services import save_record

    khai_sinh = catalogue["khai_sinh"]
    data = {**working_data(khai_sinh), "summary": "Tóm tắt mới"}
    khai_sinh = save_record(phap, khai_sinh, data)
    assert khai_sinh.pending_revision_id
    client = client_for(phap)
    _upload(client, xlsx(ROWS))
    client.post(NationalList.objects.get().get_absolute_url(), {"only": "3"})
    khai_sinh.refresh_from_db()
    assert khai_sinh.pending_revision.data["national_code"] == "1.001193"


def test_a_commune_officer_is_refused(client_for, alice, catalogue, phap):
    client_for(phap)
    _upload(client_for(phap), xlsx(ROWS))
    uploaded = NationalList.objects.get()
    client = client_for(alice)
    assert client.get("/handbook/national-codes/").status_code == 403
    assert _upload(client, xlsx(ROWS)).status_code == 403
    assert client.get(uploaded.get_absolute_url()).status_code == 403
    assert client.post(uploaded.get_absolute_url(), {"only": "3"}).status_code == 403
    assert client.get("/handbook/national-codes/missing/").status_code == 403
    assert NationalList.objects.count() == 1 and not Procedure.objects.exclude(national_code="").exists()


def test_another_editor_does_not_see_my_upload(client_for, phap, lam, catalogue):
    _upload(client_for(phap), xlsx(ROWS))
    assert client_for(lam).get(NationalList.objects.get().get_absolute_url()).status_code == 404


# Bad files ------------------------------------------------------------------------------------------------------


def test_a_bad_csv_is_refused_whole_with_its_lines(client_for, phap, catalogue):
    text = (
        "Mã TTHC,Tên thủ tục,Dịch vụ công trực tuyến\n"
        "1.001193,Đăng ký khai sinh,Toàn trình\n"
        ",Đăng ký kết hôn,Một phần\n"
        "1.000894,Đăng ký\x0bkết hôn,\n"
        "1.001193,Đăng ký khai tử,Mức 4\n"
    )
    response = _upload(client_for(phap), SimpleUploadedFile("tthc.csv", text.encode()))
    html = response.content.decode()
    assert response.status_code == 400
    assert "dòng 3: thiếu Mã thủ tục." in html
    assert "dòng 4, cột “Tên thủ tục”: có ký tự điều khiển không nhìn thấy (U+000B)." in html
    assert "dòng 5: mã 1.001193 đã có ở dòng 2." in html
    assert "dòng 5, cột “Dịch vụ công trực tuyến”: mức độ “Mức 4” không rõ" in html
    assert NationalList.objects.count() == 0 and not Procedure.objects.exclude(national_code="").exists()


def test_a_code_excel_turned_into_a_number_is_not_guessed(client_for, phap, catalogue):
    response = _upload(client_for(phap), xlsx([["1", 1.00013, "Đăng ký khai sinh", "", "", ""]]))
    assert response.status_code == 400
    assert "dòng 3, cột “Mã thủ tục”: mã thủ tục là một số" in response.content.decode()
    assert NationalList.objects.count() == 0


def test_a_file_without_the_columns_or_not_a_spreadsheet(client_for, phap, catalogue):
    client = client_for(phap)
    response = _upload(client, SimpleUploadedFile("tthc.csv", "Tên,Ghi chú\nA,B\n".encode()))
    assert response.status_code == 400 and "không tìm thấy dòng tiêu đề" in response.content.decode()
    response = _upload(client, SimpleUploadedFile("tthc.xlsx", b"PK\x03\x04 not a zip"))
    assert response.status_code == 400 and "không mở được tệp Excel" in response.content.decode()
    assert NationalList.objects.count() == 0


def test_a_json_export_is_read_with_its_lines(client_for, phap, catalogue):
    text = '[\n{"Mã thủ tục": "1.001193", "Tên thủ tục": "Đăng ký khai sinh"},\n{"Tên thủ tục": "Kết hôn"}\n]'
    response = _upload(client_for(phap), SimpleUploadedFile("tthc.json", text.encode()))
    assert response.status_code == 400 and "dòng 3: thiếu Mã thủ tục." in response.content.decode()
    good = '[{"Mã TTHC": "1.001193", "Tên TTHC": "Đăng ký khai sinh"}]'
    assert _upload(client_for(phap), SimpleUploadedFile("tthc.json", good.encode())).status_code == 302
    assert NationalList.objects.get().rows == [
        {"line": 1, "national_code": "1.001193", "name": "Đăng ký khai sinh"}
    ]


# Missing codes --------------------------------------------------------------------------------------------------


def test_the_missing_codes_page_lists_and_counts(client_for, quan, catalogue):
    Procedure.objects.filter(code="HT-002").update(national_code="1.000894", national_code_source="thử")
    client = client_for(quan)
    html = client.get("/handbook/national-codes/missing/").content.decode()
    assert "HT-001" in html and "HT-003" in html and "DD-001" in html and "HT-002" not in html
    assert '<span class="badge">3</span>' in html
    html = client.get("/handbook/national-codes/missing/?field=dat_dai").content.decode()
    assert "DD-001" in html and "HT-001" not in html and '<span class="badge">1</span>' in html
    queue = client.get("/handbook/queue/").content.decode()
    assert "/handbook/national-codes/missing/" in queue and "/handbook/national-codes/" in queue


def test_a_reimport_without_codes_keeps_an_accepted_code(published, phap, quan):
    from civicdesk.handbook.services import import_records, set_national_code
    from tests.factories import SYSTEM

    from .factories import procedure_data

    set_national_code(
        quan, published, code="1.001193", online_level="toan_trinh", source="Danh sách thử, dòng 3"
    )
    report = import_records([procedure_data("HT-100", name="Đăng ký khai sinh", summary="Mới")], actor=SYSTEM)
    assert report.ok and report.updated == 1
    published.refresh_from_db()
    assert (published.national_code, published.online_level) == ("1.001193", "toan_trinh")
    assert published.national_code_source == "Danh sách thử, dòng 3"
    import_records(
        [procedure_data("HT-100", name="Đăng ký khai sinh", national_code="1.009999")], actor=SYSTEM
    )
    published.refresh_from_db()
    assert (published.national_code, published.national_code_source) == ("1.009999", "Nhập dữ liệu")


def test_a_code_is_never_written_without_a_source(published, quan):
    from django.core.exceptions import ValidationError

    from civicdesk.handbook.services import set_national_code

    with pytest.raises(ValidationError):
        set_national_code(quan, published, code="1.001193", source="")
    with pytest.raises(ValidationError):
        set_national_code(quan, published, code="1.0\x0b01193", source="Danh sách")
    published.refresh_from_db()
    assert published.national_code == ""


def test_a_code_typed_in_the_edit_form_drops_the_old_source(draft, phap):
    from civicdesk.handbook.records import working_data
    from civicdesk.handbook.services import save_record, set_national_code

    set_national_code(phap, draft, code="1.000894", source="Danh sách thử, dòng 4")
    draft.refresh_from_db()
    save_record(phap, draft, {**working_data(draft), "summary": "Khác"})
    draft.refresh_from_db()
    assert draft.national_code_source == "Danh sách thử, dòng 4"
    save_record(phap, draft, {**working_data(draft), "national_code": "1.000999"})
    draft.refresh_from_db()
    assert (draft.national_code, draft.national_code_source) == ("1.000999", "")
