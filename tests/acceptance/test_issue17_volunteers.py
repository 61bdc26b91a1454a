"""Issue 17 — Youth-union volunteers. "Done when": a Di Linh coordinator generates two months of shifts, auto-rosters
40 volunteers, publishes; a volunteer signs up, gets a reminder, checks in by QR, logs three citizens helped (one
linked to a dossier); the monthly report and a PDF certificate show them.

On the demo: dilinh.canbo coordinates Xã Di Linh's 40 volunteers (and dilinh.tinhnguyen's profile, the volunteer with
an account). Every date is laid from the demo's anchor day (the day the demo was loaded): the two months start on the
Monday two weeks after the anchor's week, after the demo's own published week; the volunteer's shift is taken in the
month after the anchor's, so the month's report holds nothing of the demo's replayed history. The clock is pinned
with time-machine at each step (the coordinator on the anchor day, the volunteer the evening before, the reminder at
15:00 the day before, check-in five minutes before the shift, and so on).
"""

import io
import re
from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from urllib.parse import urlsplit

import lxml.html
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from civicdesk.core.workcal import VN_TZ, get_calendar
from tests.pdftext import pdf_text

from .conftest import DI_LINH, find_form, form_values, html, login, messages_of, submit

COORDINATOR, VOLUNTEER = "dilinh.canbo", "dilinh.tinhnguyen"
EMAIL = "tinhnguyen.dilinh@example.org"
APPLICANT_CCCD = "068199017017"


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def _months_later(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _first_of_next_month(day):
    return _months_later(day.replace(day=1), 1)


def _press(client, page, label, data):
    """Press the button `label` of the coordinator's period form (its buttons post to their own formaction)."""
    doc = lxml.html.fromstring(html(page))
    buttons = doc.xpath("//button[normalize-space()=$label]", label=label)
    assert len(buttons) == 1, f"no single button {label!r} on the page"
    form = buttons[0].xpath("ancestor::form")[0]
    values = {k: v[0] for k, v in form_values(form).items()}
    values.update({k: str(v) for k, v in data.items()})
    return client.post(buttons[0].get("formaction"), values, follow=True)


def _press_own(client, page, data=None):
    """Post the page's own form (the one without an action: the header's logout form has one), as its button does."""
    forms = [f for f in lxml.html.fromstring(html(page)).forms if not f.get("action")]
    assert len(forms) == 1, f"{len(forms)} forms without an action on the page"
    values = {k: v[0] for k, v in form_values(forms[0]).items()}
    return client.post(page.wsgi_request.get_full_path(), {**values, **(data or {})}, follow=True)


def _stats(page):
    """The page's figures: {label: number as shown} from its <ul class="stats">."""
    doc = lxml.html.fromstring(html(page))
    return {
        "".join(li.xpath("text()")).strip(): li.xpath("string(strong)").strip()
        for li in doc.xpath('//ul[@class="stats"]/li')
    }


def _comma(hours):
    return f"{hours:g}".replace(".", ",")


def pdf_lines(data):
    """A certificate's text lines (tests/pdftext.py reads reportlab's text layer without a PDF library)."""
    return pdf_text(data).splitlines()


def _after(lines, label):
    """The value printed right after `label` in the certificate's table."""
    assert label in lines, f"{label!r} not in the certificate: {lines}"
    return lines[lines.index(label) + 1]


# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def period(demo):
    """Two months from the Monday two weeks after the anchor's week (after the demo's published week)."""
    from civicdesk.core.models import DemoAnchor

    anchor = DemoAnchor.objects.get().anchor
    start = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=2)
    return anchor, start, _months_later(start, 2) - timedelta(days=1)


