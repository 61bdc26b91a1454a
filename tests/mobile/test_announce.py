"""A trip told to the hamlets' citizens: the trip's page, the preview, the confirmation, the state afterwards, and
the page without any announcer. Mobile hands the trip to the kernel registry's announcer (outreach registers one)
as plain data; the clock is pinned (conftest) to Tuesday 3 March 2026, 15:00; the trip is on Thursday 5 March."""

from datetime import date, time

import pytest

from civicdesk.community.models import Person
from civicdesk.kernel.registry import AnnouncementState, VisitAnnouncement, registry
from civicdesk.mobile import services
from civicdesk.mobile.reports import trip_report
from civicdesk.outreach import services as outreach
from civicdesk.outreach.models import Campaign, Message
from tests.factories import HamletFactory

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(mai, cat_tien, khai_sinh):
    cat_tien.lat, cat_tien.lon = 11.60, 107.35
    cat_tien.save()
    thon1 = HamletFactory(commune=cat_tien, name="Thôn 1", lat=11.60, lon=107.37)
    thon2 = HamletFactory(commune=cat_tien, name="Thôn 2", lat=11.60, lon=107.39)
    stops = [{"hamlet": h, "window_start": start, "window_end": end, "service_minutes": 60}
             for h, start, end in ((thon1, time(8, 0), time(10, 0)), (thon2, time(13, 0), time(15, 0)))]  # fmt: skip
    return services.plan_trip(
        mai, cat_tien, day=date(2026, 3, 5), title="Thôn 1, Thôn 2", leave_at=time(7, 30), back_by=time(17, 0),
        stops=stops, procedure_codes=["HT-001"],
    )  # fmt: skip


@pytest.fixture
def citizens(trip, cat_tien, tien):
    thon1 = trip.stops.get(hamlet__name="Thôn 1").hamlet
    made = {}
    for name, phone, consent in (("Điểu K'Lang", "+84912345678", ("sms",)), ("Điểu Thị Bé", "+84912345679", ()),
                                 ("Thị Nhung", "+84912345670", ("sms",))):  # fmt: skip
        person = Person.objects.create(province=cat_tien.province, commune=cat_tien, kind=Person.Kind.CITIZEN,
                                       full_name=name, phone=phone, hamlet=thon1)  # fmt: skip
        for channel in consent:
            outreach.record_consent(tien, person, channel, source="Họp thôn ngày 01/03")
        made[name] = person
    outreach.add_do_not_contact(
        tien, made["Thị Nhung"], reason="requested", source="Người dân đề nghị tại xã"
    )
    return made


def test_the_trip_page_offers_the_announcement_and_the_preview_shows_who_and_what(
    client_for, tien, trip, citizens
):
    page = client_for(tien).get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert "Thông báo cho người dân" in page and f"/mobile/trips/{trip.pk}/announce/" in page
    preview = client_for(tien).get(f"/mobile/trips/{trip.pk}/announce/")
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Điểu K&#x27;Lang" in text and "Nhắn SMS" in text  # the officer sees the names
    assert "chưa đồng ý" in text and "không được liên hệ" in text  # Bé: no consent; Nhung: do-not-contact
    assert "thứ Năm 05/03, 08:00-09:00, tổ lưu động nhận hồ sơ tại Thôn 1" in text
    assert "Đăng ký khai sinh" in text
    assert not Campaign.objects.exists()  # nothing is sent before the confirmation


def test_confirming_sends_once_and_the_page_shows_the_state(
    client_for, tien, mai, trip, citizens, django_capture_on_commit_callbacks
):
    client = client_for(mai)  # a team member may announce too (and sees counts, not names)
    assert "Điểu K&#x27;Lang" not in client.get(f"/mobile/trips/{trip.pk}/announce/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1", "bring": "giấy chứng sinh"})
    assert done.status_code == 302
    message = Message.objects.get()
    assert message.target.person == citizens["Điểu K'Lang"] and "giấy chứng sinh" in message.body
    assert message.status == "queued"  # no gateway configured: it waits, with the reason, on outreach's pages
    campaign = Campaign.objects.get()
    assert campaign.theme == "mobile_trip" and campaign.source_key == f"mobile.trip:{trip.pk}"
    client.post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1"})
    assert Message.objects.count() == 1 and Campaign.objects.count() == 1  # twice: nobody is told twice
    page = client_for(tien).get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert "Đã thông báo lúc 15:00 03/03/2026" in page and f"/outreach/campaigns/{campaign.pk}/" in page
    assert "tin nhắn đang chờ gửi" in page


