from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicdesk.core import demo
from civicdesk.core.models import Department, User, WorkingGroup

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_core_demo_is_idempotent_and_lists_every_account(settings):
    settings.DEMO_PASSWORD = "mat-khau-minh-hoa-2026"
    demo.load()
    counts = (User.objects.count(), Department.objects.count(), WorkingGroup.objects.count())
    demo.load()
    assert (User.objects.count(), Department.objects.count(), WorkingGroup.objects.count()) == counts
    logins = {username: unit for username, _role, unit in demo.demo_logins()}
    assert logins["dilinh.canbo"] == "Xã Di Linh"
    assert logins["camly.canbo"] == "Phường Cam Ly - Đà Lạt"
    assert logins["cattien3.canbo"] == "Xã Cát Tiên 3"
    assert logins["tuphap.chuyenvien"] == "Sở Tư pháp"
    assert User.objects.get(username="tinh.admin").check_password("mat-khau-minh-hoa-2026")
    admin = User.objects.get(username="tinh.admin")
    assert admin.is_staff and admin.has_perm("core.change_department")


@pytest.mark.django_db
def test_reset_passwords(settings):
    demo.load()
    settings.DEMO_PASSWORD = "mat-khau-moi-2026-lam-dong"
    demo.demo_logins(reset_passwords=True)
    assert User.objects.get(username="dilinh.canbo").check_password("mat-khau-moi-2026-lam-dong")


@pytest.mark.django_db
def test_the_anchor_is_stored_once_and_kept(settings):
    from datetime import date

    from django.core.exceptions import ValidationError

    from civicdesk.core.models import DemoAnchor

    with time_machine.travel(datetime(2027, 2, 8, 9, 0, tzinfo=VN)):
        assert demo.demo_clock().today == date(2027, 2, 8)  # first load: today
    assert demo.demo_clock().today == date(2027, 2, 8)  # later loads: the stored day, not today
    assert demo.demo_clock(date(2027, 2, 8)).now == datetime(2027, 2, 8, 0, 0, tzinfo=VN)
    with pytest.raises(ValidationError) as refused:
        demo.demo_clock(date(2028, 2, 29))
    assert "08/02/2027" in refused.value.messages[0] and "29/02/2028" in refused.value.messages[0]
    assert DemoAnchor.objects.count() == 1


def test_an_anchor_is_a_day():
    from datetime import date

    from django.core.exceptions import ValidationError

    assert demo.parse_anchor(" 2028-02-29 ") == date(2028, 2, 29)
    assert demo.parse_anchor("") is None
    with pytest.raises(ValidationError) as refused:
        demo.parse_anchor("29/02/2028")
    assert "NNNN-TT-NN" in refused.value.messages[0]


@pytest.mark.django_db
def test_the_command_refuses_another_anchor_before_loading_anything(settings):
    from datetime import date

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from civicdesk.core.models import DemoAnchor

    DemoAnchor.objects.create(anchor=date(2027, 2, 8))
    with pytest.raises(CommandError, match="08/02/2027"):
        call_command("demo", "--anchor", "2027-12-31", stdout=StringIO())
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("demo", "--anchor", "31-12-2027", stdout=StringIO())
    assert not User.objects.exists()