@pytest.fixture
def published(client, demo, period):
    """dilinh.canbo, on the anchor day, generates the two months of shifts, auto-rosters them and publishes them,
    all from the coordinator's page /volunteers/."""
    from civicdesk.volunteers.models import Booking, RosterRun, Shift, Volunteer

    anchor, start, end = period
    shifts = Shift.objects.filter(commune__code=DI_LINH, day__range=(start, end))
    active = Volunteer.objects.active().filter(person__commune__code=DI_LINH)
    assert active.count() >= 40 and not shifts.exists()
    cal = get_calendar()
    working = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    working = [day for day in working if cal.is_working_day(day)]

    with time_machine.travel(_at(anchor, 10), tick=False):
        login(client, COORDINATOR)
        page = client.get("/volunteers/", {"week": start.isoformat()})
        assert page.status_code == 200, html(page)[:1000]
        assert f"{active.count()} tình nguyện viên đang tham gia" in html(page)
        assert "Tuần này chưa có ca." in html(page)

        generated = _press(client, page, "1. Tạo ca", {"start": start, "end": end})
        assert generated.status_code == 200
        assert f"Đã tạo {2 * len(working)} ca mới; cập nhật số người cần của 0 ca." in messages_of(generated)
        # the working calendar: a morning and an afternoon on every working day, nothing on weekends or holidays
        assert sorted(set(shifts.values_list("day", flat=True))) == working
        assert shifts.count() == 2 * len(working) >= 2 * 35
        assert set(shifts.values_list("status", flat=True)) == {"draft"}
        assert all(s.minimum <= s.demand <= s.maximum for s in shifts)

        rostered = _press(client, generated, "2. Xếp lịch tự động", {"start": start, "end": end})
        run = RosterRun.objects.filter(commune__code=DI_LINH).latest("pk")  # the demo has its own run
        assert (run.start, run.end, run.shifts) == (start, end, 2 * len(working))
        assert (
            f"Đã xếp {run.bookings} lượt trực cho {run.shifts} ca: đủ {run.covered}/{run.demand} người cần."
            in messages_of(rostered)
        ), messages_of(rostered)
        assert run.status == "OPTIMAL" or (run.gap is not None and run.gap <= 0.01), (run.status, run.gap)
        # the page calls a proven optimum "tối ưu"; a search the time limit cut short says how far from it it may be
        [(label, value)] = [
            (k, v) for k, v in _stats(rostered).items() if k.startswith(("đã chứng minh", "hết"))
        ]
        if run.status == "OPTIMAL":
            assert value == "tối ưu" and label.startswith("đã chứng minh"), (label, value)
        else:
            gap = f"{run.gap * 100:.2f}".replace(".", ",")
            assert value == f"cách tối ưu tối đa {gap} %" and label.startswith("hết"), (label, value)
        roster = Booking.objects.filter(shift__in=shifts, source="roster", status="rostered")
        assert roster.count() == run.bookings > 0
        assert run.covered >= 0.9 * run.demand, (run.covered, run.demand)
        assert roster.values("volunteer").distinct().count() >= 40, "the roster left volunteers out"
        for shift in shifts.prefetch_related("bookings__volunteer__person"):
            held = [b for b in shift.bookings.all() if b.status in Booking.HOLDING]
            assert len(held) <= shift.maximum, shift
            assert all((shift.day.weekday(), shift.part) in b.volunteer.available() for b in held), shift

        done = _press(client, rostered, "3. Công bố", {"start": start, "end": end})
        assert (
            f"Đã công bố {2 * len(working)} ca: tình nguyện viên thấy lịch và đăng ký được."
            in messages_of(done)
        )
        assert set(shifts.values_list("status", flat=True)) == {"published"}
    return shifts


