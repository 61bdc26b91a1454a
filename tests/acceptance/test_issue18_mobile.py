"""Issue 18 — Mobile procedure team (Cát Tiên 3). "Done when": cattien3.canbo plans a trip to three hamlets with a
route, takes dossiers offline on a phone-sized screen, and after reconnecting every dossier appears once in the
register with its official number, linked to its provisional receipt; 500 queued dossiers sync in ≤ 60 s on the demo
server (benchmark).

Walked here on the demo as real users, through the pages and the same HTTP API the phone app uses: cattien3.canbo
signs in through the login form, plans a trip to Thôn 2, Thôn 1 and Thôn 4 through the form at /mobile/trips/new/
as it renders (the hamlets' formset, their gathering windows, the procedures) and reads the route; announces it
("Thông báo cho người dân": preview, then confirm); then, as the phone does (session cookie and CSRF header, like
`static/mobile/sync.js`), registers a phone, downloads the trip pack and PUTs three field dossiers taken in the
hamlets, a retry (200, the same dossier) and a reused UUID (409); each dossier is then once in the register with its
official code and a due date in working days, found by its provisional code on the register's search and on the
citizens' lookup /tra-cuu/ (with the last four digits of the phone, as for any code), listed once on /mobile/, and
counted in the trip's report.

The offline part itself — the PWA in Chromium, three dossiers with photos taken offline, a reload offline, synced
exactly once, a cut upload retried — is tests/browser/test_mobile_offline.py; the 500-dossier benchmark is
docs/benchmarks/mobile.md.

Dates are laid from the demo's anchor day (the day the demo was loaded): the demo's own trip goes out on the first
working day after it, ours on the second (working days from `civicdesk.core.workcal`). The clock is pinned with
time-machine at each step: planning and announcing on the anchor day at 10:00, the phone readied at 06:45 on the
trip's day, each dossier taken a quarter of an hour after the team starts work in its hamlet, the sync at 17:15 back
at the centre, the lookups and the report the next morning.
"""

import json
import re
import uuid
from datetime import datetime, time, timedelta

import lxml.html
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from civicdesk.core.workcal import VN_TZ, get_calendar

from .conftest import CAT_TIEN_3, find_form, html, login, messages_of, submit

OFFICER = "cattien3.canbo"
# The trip: (hamlet, people gathered from, until, minutes the team stays). Thôn 1 and Thôn 4 have residents who
# agreed to hear from the commune (outreach's demo); Thôn 2 has none.
STOPS = {
    "Thôn 2": (time(7, 30), time(10, 30), 60),
    "Thôn 1": (time(9, 0), time(11, 30), 60),
    "Thôn 4": (time(13, 30), time(16, 0), 90),
}
# Birth registration is settled the same working day; registering a temporary residence takes 3 working days.
PROCEDURES = ("HT-001", "CTR-002")
# The citizens met in the hamlets: (name, CCCD, phone), one a hamlet in the route's order.
CITIZENS = (
    ("Điểu K'Thuận", "068199018001", "0912 018 101"),
    ("Ka Huệ", "068199018002", "0912 018 202"),
    ("Điểu Văn Lực", "068199018003", "0912 018 303"),
)


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def _hm(text):
    return time.fromisoformat(text)


def _card(page, heading):
    doc = lxml.html.fromstring(html(page))
    cards = doc.xpath('//div[contains(@class, "card")][h2[normalize-space()=$h]]', h=heading)
    assert len(cards) == 1, f"no single card {heading!r} on the page"
    return cards[0]


def _stats(card):
    return {
        "".join(li.xpath("text()")).strip(): li.xpath("string(strong)").strip()
        for li in card.xpath('.//ul[@class="stats"]/li')
    }


def _facts(page):
    """The page's "label: value" list (<dl class="sd-kv">) as {label: value}."""
    return {
        dt.text_content().strip(): " ".join(dt.getnext().text_content().split())
        for dt in lxml.html.fromstring(html(page)).xpath('//dl[contains(@class, "sd-kv")]/dt')
    }


