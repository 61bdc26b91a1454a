"""Issue 17's flow through the pages: the coordinator generates, auto-rosters and publishes a period; a volunteer
signs up, checks in with the shift's QR page, logs three citizens (one linked to a dossier) and sees them counted."""

import datetime as dt

import pytest

from civicdesk.volunteers.models import Booking, Help, Shift
from tests.servicedesk.factories import DossierFactory

from .conftest import MONDAY, vn

pytestmark = pytest.mark.django_db


def test_the_coordinator_generates_rosters_and_publishes(client_for, alice, vy, tuan, templates):
    client = client_for(alice)
    period = {"start": str(MONDAY), "end": str(MONDAY + dt.timedelta(days=4))}
    page = client.post("/volunteers/generate/", period, follow=True).content.decode()
    assert "Đã tạo 10 ca mới" in page and Shift.objects.count() == 10
    page = client.post("/volunteers/roster/", period, follow=True).content.decode()
    assert "Đã xếp 6 lượt trực cho 10 ca: đủ 6/10 người cần." in page
    assert "Ca còn thiếu người, vì sao" in page and "đã đủ số ca tối đa" in page
    page = client.post("/volunteers/publish/", period, follow=True).content.decode()
    assert "Đã công bố 10 ca" in page
    assert set(Shift.objects.values_list("status", flat=True)) == {"published"}
    shift = Shift.objects.order_by("day", "part").first()
    detail = client.get(f"/volunteers/shifts/{shift.pk}/").content.decode()
    assert "<svg" in detail and f"/volunteers/checkin/{shift.pk}/{shift.checkin_token}/" in detail


def test_a_volunteer_signs_up_checks_in_and_logs_citizens(
    client_for, alice, di_linh, vy, week, khai_sinh, _pinned
):
    client = client_for(vy.person.user)
    shift = week[0]  # Monday 07:30–11:30
    assert client.get("/volunteers/").status_code == 302  # a volunteer's menu leads to their own page
    page = client.get("/volunteers/mine/").content.decode()
    assert "Ca còn nhận đăng ký" in page
    client.post(f"/volunteers/mine/shifts/{shift.pk}/sign-up/")
    assert Booking.objects.get(shift=shift, volunteer=vy).status == "confirmed"
    _pinned.move_to(vn(2026, 3, 2, 7, 35))
    client = client_for(vy.person.user)
    url = f"/volunteers/checkin/{shift.pk}/{shift.checkin_token}/"
    assert "Điểm danh đến" in client.get(url).content.decode()
    done = client.post(url, follow=True).content.decode()
    assert "Đã điểm danh đến ca" in done and "Đang trực: ghi người dân được hỗ trợ" in done
    dossier = DossierFactory(commune=di_linh, procedure=khai_sinh, channel="truc_tuyen_ho_tro",
                             received_at=vn(2026, 3, 2, 7, 30))  # fmt: skip
    _pinned.move_to(vn(2026, 3, 2, 9, 0))
    client = client_for(vy.person.user)
    client.post("/volunteers/mine/help/", {"procedure_code": "HT-001", "filed_online": "on"})
    client.post("/volunteers/mine/help/", {"procedure_code": "HT-001"})
    bad = client.post("/volunteers/mine/help/", {"dossier_code": "25000-999999-999", "note": "giữ lại"})
    assert bad.status_code == 400 and "giữ lại" in bad.content.decode()  # what was typed stays
    client.post("/volunteers/mine/help/", {"dossier_code": dossier.code})
    assert Help.objects.filter(volunteer=vy).count() == 3
    assert Help.objects.filter(dossier=dossier).exists()
    _pinned.move_to(vn(2026, 3, 2, 11, 30))
    client = client_for(vy.person.user)
    client.post(url)
    page = client.get("/volunteers/mine/").content.decode()
    assert "<strong>3</strong>người dân đã hỗ trợ" in page.replace("\n", "")
    assert "<strong>3,9</strong>" in page or "<strong>3.9</strong>" in page  # 07:35–11:30 is 3 h 55 min


