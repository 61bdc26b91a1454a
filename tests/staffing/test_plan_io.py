"""Tests for civicdesk.staffing.plan_io: CSV parsing, validation messages with file and line numbers."""

from __future__ import annotations

import io

import pytest

from civicdesk.staffing.optimizer import Commune, Need, Staff, solve
from civicdesk.staffing.plan_io import (
    PlanInputError,
    load_plan_input,
    read_communes,
    read_needs,
    read_quotas,
    read_staff,
)

COMMUNES = "commune_code,lat,lon\nX1,16.1,107.2\nX2,16.3,107.5\n"
NEEDS = "commune_code,field,units,priority\nX1,y_te,2,5\nX2,y_te,1,3\nX2,giao_duc,1,4\n"
STAFF = (
    "staff_id,department,fields,home_lat,home_lon\n"
    "CB1,SYT,y_te,16.1,107.2\n"
    "CB2,SGD,giao_duc;y_te,16.3,107.5\n"
    'CB3,SYT," y_te ; ",16.2,107.3\n'
)
QUOTAS = "department,max_release\nSYT,2\nSGD,1\n"


def write(tmp_path, name: str, text: str, encoding: str = "utf-8", newline: str = "\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def files(tmp_path, communes=COMMUNES, needs=NEEDS, staff=STAFF, quotas=QUOTAS):
    return (
        write(tmp_path, "communes.csv", communes),
        write(tmp_path, "needs.csv", needs),
        write(tmp_path, "staff.csv", staff),
        write(tmp_path, "quotas.csv", quotas) if quotas is not None else None,
    )


def errors_of(fn, *args) -> list[str]:
    with pytest.raises(PlanInputError) as exc:
        fn(*args)
    assert str(exc.value) == "\n".join(exc.value.errors)
    return exc.value.errors


def test_happy_path_reads_everything(tmp_path):
    c, n, s, q = files(tmp_path)
    assert read_communes(c) == [Commune("X1", 16.1, 107.2), Commune("X2", 16.3, 107.5)]
    assert read_needs(n)[2] == Need("X2", "giao_duc", 1, 4)
    staff = read_staff(s)
    assert staff[1] == Staff("CB2", "SGD", frozenset({"giao_duc", "y_te"}), 16.3, 107.5)
    assert staff[2].fields == frozenset({"y_te"})  # spaces and a trailing ';' are tolerated
    assert read_quotas(q) == {"SYT": 2, "SGD": 1}
    inp = load_plan_input(c, n, s, q, 3, 0.05, 2)
    assert (inp.total, inp.distance_weight, inp.max_per_commune) == (3, 0.05, 2)
    assert len(inp.communes) == 2 and len(inp.needs) == 3 and len(inp.staff) == 3
    assert solve(inp).status == "optimal"


def test_bom_crlf_and_column_order_are_accepted(tmp_path):
    text = "lon,commune_code,lat\n107.2,X1,16.1\n"
    path = write(tmp_path, "communes.csv", text, encoding="utf-8-sig", newline="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_communes(path) == [Commune("X1", 16.1, 107.2)]


def test_bad_priority_message_names_file_and_line(tmp_path):
    rows = ["X1,f1,1,5", "X1,f2,1,4", "X1,f3,1,3", "X1,f4,1,2", "X1,f5,1,1", "X1,f6,1,x"]
    path = write(tmp_path, "needs.csv", "commune_code,field,units,priority\n" + "\n".join(rows) + "\n")
    errors = errors_of(read_needs, path)
    assert len(errors) == 1
    assert errors[0].startswith("needs.csv dòng 7: priority phải là số nguyên từ 1 đến 5 (nhận được 'x')")


def test_every_row_error_is_collected(tmp_path):
    text = (
        "commune_code,field,units,priority\n"
        "X1,y_te,-1,3\n"  # line 2: units < 0
        "X1,y_te,1,6\n"  # line 3: duplicate need and priority > 5
        ",giao_duc,1.5,2\n"  # line 4: empty commune_code, units not an integer
        "\n"  # line 5: blank -> skipped, numbering continues
        "X2,dat_dai,1,0\n"  # line 6
        "X2,dat_dai,1\n"  # line 7: too few columns
    )
    errors = errors_of(read_needs, write(tmp_path, "needs.csv", text))
    joined = "\n".join(errors)
    assert "needs.csv dòng 2: units phải là số nguyên ≥ 0 (nhận được '-1')" in joined
    assert "needs.csv dòng 3: priority phải là số nguyên từ 1 đến 5 (nhận được '6')" in joined
    assert "needs.csv dòng 3: nhu cầu (X1, y_te) bị trùng (đã có ở dòng 2)" in joined
    assert "needs.csv dòng 4: commune_code không được để trống" in joined
    assert "needs.csv dòng 4: units phải là số nguyên ≥ 0 (nhận được '1.5')" in joined
    assert "needs.csv dòng 6: priority" in joined
    assert "needs.csv dòng 7: có 3 cột, cần 4 cột" in joined
    assert len(errors) == 7


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        ("commune_code,lat", "dòng 1: thiếu cột 'lon'"),
        ("commune_code,lat,lon,ten", "dòng 1: cột thừa 'ten'"),
        ("commune_code,lat,lat,lon", "dòng 1: cột 'lat' bị lặp"),
        ("commune_code;lat;lon", "dấu ';'"),
    ],
)
def test_header_problems(tmp_path, header, needle):
    errors = errors_of(read_communes, write(tmp_path, "communes.csv", header + "\nX1,16,107\n"))
    assert any(e.startswith("communes.csv ") and needle in e for e in errors), errors


