import pytest

from civicdesk.core import demo
from civicdesk.core.models import Department, User, WorkingGroup


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
