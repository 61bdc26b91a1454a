from collections import Counter

import pytest
from django.core.management import call_command

from civicdesk.geo.models import Commune, Province


@pytest.mark.django_db
def test_loads_all_34_provinces_and_3321_communes_idempotently(capsys):
    call_command("load_units")
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    lam_dong = Commune.objects.filter(province__code=68)
    assert Counter(lam_dong.values_list("division_type", flat=True)) == {
        "xa": 103,
        "phuong": 20,
        "dac_khu": 1,
    }
    assert Commune.objects.get(code=23272).name == "Đặc khu Phú Quý"
    assert Commune.objects.get(code=25000).name == "Xã Di Linh"
    assert Commune.objects.get(code=25162).name == "Xã Cát Tiên 3"
    assert Commune.objects.get(code=24787).name == "Phường Cam Ly - Đà Lạt"

    Commune.objects.filter(code=25000).update(lat=11.58, lon=108.07)
    capsys.readouterr()
    call_command("load_units")
    assert "0 mới, 0 cập nhật" in capsys.readouterr().out
    assert Commune.objects.count() == 3321
    assert Commune.objects.get(code=25000).lat == 11.58  # coordinates survive a reload


@pytest.mark.django_db
def test_load_one_province():
    call_command("load_units", "--province", "68")
    assert Province.objects.count() == 1 and Commune.objects.count() == 124