def test_a_volunteer_signs_up_is_reminded_checks_in_helps_and_is_counted(
    client, demo, period, published, mailoutbox
):
    from civicdesk.servicedesk.models import Dossier
    from civicdesk.volunteers.models import Booking, Help, Shift, Volunteer
    from civicdesk.volunteers.reminders import due

    anchor, start, _end = period
    me = Volunteer.objects.select_related("person__user").get(person__user__username=VOLUNTEER)
    assert me.contact_consent and not me.email
    # the volunteer's shift: in the month after the anchor's, so the demo's replayed history is in no report below
    first_day = max(start, _first_of_next_month(anchor))
    volunteer = Client()

    # 1. The evening before that day, dilinh.tinhnguyen gives an e-mail address for the reminders and signs up.
    signed_at = _at(first_day - timedelta(days=1), 20)
    with time_machine.travel(signed_at, tick=False):
        login(volunteer, VOLUNTEER)
        mine = volunteer.get("/volunteers/mine/")
        assert mine.status_code == 200 and "Ca còn nhận đăng ký" in html(mine)
        saved = submit(volunteer, mine, {"email": EMAIL}, action="/volunteers/mine/reminders/")
        assert "Đã lưu cách nhận nhắc lịch." in messages_of(saved)
        me.refresh_from_db()
        assert (me.email, me.reminder_channel, me.contact_consent) == (EMAIL, "email", True)

        offered = {
            int(m[1]): label
            for m, label in (
                (re.search(r"/volunteers/mine/shifts/(\d+)/sign-up/", form.get("action") or ""),
                 form.xpath("string(.//button)").strip())
                for form in lxml.html.fromstring(html(saved)).forms
            )
            if m
        }  # fmt: skip
        assert offered, "no shift open for sign-up on the volunteer's page"
        mine_days = set(me.bookings.values_list("shift__day", flat=True))

        def fits(shift):
            monday = shift.day - timedelta(days=shift.day.weekday())
            week = me.bookings.filter(
                status__in=Booking.HOLDING, shift__day__range=(monday, monday + timedelta(6))
            )
            return shift.day >= first_day and shift.day not in mine_days and week.count() < me.max_per_week

        candidates = [
            s for s in published.filter(pk__in=offered).order_by("day", "part") if offered[s.pk] == "Đăng ký"
        ]
        shift = next((s for s in candidates if fits(s)), None)
        assert shift is not None, f"no shift the volunteer may sign up for among {len(candidates)} offered"
        signed = submit(volunteer, saved, action=f"/volunteers/mine/shifts/{shift.pk}/sign-up/")
        assert f"Đã đăng ký ca {shift}." in messages_of(signed), messages_of(signed)
        booking = Booking.objects.get(shift=shift, volunteer=me)
        assert (booking.status, booking.source, booking.answered_at) == ("confirmed", "self", signed_at)

        # and confirms one of the shifts the roster gave them, from the same page
        asks = lxml.html.fromstring(html(signed)).xpath(
            '//form[contains(@action, "/answer/")][.//button[@value="1" and normalize-space()="Tôi sẽ đến"]]/@action'
        )
        assert asks, "the volunteer's page offers no rostered shift to confirm"
        given = Booking.objects.get(pk=int(re.search(r"/bookings/(\d+)/answer/", asks[0])[1]))
        assert (given.volunteer, given.status, given.source) == (me, "rostered", "roster")
        assert given.shift in published and given.shift.day >= signed_at.date()
        confirmed = submit(
            volunteer, signed, button={"coming": "1"}, action=f"/volunteers/mine/bookings/{given.pk}/answer/"
        )
        assert "Cảm ơn, đã ghi bạn sẽ đến." in messages_of(confirmed)
        given.refresh_from_db()
        assert given.status == "confirmed" and given.answered_at == signed_at

    # 2. The reminder, at 15:00 the day before: one e-mail with the .ics; the others have no address (or no consent).
    others = due(shift.day).count() - 1
    mailoutbox.clear()
    with time_machine.travel(_at(shift.day - timedelta(days=1), 15), tick=False):
        out = StringIO()
        call_command("volunteers", "remind", f"--day={shift.day.isoformat()}", stdout=out)
    assert (
        f"Đã gửi 1 tin nhắc: 1 qua thư điện tử, 0 qua SMS, 0 qua Zalo; {others} người chưa đồng ý nhận"
        in out.getvalue()
    ), out.getvalue()
    [mail] = mailoutbox
    assert mail.to == [EMAIL] and f"{shift.day:%d/%m/%Y}" in mail.subject
    [(name, invite, mimetype)] = mail.attachments
    assert (name, mimetype) == (f"ca-truc-{shift.day.isoformat()}.ics", "text/calendar")
    utc = "%Y%m%dT%H%M%SZ"
    begins, ends = (
        _at(shift.day, shift.start.hour, shift.start.minute),
        _at(shift.day, shift.end.hour, shift.end.minute),
    )
    assert f"DTSTART:{begins.astimezone(UTC):{utc}}\r\n" in invite
    assert f"DTEND:{ends.astimezone(UTC):{utc}}\r\n" in invite
    assert f"UID:booking-{booking.pk}@civicdesk" in invite
    booking.refresh_from_db()
    assert booking.reminder_channel == "email" and booking.reminded_at is not None

    # The "Sẽ đến" link, opened that evening without signing in: a page with one button; pressing it answers.
    yes = re.search(r"Sẽ đến: (\S+)", mail.body)[1]
    assert yes.startswith("http://civicdesk.test/volunteers/answer/")
    answered_at = _at(shift.day - timedelta(days=1), 19, 30)
    with time_machine.travel(answered_at, tick=False):
        phone = Client()
        question = phone.get(urlsplit(yes).path)
        assert question.status_code == 200 and "Xác nhận: tôi sẽ đến" in html(question)
        booking.refresh_from_db()
        assert booking.answered_at == signed_at  # opening the link answered nothing
        answered = _press_own(phone, question)
    assert answered.status_code == 200 and "Cảm ơn, đã ghi bạn sẽ đến." in html(answered)
    booking.refresh_from_db()
    assert (booking.status, booking.answered_at) == ("confirmed", answered_at)

    # 3. Check-in by the shift's QR: the coordinator's shift page shows the code and its URL; the volunteer opens it.
    arrived = begins - timedelta(minutes=5)
    with time_machine.travel(arrived, tick=False):
        login(client, COORDINATOR)
        sheet = client.get(f"/volunteers/shifts/{shift.pk}/")
        assert sheet.status_code == 200
        doc = lxml.html.fromstring(html(sheet))
        assert doc.xpath('//div[@class="qr"]//*[local-name()="svg"]'), "no QR code on the shift's page"
        [url] = re.findall(
            r"https?://\S+?/volunteers/checkin/\d+/[^/\s<]+/",
            doc.xpath("string(//section[.//div[@class='qr']])"),
        )
        assert urlsplit(url).path == f"/volunteers/checkin/{shift.pk}/{shift.checkin_token}/"
        ours = [li.text_content() for li in doc.xpath("//li") if me.person.full_name in li.text_content()]
        assert any("đã nhắc qua Thư điện tử" in text for text in ours), ours

        login(volunteer, VOLUNTEER)
        scan = volunteer.get(urlsplit(url).path)
        assert scan.status_code == 200 and "Điểm danh đến" in html(scan)
        checked_in = _press_own(volunteer, scan)
    assert f"Đã điểm danh đến ca {shift}." in messages_of(checked_in), messages_of(checked_in)
    assert "Đang trực: ghi người dân được hỗ trợ" in html(checked_in)
    booking.refresh_from_db()
    assert (booking.status, booking.check_in_at, booking.check_out_at) == ("attended", arrived, None)

    # 4. A citizen files online with help at the counter: the officer receives the dossier naming the volunteer.
    with time_machine.travel(begins + timedelta(minutes=50), tick=False):
        login(client, COORDINATOR)
        picker = client.get("/servicedesk/receive/")
        intake = submit(client, picker, {"procedure": "HT-001"}, contains="procedure")
        boxes = lxml.html.fromstring(html(intake)).xpath('//input[@name="components"]/@value')
        received = submit(
            client, intake,
            {"channel": "truc_tuyen_ho_tro", "assisted_by": str(me.person.user_id), "applicant_name": "K'Điệp",
             "applicant_id_number": APPLICANT_CCCD, "applicant_phone": "0912345017", "components": boxes},
            contains="applicant_name",
        )  # fmt: skip
    assert received.status_code == 200, html(received)[:2000]
    dossier = Dossier.objects.get(applicant_id_number=APPLICANT_CCCD)
    assert (dossier.commune.code, dossier.channel, dossier.assisted_by) == (
        DI_LINH,
        "truc_tuyen_ho_tro",
        me.person.user,
    )

    # 5. Three citizens helped, logged from the volunteer's page while on shift; the third one is that dossier's.
    def log(minutes, data):
        with time_machine.travel(begins + timedelta(minutes=minutes), tick=False):
            login(volunteer, VOLUNTEER)
            page = volunteer.get("/volunteers/mine/")
            assert "Đang trực: ghi người dân được hỗ trợ" in html(page)
            done = submit(volunteer, page, data, action="/volunteers/mine/help/")
        assert "Đã ghi một người dân được hỗ trợ." in messages_of(done), html(done)[:2000]
        return done

    form = find_form(checked_in, action="/volunteers/mine/help/")
    codes = [o for o in form.xpath('.//select[@name="procedure_code"]/option/@value') if o]
    assert codes[:2] == ["HT-001", "CT-001"], codes
    log(40, {"procedure_code": "HT-001", "filed_online": "on"})
    log(45, {"procedure_code": "CT-001"})
    third = log(60, {"dossier_code": dossier.code})
    assert "Hôm nay bạn đã hỗ trợ 3 người." in html(third)
    helps = Help.objects.filter(volunteer=me, at__date=shift.day).order_by("at")
    assert [(h.booking_id, h.procedure.code, h.filed_online, h.dossier_id) for h in helps] == [
        (booking.pk, "HT-001", True, None),
        (booking.pk, "CT-001", False, None),
        (booking.pk, "HT-001", True, dossier.pk),
    ]

    # 6. Check-out at the end of the shift, from the page's link back to the QR's page.
    left = ends + timedelta(minutes=5)
    with time_machine.travel(left, tick=False):
        login(volunteer, VOLUNTEER)
        page = volunteer.get("/volunteers/mine/")
        back = lxml.html.fromstring(html(page)).xpath(
            '//a[normalize-space()="Điểm danh về khi hết ca"]/@href'
        )
        assert back == [f"/volunteers/checkin/{shift.pk}/{shift.checkin_token}/"]
        leaving = volunteer.get(back[0])
        assert "Điểm danh về" in html(leaving)
        gone = _press_own(volunteer, leaving)
    assert "Đã điểm danh về. Cảm ơn bạn!" in messages_of(gone)
    booking.refresh_from_db()
    assert booking.check_out_at == left
    hours = round((left - arrived) / timedelta(hours=1), 2)
    assert booking.hours == hours
    hours = round(hours, 1)

    # 7. After the month: the coordinator's report, its Excel, and the certificates.
    month = shift.day.replace(day=1)
    month_end = _first_of_next_month(month) - timedelta(days=1)
    # the month's published shifts: ours, and (when the month starts near the anchor) the demo's week open for sign-up
    published_in_month = Shift.objects.filter(
        commune__code=DI_LINH, day__range=(month, month_end), status="published"
    ).count()
    assert published_in_month >= published.filter(day__range=(month, month_end)).count() > 0
    with time_machine.travel(_at(month_end + timedelta(days=1), 9), tick=False):
        login(client, COORDINATOR)
        report = client.get("/volunteers/report/", {"month": f"{month:%Y-%m}"})
        assert report.status_code == 200
        text = html(report)
        assert f"Tình nguyện viên tháng {month:%m/%Y}" in text and "tháng chưa hết" not in text
        stats = _stats(report)
        assert (stats["lượt trực"], stats["giờ"], stats["người dân được hỗ trợ"]) == ("1", _comma(hours), "3")
        assert (
            stats["đã nộp trực tuyến"] == "2 (67 %)"
            and stats["hồ sơ trực tuyến ghi tình nguyện viên hỗ trợ"] == "1"
        )
        doc = lxml.html.fromstring(text)
        rows = doc.xpath("//table/tbody/tr")
        assert len(rows) == 1, [r.text_content() for r in rows]
        cells = [td.text_content().strip() for td in rows[0].xpath("td")]
        assert cells[0].startswith(me.person.full_name)
        # shifts, hours, citizens helped, filed online, dossiers naming them, no-shows
        assert cells[1:7] == ["1", _comma(hours), "3", "2", "1", "0"], cells
        certificate_url = rows[0].xpath(".//a/@href")[0]
        assert certificate_url == f"/volunteers/people/{me.pk}/certificate.pdf"

        excel_url = doc.xpath('//a[normalize-space()="Tải Excel"]/@href')[0]
        xlsx = client.get("/volunteers/report/" + excel_url)
        assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert ".xlsx" in xlsx["Content-Disposition"] and xlsx.content[:2] == b"PK"
        book = load_workbook(io.BytesIO(xlsx.content))
        summary = list(book["Tổng hợp"].values)[1]
        assert summary[1:] == (f"{month:%m/%Y}", published_in_month, 1, 0, hours, 3, 2, 1, 1), summary
        per_volunteer = list(book["Theo tình nguyện viên"].values)[1:]
        assert per_volunteer == [(me.person.full_name, me.unit, 1, 0, hours, 3, 2, 1, 1)], per_volunteer

        # the month's certificate, as the coordinator prints it
        pdf = client.get(certificate_url, {"start": month.isoformat(), "end": month_end.isoformat()})
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
        lines = pdf_lines(pdf.content)
        assert "GIẤY XÁC NHẬN THAM GIA TÌNH NGUYỆN" in lines, lines
        assert _after(lines, "Họ và tên") == me.person.full_name
        assert _after(lines, "Thời gian") == f"{month:%d/%m/%Y} – {month_end:%d/%m/%Y}"
        assert _after(lines, "Số ca đã trực") == "1"
        assert _after(lines, "Số giờ tình nguyện") == _comma(hours)
        assert _after(lines, "Số người dân đã hỗ trợ") == "3"

        # the volunteer's own certificate from their page: everything since they joined, as their page counts it
        login(volunteer, VOLUNTEER)
        page = volunteer.get("/volunteers/mine/")
        figures = _stats(page)
        link = lxml.html.fromstring(html(page)).xpath('//a[contains(., "giấy xác nhận tình nguyện")]/@href')
        assert link == [certificate_url]
        own = volunteer.get(link[0])
        assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
        lines = pdf_lines(own.content)
        assert _after(lines, "Họ và tên") == me.person.full_name
        assert _after(lines, "Số ca đã trực") == figures["ca đã trực"]
        assert float(_after(lines, "Số giờ tình nguyện").replace(",", ".")) == float(
            figures["giờ"].replace(",", ".")
        )
        assert _after(lines, "Số người dân đã hỗ trợ") == figures["người dân đã hỗ trợ"]
        assert int(figures["người dân đã hỗ trợ"]) >= 3 and int(figures["ca đã trực"]) >= 1