def test_other_communes_and_non_volunteers_are_refused(client_for, charlie, alice, vy, week):
    shift = week[0]
    assert client_for(charlie).get(f"/volunteers/shifts/{shift.pk}/").status_code == 404
    assert client_for(charlie).post(f"/volunteers/mine/shifts/{shift.pk}/sign-up/").status_code == 404
    assert client_for(alice).get("/volunteers/mine/").status_code == 200  # says there is no volunteer profile
    assert client_for(vy.person.user).get(f"/volunteers/shifts/{shift.pk}/").status_code == 403


def _rows(changes=None):
    """The templates form as posted: 12 rows (Monday–Saturday × morning, afternoon), Mon–Fri active."""
    data = {
        "form-TOTAL_FORMS": "12",
        "form-INITIAL_FORMS": "12",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "14",
    }
    n = 0
    for weekday in range(6):
        for part, (start, end) in (("am", ("07:30", "11:30")), ("pm", ("13:30", "17:00"))):
            row = {"weekday": weekday, "part": part, "start": start, "end": end, "minimum": 2, "maximum": 4}
            if weekday < 5:
                row["is_active"] = "on"
            row.update((changes or {}).get(n, {}))
            data.update({f"form-{n}-{k}": v for k, v in row.items()})
            n += 1
    return data


def test_the_coordinator_sets_the_week_of_templates(client_for, alice, di_linh):
    from civicdesk.volunteers.models import ShiftTemplate

    client = client_for(alice)
    assert "Ca mẫu của xã" in client.get("/volunteers/templates/").content.decode()
    bad = client.post("/volunteers/templates/", _rows({0: {"minimum": 5, "maximum": 3}}))
    assert bad.status_code == 400 and ShiftTemplate.objects.count() == 0  # one bad row: nothing saved
    assert 'value="5"' in bad.content.decode()  # what was typed stays
    done = client.post("/volunteers/templates/", _rows({1: {"skills": "vneid"}}), follow=True)
    assert "Đã lưu ca mẫu của xã." in done.content.decode()
    assert ShiftTemplate.objects.filter(is_active=True).count() == 10
    assert ShiftTemplate.objects.get(weekday=0, part="pm").skills == ["vneid"]


def test_a_volunteer_asks_to_hand_a_shift_to_another(client_for, alice, vy, tuan, week):
    from civicdesk.volunteers import services
    from civicdesk.volunteers.models import ChangeRequest

    booking = services.book(alice, week[2], vy)
    client = client_for(vy.person.user)
    assert "Xin đổi cho bạn khác" in client.get("/volunteers/mine/").content.decode()
    done = client.post(f"/volunteers/mine/bookings/{booking.pk}/swap/", {"to_volunteer": tuan.pk, "reason": "Ốm"},
                       follow=True).content.decode()  # fmt: skip
    assert "Đã gửi đề nghị đổi ca" in done
    change = ChangeRequest.objects.get()
    assert (change.kind, change.to_volunteer, change.status) == ("swap", tuan, "pending")
    assert "Đề nghị chờ duyệt" in client_for(alice).get("/volunteers/").content.decode()


def test_a_roster_cut_short_says_how_far_from_the_best_it_may_be(client_for, alice, di_linh, templates):
    from civicdesk.volunteers.models import RosterRun

    RosterRun.objects.create(commune=di_linh, start=MONDAY, end=MONDAY, status="FEASIBLE", gap=0.00026, seconds=10.06,
                             demand=10, covered=9, bookings=9, by=alice)  # fmt: skip
    page = client_for(alice).get("/volunteers/").content.decode()
    assert "cách tối ưu tối đa 0,03 %" in page and "FEASIBLE" not in page and "đã chứng minh" not in page