class Phone:
    """The team's phone as `static/mobile/sync.js` talks to the server: the session of the signed-in user, JSON, and
    the CSRF cookie's token in X-CSRFToken, read fresh at each send."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)

    def _headers(self):
        token = self.client.cookies[settings.CSRF_COOKIE_NAME].value
        return {"HTTP_ACCEPT": "application/json", "HTTP_X_CSRFTOKEN": token}

    def get(self, url):
        return self.client.get(url, **self._headers())

    def post(self, url, data):
        return self.client.post(url, json.dumps(data), content_type="application/json", **self._headers())

    def put(self, url, data):
        return self.client.put(url, json.dumps(data), content_type="application/json", **self._headers())


@pytest.fixture
def days(demo):
    """The anchor day, the demo trip's day (the first working day after it) and ours (the second)."""
    from civicdesk.core.models import DemoAnchor

    anchor = DemoAnchor.objects.get().anchor
    cal = get_calendar()
    demo_day = cal.next_working_day(anchor)
    return anchor, demo_day, cal.next_working_day(demo_day)


def _working_days_after(cal, start, end):
    """The working days d with start < d <= end."""
    return sum(1 for n in range(1, (end - start).days + 1) if cal.is_working_day(start + timedelta(days=n)))


def test_a_trip_planned_announced_taken_in_the_hamlets_and_synced_once(client, days):
    from civicdesk.mobile.models import Device, FieldDossier, Trip
    from civicdesk.servicedesk.models import Dossier

    anchor, demo_day, day = days
    cal = get_calendar()
    assert cal.is_working_day(day) and day > demo_day > anchor
    demo_trip = Trip.objects.get(commune__code=CAT_TIEN_3)  # the demo's own, on its first working day
    assert demo_trip.day == demo_day

    # 1. The officer plans the trip through the form as it renders: three hamlets, their windows, two procedures.
    with time_machine.travel(_at(anchor, 10), tick=False):
        login(client, OFFICER)
        index = client.get("/mobile/")
        assert index.status_code == 200
        link = lxml.html.fromstring(html(index)).xpath(
            '//a[normalize-space()="Lên kế hoạch chuyến đi"]/@href'
        )
        assert link == ["/mobile/trips/new/"]
        page = client.get(link[0])
        assert page.status_code == 200, html(page)[:1000]
        form = find_form(page, contains="title")
        rows = {}
        for tr in form.xpath(".//tbody/tr"):
            name = tr.xpath("string(th/text())").strip()
            hamlet = tr.xpath('.//input[substring(@name, string-length(@name) - 6) = "-hamlet"]/@name')[0]
            rows[name] = (
                hamlet.removesuffix("-hamlet"),
                bool(tr.xpath('.//*[contains(@class, "badge-warn")]')),
            )
        assert set(STOPS) <= set(rows), rows
        assert not any(rows[name][1] for name in STOPS), "a hamlet of the trip has no coordinates"
        options = form.xpath('.//select[@name="procedure_codes"]/option/@value')
        assert set(PROCEDURES) <= set(options)
        data = {
            "title": "Thôn 2, Thôn 1, Thôn 4 — khai sinh, tạm trú",
            "day": day.isoformat(),
            "leave_at": "07:15",
            "back_by": "17:00",
            "procedure_codes": list(PROCEDURES),
        }
        for name, (start, end, minutes) in STOPS.items():
            prefix = rows[name][0]
            data.update({
                f"{prefix}-include": "on", f"{prefix}-window_start": f"{start:%H:%M}",
                f"{prefix}-window_end": f"{end:%H:%M}", f"{prefix}-service_minutes": str(minutes),
            })  # fmt: skip
        planned = submit(client, page, data, contains="title")
    assert planned.status_code == 200, html(planned)[:3000]
    assert "Đã lên kế hoạch chuyến đi và tính đường đi." in messages_of(planned), html(planned)[:3000]
    trip = Trip.objects.exclude(pk=demo_trip.pk).get(commune__code=CAT_TIEN_3)
    assert planned.wsgi_request.path == f"/mobile/trips/{trip.pk}/"
    assert (trip.day, trip.procedure_codes) == (day, list(PROCEDURES))

    # The route: the three hamlets in an order, each team's start inside its window and the stay before it closes.
    doc = lxml.html.fromstring(html(planned))
    route = [" ".join(li.text_content().split()) for li in _card(planned, "Thứ tự đi").xpath("./ol/li")]
    assert len(route) == 3, route
    order, clock = [], datetime.combine(day, time(7, 15))
    for line in route:
        found = re.fullmatch(
            r"(Thôn \d) — bắt đầu làm việc (\d\d:\d\d) \(dân tập trung (\d\d:\d\d)–(\d\d:\d\d), (\d+) phút\)",
            line,
        )
        assert found, line
        name, arrival = found[1], _hm(found[2])
        start, end, minutes = STOPS[name]
        assert (_hm(found[3]), _hm(found[4]), int(found[5])) == (start, end, minutes)
        begins = datetime.combine(day, arrival)
        assert start <= arrival and begins + timedelta(minutes=minutes) <= datetime.combine(day, end), line
        assert begins >= clock, f"{line}: starts before the team has left the previous hamlet"
        clock = begins + timedelta(minutes=minutes)
        order.append((name, arrival))
    assert {name for name, _a in order} == set(STOPS)
    assert clock <= datetime.combine(day, time(17, 0))
    assert len(doc.xpath('//svg[contains(@class, "route-sketch")]//circle')) == 3
    assert "Thôn chưa xếp được" not in html(planned)
    assert re.search(r"Quãng đường ước tính \d+,\d km", html(planned))
    assert "Chưa thông báo." in html(planned)

    # 2. Announced to the hamlets' citizens: the preview names who is told and how, then the officer confirms.
    with time_machine.travel(_at(anchor, 10, 5), tick=False):
        link = doc.xpath('//a[normalize-space()="Thông báo cho người dân"]/@href')
        assert link == [f"/mobile/trips/{trip.pk}/announce/"]
        preview = client.get(link[0])
        assert preview.status_code == 200, html(preview)[:2000]
        text = html(preview)
        for name, arrival in order:
            assert f"{name} — {arrival:%H:%M}" in text
        sms = [" ".join(b.text_content().split()) for b in lxml.html.fromstring(text).xpath("//blockquote")]
        assert len(sms) == 3 and all(f"{day:%d/%m}" in m and "Cát Tiên 3" in m for m in sms), sms
        people = {
            tr.xpath("string(th)").strip(): tr.xpath("string(td[2])").strip()
            for tr in lxml.html.fromstring(text).xpath("//details//tbody/tr")
        }
        for name in ("Điểu Thị Lan", "Điểu K'Brăng", "Ka Sương"):
            assert people.get(name) == "Nhắn SMS", people
        assert people.get("Thị Hương") == "Gọi điện báo (đưa vào danh sách gọi)", people
        # The officer adds where the team sits in Thôn 1 and looks again before sending.
        stop = trip.stops.get(hamlet__name="Thôn 1")
        typed = {"bring": "giấy chứng sinh", f"place_{stop.pk}": "nhà văn hóa thôn"}
        again = submit(client, preview, typed, contains="bring", button={"preview": "1"})
        assert again.status_code == 200
        assert "tại Thôn 1 (nhà văn hóa thôn)" in html(again) and "Mang CCCD và giấy chứng sinh." in html(
            again
        )
        button = lxml.html.fromstring(html(again)).xpath('//button[@name="confirm"]')[0].text_content()
        sent, call = map(
            int,
            re.fullmatch(
                r"Xác nhận: gửi (\d+) tin nhắn, đưa (\d+) người vào danh sách gọi", button.strip()
            ).groups(),
        )
        assert sent >= 3 and call >= 1, button
        confirmed = submit(client, again, typed, contains="bring", button={"confirm": "1"})
    assert confirmed.wsgi_request.path == f"/mobile/trips/{trip.pk}/"
    assert messages_of(confirmed) == [
        f"Đã gửi thông báo: {sent} tin nhắn đang gửi hoặc đã gửi, {call} người cần gọi điện báo."
    ], messages_of(confirmed)
    told = _card(confirmed, "Thông báo cho người dân")
    assert f"Đã thông báo lúc 10:05 {anchor:%d/%m/%Y} cho ngày đi {day:%d/%m/%Y}." in told.text_content()
    stats = _stats(told)
    assert int(stats["người đã nhận tin nhắn"]) + int(stats["tin nhắn đang chờ gửi"]) == sent, stats
    assert stats["người cần gọi điện báo"] == str(call)

    # 3. The phone: the officer signs in on it, registers it, downloads the trip pack before leaving.
    phone = Phone()
    with time_machine.travel(_at(day, 6, 45), tick=False):
        signed_in = login(phone.client, OFFICER)
        assert signed_in.wsgi_request.user.username == OFFICER
        assert phone.client.get("/mobile/app/").status_code == 200  # the app's page (sets the CSRF cookie)
        registered = phone.post("/api/servicedesk/field-devices", {"label": "Điện thoại tổ 2"})
        assert registered.status_code == 201, registered.content
        prefix = registered.json()["prefix"]
        assert (
            re.fullmatch(rf"{CAT_TIEN_3}[A-Z]+", prefix)
            and registered.json()["code_example"] == f"TLD-{prefix}-0001"
        )
        assert Device.objects.filter(commune__code=CAT_TIEN_3).count() == 2  # the demo's phone and this one
        pack = phone.get("/api/servicedesk/field-pack")
        assert pack.status_code == 200, pack.content
        pack = pack.json()
    assert pack["commune_code"] == CAT_TIEN_3
    [ours] = [t for t in pack["trips"] if t["id"] == trip.pk]
    assert (ours["day"], ours["procedure_codes"]) == (day.isoformat(), list(PROCEDURES))
    checklists = {p["code"]: p["items"] for p in pack["procedures"]}
    assert set(PROCEDURES) <= set(checklists)
    assert all(any(i["required"] for i in checklists[c]) for c in PROCEDURES)
    hamlet_ids = {h["name"]: h["id"] for h in pack["hamlets"]}
    assert set(STOPS) <= set(hamlet_ids)

    # In the hamlets, offline: one dossier in each, the checklist ticked as the counter's, a provisional receipt.
    taken = []
    for n, ((name, arrival), (person, cccd, number), procedure) in enumerate(
        zip(order, CITIZENS, ("HT-001", "CTR-002", "CTR-002"), strict=True), start=1
    ):
        at = datetime.combine(day, arrival, tzinfo=VN_TZ) + timedelta(minutes=15)
        payload = {
            "device": prefix, "provisional_code": f"TLD-{prefix}-{n:04d}", "taken_at": at.isoformat(),
            "procedure_code": procedure, "present": [i["index"] for i in checklists[procedure]],
            "applicant_name": person, "applicant_id_number": cccd, "applicant_phone": number,
            "hamlet": hamlet_ids[name], "trip": trip.pk,
        }  # fmt: skip
        taken.append((uuid.uuid4(), payload, name, at))

    # Back at the centre with network: the outbox is sent, one PUT per dossier.
    before = Dossier.objects.count()
    answers = []
    with time_machine.travel(_at(day, 17, 15), tick=False):
        # Ten hours after signing in on the phone the session has lapsed (8 idle hours, docs/mobile.md): the first
        # send is refused and nothing is taken; the officer signs in again and the outbox goes out.
        key, payload = taken[0][:2]
        lapsed = phone.put(f"/api/servicedesk/field-dossiers/{key}", payload)
        assert lapsed.status_code == 401 and lapsed.json()["error"]["code"] == "unauthenticated"
        assert Dossier.objects.count() == before and not FieldDossier.objects.filter(trip=trip).exists()
        login(phone.client, OFFICER)
        for key, payload, *_where_when in taken:
            answer = phone.put(f"/api/servicedesk/field-dossiers/{key}", payload)
            assert answer.status_code == 201, answer.content
            assert answer.json()["status"] == "registered" and answer.json()["version"] == 1
            answers.append(answer.json())
        # The first one again, its answer lost: the same dossier, nothing new.
        key, payload = taken[0][:2]
        retry = phone.put(f"/api/servicedesk/field-dossiers/{key}", payload)
        assert retry.status_code == 200, retry.content
        assert retry.json() == answers[0]
        # Another content under the same UUID (a phone's bug): refused in words, what is there is kept.
        reused = phone.put(
            f"/api/servicedesk/field-dossiers/{key}", {**payload, "applicant_name": "Người khác"}
        )
        assert reused.status_code == 409, reused.content
        assert reused.json()["error"]["code"] == "uuid_reused"
        assert reused.json()["error"]["message"] == (
            f"Mã định danh {key} đã dùng cho một hồ sơ có nội dung khác; hồ sơ đã có được giữ nguyên."
        )
    assert Dossier.objects.count() == before + 3
    assert FieldDossier.objects.filter(trip=trip).count() == 3

    # 4. Each dossier once in the register: official code, due date in working days, its provisional receipt.
    codes = {}
    for (key, payload, name, at), answer in zip(taken, answers, strict=True):
        provisional = payload["provisional_code"]
        dossier = Dossier.objects.get(provisional_code=provisional)
        assert (
            answer["dossier_code"] == dossier.code
            and answer["message"] == f"Đã vào sổ: mã hồ sơ {dossier.code}."
        )
        assert re.fullmatch(rf"{CAT_TIEN_3}-{day:%y%m%d}-\d{{3}}", dossier.code), dossier.code
        assert (dossier.channel, dossier.received_at, dossier.applicant_name) == (
            "luu_dong",
            at,
            payload["applicant_name"],
        )
        due = dossier.due_at.astimezone(VN_TZ)
        assert datetime.fromisoformat(answer["due_at"]) == due
        # Counted from when it was taken in the hamlet, on the working calendar: "trong ngày" is the day's close,
        # n working days the same office time on the n-th working day after.
        if payload["procedure_code"] == "HT-001":
            assert dossier.processing_days == 0 and due == _at(day, 17)
        else:
            assert dossier.processing_days == 3
            assert cal.is_working_day(due.date()) and due.time() == at.time()
            assert _working_days_after(cal, day, due.date()) == 3
        record = FieldDossier.objects.get(uuid=key)
        assert (record.dossier_id, record.hamlet.name, record.trip_id) == (dossier.pk, name, trip.pk)
        codes[provisional] = (dossier, payload["applicant_phone"].replace(" ", "")[-4:])

    with time_machine.travel(_at(cal.next_working_day(day), 8, 30), tick=False):
        login(client, OFFICER)
        register = client.get(
            "/servicedesk/dossiers/",
            {"channel": "luu_dong", "date_from": day.isoformat(), "date_to": day.isoformat()},
        )
        assert register.status_code == 200
        listed = lxml.html.fromstring(html(register)).xpath("//table/tbody/tr/td[1]/a/text()")
        assert sorted(listed) == sorted(d.code for d, _p in codes.values()), listed
        for provisional, (dossier, _last4) in codes.items():
            # The counter's search finds a citizen's dossier by the provisional receipt they hold.
            found = client.get("/servicedesk/dossiers/", {"q": provisional})
            assert lxml.html.fromstring(html(found)).xpath("//table/tbody/tr/td[1]/a/text()") == [
                dossier.code
            ], provisional
            detail = client.get(f"/servicedesk/dossiers/{dossier.code}/")
            assert detail.status_code == 200
            facts = _facts(detail)
            limit = "trong ngày" if dossier.processing_days == 0 else "3 ngày làm việc"
            assert facts["Hẹn trả kết quả"].startswith(
                f"{dossier.due_at.astimezone(VN_TZ):%H:%M %d/%m/%Y} ("
            ) and facts["Hẹn trả kết quả"].endswith(f", {limit})"), facts
            assert facts["Kênh tiếp nhận"] == "Tổ lưu động" and facts["Biên nhận tạm"] == provisional, facts

        # The officer's page: each provisional receipt once, with its official code.
        mobile = client.get("/mobile/")
        back = {}
        for tr in lxml.html.fromstring(html(mobile)).xpath(
            '//h2[normalize-space()="Hồ sơ nhận tại thôn đã về"]/following-sibling::div[1]//tbody/tr'
        ):
            back.setdefault(tr.xpath("string(th)").strip(), []).append(tr.xpath("string(td[1]/a)").strip())
        for provisional, (dossier, _last4) in codes.items():
            assert back.get(provisional) == [dossier.code], back
        assert "Không có hồ sơ nào chờ xem." in html(mobile) and "Không có sửa đổi xung đột." in html(mobile)

        # The trip's report: three dossiers taken and in the register, three citizens served.
        page = client.get(f"/mobile/trips/{trip.pk}/")
        report = _card(page, "Kết quả chuyến đi")
        stats = _stats(report)
        assert (stats["hồ sơ nhận tại thôn"], stats["đã vào sổ của xã"], stats["người dân được phục vụ"]) == (
            "3",
            "3",
            "3",
        ), stats
        assert stats["hồ sơ phải bổ sung sau đó"] == "0"
        assert " · ".join(f"{name}: 1" for name in sorted(STOPS)) in " ".join(report.text_content().split())

        # The citizen's receipt: its QR opens /tra-cuu/?ma=<code>; the citizen adds the last four digits of the phone.
        citizen = Client()
        for provisional, (dossier, last4) in codes.items():
            lookup = citizen.get("/tra-cuu/", {"ma": provisional})
            assert lookup.status_code == 200
            assert find_form(lookup, contains="phone4").fields["code"] == provisional
            status = submit(citizen, lookup, {"phone4": last4}, contains="phone4")
            assert status.status_code == 200, html(status)[:2000]
            facts = _facts(status)
            assert (facts["Mã hồ sơ"], facts["Nơi tiếp nhận"]) == (dossier.code, "Xã Cát Tiên 3"), facts
            assert facts["Hẹn trả kết quả"] == f"{dossier.due_at.astimezone(VN_TZ):%H:%M %d/%m/%Y}", facts
        wrong = submit(
            citizen, citizen.get("/tra-cuu/", {"ma": provisional}), {"phone4": "0000"}, contains="phone4"
        )
        assert wrong.status_code == 404 and dossier.code not in html(wrong)