def test_empty_file_and_missing_file(tmp_path):
    errors = errors_of(read_staff, write(tmp_path, "staff.csv", ""))
    assert errors == [
        "staff.csv dòng 1: tệp trống, thiếu dòng tiêu đề (staff_id, department, fields, home_lat, home_lon)."
    ]
    errors = errors_of(read_staff, tmp_path / "khong_co.csv")
    assert errors == ["khong_co.csv: không tìm thấy tệp."]


def test_coordinates_are_validated(tmp_path):
    text = 'commune_code,lat,lon\nX1,91,107\nX2,16,181\nX3,nan,107\nX4,"16,5",107\nX5,abc,\nX1,16,107\n'
    errors = errors_of(read_communes, write(tmp_path, "communes.csv", text))
    joined = "\n".join(errors)
    assert "communes.csv dòng 2: lat phải là số thực từ -90 đến 90 (nhận được '91')" in joined
    assert "communes.csv dòng 3: lon phải là số thực từ -180 đến 180 (nhận được '181')" in joined
    assert "communes.csv dòng 4: lat" in joined  # NaN is not a coordinate
    assert "dòng 5: lat" in joined and "dấu chấm" in joined  # decimal comma gets a hint
    assert "communes.csv dòng 6: lat" in joined and "communes.csv dòng 6: lon" in joined
    assert "communes.csv dòng 7: commune_code 'X1' bị trùng (đã có ở dòng 2)" in joined


def test_staff_validation(tmp_path):
    text = (
        "staff_id,department,fields,home_lat,home_lon\n"
        "CB1,SYT,,16,107\n"  # empty fields
        "CB2,,y_te,16,107\n"  # empty department
        "CB3,SYT, ; ,16,107\n"  # only separators
        "CB4,SYT,y_te,-91,107\n"
        "CB4,SYT,y_te,16,107\n"  # duplicate id
    )
    errors = errors_of(read_staff, write(tmp_path, "staff.csv", text))
    joined = "\n".join(errors)
    assert "staff.csv dòng 2: fields không được để trống" in joined
    assert "staff.csv dòng 3: department không được để trống" in joined
    assert "staff.csv dòng 4: fields không được để trống" in joined
    assert "staff.csv dòng 5: home_lat phải là số thực" in joined
    assert "staff.csv dòng 6: staff_id 'CB4' bị trùng (đã có ở dòng 5)" in joined


def test_quotas(tmp_path):
    assert read_quotas(None) is None
    assert read_quotas(write(tmp_path, "quotas.csv", "department,max_release\n")) == {}  # empty -> no limit
    text = "department,max_release\nSYT,2\nSYT,3\nSGD,-1\nSNN,hai\n"
    errors = errors_of(read_quotas, write(tmp_path, "quotas.csv", text))
    assert "quotas.csv dòng 3: department 'SYT' bị trùng (đã có ở dòng 2)." in errors
    assert any(e.startswith("quotas.csv dòng 4: max_release phải là số nguyên ≥ 0") for e in errors)
    assert any(e.startswith("quotas.csv dòng 5: max_release") for e in errors)


def test_load_collects_errors_across_all_files(tmp_path):
    c, n, s, q = files(
        tmp_path,
        communes="commune_code,lat,lon\nX1,16.1,107.2\nX2,95,107\n",
        needs=NEEDS + "X9,y_te,1,3\n",
        staff="staff_id,department,fields,home_lat,home_lon\nCB1,SYT,,16,107\n",
        quotas="department,max\n",
    )
    errors = errors_of(load_plan_input, c, n, s, q, -1, "abc", 2)
    joined = "\n".join(errors)
    assert "communes.csv dòng 3: lat" in joined
    # X2 has a bad coordinate but the code itself exists, so only X9 is unknown
    assert "needs.csv dòng 5: xã 'X9' không có trong danh sách xã." in errors
    assert "needs.csv dòng 3" not in joined
    assert "staff.csv dòng 2: fields không được để trống" in joined
    assert "quotas.csv dòng 1: thiếu cột 'max_release'" in joined
    assert "quotas.csv dòng 1: cột thừa 'max'" in joined
    assert "Tham số total phải là số nguyên ≥ 0 (nhận được '-1')." in errors
    assert "Tham số distance_weight phải là số thực ≥ 0 (nhận được 'abc')." in errors


def test_load_without_quota_file_means_no_limit(tmp_path):
    c, n, s, _ = files(tmp_path, quotas=None)
    inp = load_plan_input(c, n, s, None, "3", "0.05", "2")
    assert inp.quotas is None and inp.total == 3 and inp.max_per_commune == 2


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "staff.csv"
    # Windows-1258 bytes, as an old Excel "CSV" export would write them: not valid UTF-8.
    path.write_bytes(b"staff_id,department,fields,home_lat,home_lon\nCB1,S\xd5 Y t\xea,y_te,16,107\n")
    errors = errors_of(read_staff, path)
    assert len(errors) == 1 and errors[0].startswith("staff.csv: tệp không phải mã UTF-8")


def test_file_like_objects_are_accepted():
    upload = io.BytesIO(("\ufeff" + COMMUNES).encode("utf-8"))
    upload.name = "xa_tai_len.csv"
    assert len(read_communes(upload)) == 2
    bad = io.StringIO("commune_code,lat,lon\nX1,16,999\n")
    errors = errors_of(read_communes, bad)
    assert errors[0].startswith("communes.csv dòng 2: lon")  # no name -> the canonical file name


def test_vietnamese_text_survives(tmp_path):
    text = "staff_id,department,fields,home_lat,home_lon\nCB1,Sở Y tế,y_tế;giáo_dục,16,107\n"
    staff = read_staff(write(tmp_path, "staff.csv", text, encoding="utf-8-sig"))
    assert staff[0].department == "Sở Y tế" and staff[0].fields == frozenset({"y_tế", "giáo_dục"})