def test_a_new_date_offers_a_correction(client_for, tien, trip, citizens):
    client = client_for(tien)
    client.post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1"})
    client.post(f"/mobile/trips/{trip.pk}/day/", {"day": "2026-03-06"})
    page = client.get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert "Gửi đính chính" in page
    preview = client.get(f"/mobile/trips/{trip.pk}/announce/").content.decode()
    assert "ĐÍNH CHÍNH: " in preview and "06/03/2026" in preview
    client.post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1"})
    assert Message.objects.count() == 2 and Message.objects.order_by("-pk").first().body.startswith(
        "ĐÍNH CHÍNH"
    )


def test_a_past_trip_cannot_be_announced(client_for, tien, trip, citizens, time_machine):
    time_machine.move_to(vn(2026, 3, 6, 9, 0))
    page = client_for(tien).get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert f"/mobile/trips/{trip.pk}/announce/" not in page and "không thông báo được" in page
    refused = client_for(tien).post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1"})
    assert refused.status_code == 400 and "Chuyến đi đã qua" in refused.content.decode()
    assert not Campaign.objects.exists()


def test_another_commune_cannot_see_nor_announce(client_for, charlie, alice, trip, citizens):
    for user in (charlie, alice):
        client = client_for(user)
        assert client.get(f"/mobile/trips/{trip.pk}/announce/").status_code == 404
        assert client.post(f"/mobile/trips/{trip.pk}/announce/", {"confirm": "1"}).status_code == 404
        assert client.post(f"/mobile/trips/{trip.pk}/day/", {"day": "2026-03-06"}).status_code == 404
    assert not Campaign.objects.exists()


class Recorder:
    """A stand-in announcer: what mobile hands over through the registry, and nothing else."""

    def __init__(self):
        self.calls = []

    def can_announce(self, user, commune_id):
        return True

    def preview(self, user, announcement, at=None):
        raise AssertionError("not used here")

    def announce(self, user, announcement, at=None):
        self.calls.append(announcement)
        return AnnouncementState(None, announcement.day, 0, 0, 0, 0, 0, False)

    def state(self, user, announcement):
        return None

    def reached_among(self, key, people):
        return None


def test_mobile_hands_the_trip_over_as_plain_data(monkeypatch, mai, trip):
    recorder = Recorder()
    monkeypatch.setattr(registry, "announcer", recorder)
    services.announce_trip(mai, trip, places={trip.stops.get(hamlet__name="Thôn 2").pk: "Sân nhà văn hóa"})
    (sent,) = recorder.calls
    assert isinstance(sent, VisitAnnouncement) and sent.key == f"mobile.trip:{trip.pk}"
    assert sent.commune_id == trip.commune_id and sent.day == date(2026, 3, 5)
    assert [(s.hamlet, s.start, s.end, s.place) for s in sent.stops] == [
        ("Thôn 1", time(8, 0), time(9, 0), ""),
        ("Thôn 2", time(13, 0), time(14, 0), "Sân nhà văn hóa"),
    ]
    assert sent.procedures == ("Đăng ký khai sinh",)


def test_without_an_announcer_the_page_says_nothing_of_it(monkeypatch, client_for, tien, trip):
    monkeypatch.setattr(registry, "announcer", None)
    page = client_for(tien).get(f"/mobile/trips/{trip.pk}/")
    assert page.status_code == 200 and "Thông báo cho người dân" not in page.content.decode()
    assert client_for(tien).get(f"/mobile/trips/{trip.pk}/announce/").status_code == 404
    assert trip_report(trip).announced is None
