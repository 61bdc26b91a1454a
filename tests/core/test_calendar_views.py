import time_machine

from civicdesk.core.models import AuditEvent, CalendarDay


@time_machine.travel("2026-02-20 09:00 +0700", tick=False)
def test_province_admin_declares_a_working_saturday(client_for, quan):
    client = client_for(quan)
    response = client.post("/calendar/days/", {"date": "2026-03-07", "kind": "working", "note": "Làm bù"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2026-03-07").kind == "working"
    assert AuditEvent.objects.filter(object_type="core.calendarday", actor=quan).exists()
    page = client.get("/calendar/").content.decode()
    assert "Làm bù" in page
    client.post("/calendar/days/2026-03-07/delete/")
    assert not CalendarDay.objects.exists()


def test_invalid_calendar_form_keeps_what_was_typed(client_for, quan):
    response = client_for(quan).post("/calendar/days/", {"date": "", "kind": "off", "note": "Nghỉ lễ tỉnh"})
    assert response.status_code == 400
    assert "Nghỉ lễ tỉnh" in response.content.decode()


def test_commune_officer_cannot_edit_the_calendar(client_for, alice):
    client = client_for(alice)
    assert client.post("/calendar/days/", {"date": "2026-03-07", "kind": "working"}).status_code == 403
    assert client.post("/calendar/days/2026-03-07/delete/").status_code == 403
    assert not CalendarDay.objects.exists()
    assert "Khai báo ngày làm bù" not in client.get("/calendar/").content.decode()


def test_calculator_returns_a_partial_for_htmx_and_a_page_otherwise(client_for, alice):
    client = client_for(alice)
    params = {"start": "2026-02-13T16:30", "amount": 3, "unit": "d"}
    partial = client.get("/calendar/calculate/", params, HTTP_HX_REQUEST="true").content.decode()
    assert "2026-02-25T16:30:00+07:00" in partial and "<html" not in partial
    full = client.get("/calendar/calculate/", params).content.decode()
    assert "2026-02-25T16:30:00+07:00" in full and "<html" in full
