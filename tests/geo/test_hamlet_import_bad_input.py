"""Issue 13 (item 6): superscript digits, over-long names, control characters and unreadable lines in a hamlet file
are named by line and column; nothing is written."""

from civicdesk.geo.models import Hamlet
from civicdesk.geo.services import import_hamlets

HEADER = "commune_code,name,kind,lat,lon,population\n"


def test_superscript_digits_and_long_names_are_refused_by_line(quan, di_linh):
    text = (
        HEADER + "25000²,Thôn 1,thon,,,\n" + f"25000,{'T' * 100_000},thon,,,\n" + "25000,Thôn 3,thon,,,2²\n"
    )
    report = import_hamlets(quan, text)
    joined = "\n".join(report.errors)
    assert "Dòng 2, cột commune_code" in joined
    assert "Dòng 3, cột name: tên dài 100000 ký tự, tối đa 120" in joined
    assert "Dòng 4, cột population" in joined
    assert not Hamlet.objects.exists()


def test_control_characters_and_a_huge_cell(quan, di_linh):
    report = import_hamlets(quan, HEADER + "25000,Thôn\x0b1,thon,,,\n")
    assert report.errors == ["Dòng 2, cột name: có ký tự điều khiển không nhìn thấy."]
    report = import_hamlets(quan, HEADER + "25000,Thôn 1,thon,,,\n" + f'25000,"{"x" * 140_000}",thon,,,\n')
    assert report.errors == ["Dòng 3: một ô dài quá 131.072 ký tự."]
    assert not Hamlet.objects.exists()
