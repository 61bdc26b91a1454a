"""Issue 19 — Outcomes a province can report. "Done when": tinh.admin opens the scorecard for Q4 2025 with the five
groups per commune and the map; runs an impact estimate for the demo's secondment that recovers the effect planted in
the demo data within its interval; exports the PDF with charts. (The benchmark of the estimate over 3,321 communes ×
24 months is `bench/impact.py`, not walked here.)

The demo is laid relative to its anchor day (the day `civicdesk demo` was loaded: six months ending in the anchor's
month), so the issue's literal "Q4 2025" is read as the last full calendar quarter before the anchor — the quarter the
scorecard opens on by default, whole inside the demo's six months (Q3 2026 for an anchor of 7 December 2026, Q4 2026
for 8 February 2027, Q3 2027 for 31 December 2027, Q4 2027 for 29 February 2028). The clock is pinned with
time-machine at 10:00 on the anchor day for every step.

tinh.admin walks it through the real login form and pages: the dashboard's link to the Decision 766 scorecard (the
five groups with "— / 18"… and "Cần kiểm chứng" — no points are invented while the decision's points are unverified —,
every commune of the province in the ranking, one map point per commune with coordinates), one commune's scorecard
chosen in the page's own filter form, the impact estimate of the "Biệt phái: Đợt 1" preset on /impact/, the PDF from
the page's "Tải PDF" link (read with tests/pdftext.py), and the API (`GET /api/servicedesk/scorecard`,
`POST /api/impact/estimates`) with the browser's session and its CSRF token.

The demo's first secondment wave (24 communes, from the first day of the fourth of the six demo months, two months)
was planted in the service desk's demo: from its start the wave's late rate is 8 points lower than its profile gives
(`servicedesk.demo.FIRST_WAVE_GAIN`, docs/impact.md), so the on-time rate's estimate must hold 8 inside its interval.
"""

import json
import re
from datetime import date, datetime, time, timedelta

import lxml.html
import pytest
import time_machine
from django.conf import settings
from django.db.models import Sum
from django.test import Client

from civicdesk.core.workcal import VN_TZ
from tests.pdftext import _OBJECT, _stream, flat, pdf_text

from .conftest import html, login, submit

ADMIN = "tinh.admin"
PROVINCE = 68
GROUPS = (
    "Công khai, minh bạch",
    "Tiến độ giải quyết",
    "Cung cấp dịch vụ trực tuyến",
    "Mức độ hài lòng",
    "Số hóa hồ sơ, kết quả",
)
GROUP_MAX = (18, 20, 22, 18, 22)
ON_TIME = "td_dung_han"  # the ranking's and the map's default indicator: on-time rate


def _vn(day):
    return day.strftime("%d/%m/%Y")


def _shows(shown, fraction):
    """The page's "84,6%" is `fraction` to the tenth of a point (the app rounds rates to 4 decimals first)."""
    return abs(_number(shown.rstrip("%")) - fraction * 100) <= 0.051


def _number(text):
    """A figure as the pages write it ("6,3", "−2,1", "+7,8") as a float."""
    return float(text.replace("−", "-").replace("+", "").replace(",", "."))


def _quarter_before(day):
    """The last calendar quarter that ended before `day`, and the quarter before it (computed here, not by the app)."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    months = [(start.year * 12 + start.month - 1 - n) for n in (3, 6)]
    first, previous = (date(m // 12, m % 12 + 1, 1) for m in months)
    return (first, start - timedelta(days=1)), (previous, first - timedelta(days=1))


def _month_starts(lo, hi):
    months, day = [], lo
    while day <= hi:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


@pytest.fixture
def anchor(demo):
    """The demo's anchor day; the clock is pinned at 10:00 (Vietnam) on it for the whole test."""
    from civicdesk.core.models import DemoAnchor

    day = DemoAnchor.objects.get().anchor
    with time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=VN_TZ), tick=False):
        yield day


@pytest.fixture
def quarter(anchor):
    return _quarter_before(anchor)


@pytest.fixture
def province(demo):
    from civicdesk.geo.models import Province

    return Province.objects.get(code=PROVINCE)


def _on_time(communes, lo, hi):
    """(on time, finished) of `communes` for the whole months lo..hi, summed from the monthly counters."""
    from civicdesk.servicedesk.models import CommuneMonthStat

    sums = CommuneMonthStat.objects.filter(commune__in=communes, month__range=(lo, hi)).aggregate(
        on_time=Sum("on_time"), finished=Sum("finished")
    )
    return sums["on_time"] or 0, sums["finished"] or 0


def _groups(page):
    """[(heading, points line, measured indicator names, rate shown)] of the page's five group cards."""
    doc = lxml.html.fromstring(html(page))
    return [
        (
            " ".join(g.xpath("string(h2)").split()),
            " ".join(g.xpath('string(p[@class="sc-group-points"])').split()),
            [" ".join(n.text_content().split()) for n in g.xpath('.//p[@class="sc-name"]')],
            [v.text_content() for v in g.xpath('.//span[@class="sc-value"]')],
        )
        for g in doc.xpath('//section[contains(@class, "sc-group")]')
    ]


def _assert_five_groups(page):
    groups = _groups(page)
    assert [h for h, *_rest in groups] == [f"{n}. {name}" for n, name in enumerate(GROUPS, 1)]
    for (_h, points, _names, _values), maximum in zip(groups, GROUP_MAX, strict=True):
        # the decision's points are unverified: no points, the maximum flagged — never a made-up number
        assert points == f"Điểm: — / {maximum} Cần kiểm chứng", points
    transparency, progress, online, satisfaction, digitised = groups
    assert transparency[2] == [] and "Chưa đo được" in html(page)  # CivicDesk holds none of its inputs
    assert progress[2] == ["Tỷ lệ hồ sơ giải quyết đúng hạn"] and len(progress[3]) == 1
    for group in (online, satisfaction, digitised):
        assert group[2] and len(group[3]) == len(group[2]), group
    return groups


def _ranking(page):
    """[(rank, commune name, href, rate this period, rate before)] of the page's ranking table."""
    doc = lxml.html.fromstring(html(page))
    rows = doc.xpath('//section[contains(@class, "sc-ranking")]//tbody/tr')
    return [
        (
            r.xpath("string(td[1])").strip(),
            r.xpath("string(td[2])").strip(),
            r.xpath("string(td[2]/a/@href)"),
            r.xpath("string(td[3])").strip(),
            r.xpath("string(td[4])").strip(),
        )
        for r in rows
    ]


def _points(page):
    """{commune code: (fill, tooltip, ringed)} of the map's points."""
    doc = lxml.html.fromstring(html(page))
    points = {}
    for a in doc.xpath('//svg[contains(@class, "sc-map")]//a[contains(@class, "sc-point")]'):
        code = int(a.get("data-code"))
        assert code not in points, f"two points for {code}"
        circle = a.xpath("circle")[0]
        assert circle.get("fill") == a.get("data-fill")
        points[code] = (a.get("data-fill"), a.xpath("string(title)"), "sc-selected" in a.get("class"))
    return points


def test_tinh_admin_opens_the_766_scorecard_of_the_last_full_quarter_with_its_ranking_and_map(
    login_as, quarter, province
):
    from civicdesk.geo.models import Commune
    from civicdesk.servicedesk import queries

    (lo, hi), (before_lo, before_hi) = quarter
    client = login_as(ADMIN)
    dashboard = client.get("/servicedesk/", follow=True)  # the province's KPI dashboard
    assert dashboard.status_code == 200
    [link] = lxml.html.fromstring(html(dashboard)).xpath(
        '//a[contains(., "Bảng điểm theo Quyết định 766")]/@href'
    )
    page = client.get(link)
    assert page.status_code == 200, html(page)[:2000]
    text = html(page)
    assert "Bảng điểm phục vụ người dân — tỉnh Lâm Đồng" in text
    # the default period is the last full quarter before the anchor, the previous quarter beside it
    assert (
        f"Hồ sơ tiếp nhận từ {_vn(lo)} đến {_vn(hi)}; kỳ trước: {_vn(before_lo)}–{_vn(before_hi)}."
        in " ".join(text.split())
    )
    assert "chỉ tính" not in text and "Kỳ chưa kết thúc" not in text  # whole months, an ended quarter
    assert "Theo các nhóm chỉ số của Quyết định 766/QĐ-TTg (2022)." in text
    assert 'Tổng điểm: <span class="sc-points">— / 100</span>' in text

    groups = _assert_five_groups(page)
    # the province's on-time rate is the quarter's monthly counters, and it is not empty
    communes = list(Commune.objects.filter(province=province))
    on_time, finished = _on_time(communes, lo, hi)
    assert finished > 1000
    [shown] = groups[1][3]
    assert _shows(shown, on_time / finished), (shown, on_time, finished)
    assert f"({on_time}/{finished})" in text
    # every indicator's verification state is in the details, and none has points
    doc = lxml.html.fromstring(text)
    formulas = doc.xpath('//details[contains(@class, "sc-details")]//dt[not(starts-with(., "Điểm tối đa"))]')
    assert len(formulas) == 10 and all("Cần kiểm chứng" in dt.text_content() for dt in formulas)

    # the ranking: every commune of the province once, best on-time rate first
    ranking = _ranking(page)
    names = {c.name for c in communes}
    assert len(ranking) == len(communes) == 124
    assert {name for _r, name, *_ in ranking} == names
    ranked = [r for r in ranking if r[0] != "—"]
    assert [r[0] for r in ranked] == [str(n) for n in range(1, len(ranked) + 1)]
    assert len(ranked) >= 100
    rates = [_number(r[3].rstrip("%")) for r in ranked]
    assert rates == sorted(rates, reverse=True)

    # the map: one point per commune with coordinates, coloured, linking to its scorecard
    points = _points(page)
    placed = {c.code for c in communes if c.lat is not None and c.lon is not None}
    assert len(placed) >= 100
    assert set(points) == placed
    assert not any(ringed for *_x, ringed in points.values())
    unplaced = sorted(c.name for c in communes if c.code not in placed)
    if unplaced:
        assert "Chưa có tọa độ nên không hiện trên bản đồ" in text
        assert all(name in text for name in unplaced)
    legend = doc.xpath('//ul[contains(@class, "sc-legend")]/li')
    assert len(legend) == 6 and "Chưa có dữ liệu" in legend[-1].text_content()

    # one commune's scorecard, chosen in the page's filter form: the first of the ranking
    _rank, name, href, shown, _before = ranking[0]
    unit = Commune.objects.get(province=province, name=name)
    assert href.startswith(f"/servicedesk/scorecard/communes/{unit.code}/")
    assert points[unit.code][1].startswith(f"{name}: ")
    chosen = submit(client, page, {"commune": str(unit.code)}, contains="commune")
    assert chosen.status_code == 200
    assert chosen.redirect_chain[-1][0].startswith(f"/servicedesk/scorecard/communes/{unit.code}/")
    commune_text = html(chosen)
    assert f"Bảng điểm phục vụ người dân — {name}" in commune_text
    assert f"Hồ sơ tiếp nhận từ {_vn(lo)} đến {_vn(hi)}" in commune_text
    commune_groups = _assert_five_groups(chosen)
    kpis = queries.commune_kpis(unit.code, lo, hi)
    assert kpis.finished > 0
    assert commune_groups[1][3] == [shown] and _shows(shown, kpis.on_time / kpis.finished)
    assert f"({kpis.on_time}/{kpis.finished})" in commune_text
    # the province's ranking and map stay beside it, the commune ringed on the map and marked in the ranking
    assert _points(chosen)[unit.code][2]
    assert sum(ringed for *_x, ringed in _points(chosen).values()) == 1
    current = lxml.html.fromstring(commune_text).xpath('//tr[@class="sc-current"]')
    assert len(current) == 1 and name in current[0].text_content()
    assert len(_ranking(chosen)) == 124
    # the map's points open a commune's scorecard too
    other = next(c for c in communes if c.code in placed and c.code != unit.code)
    opened = client.get(lxml.html.fromstring(text).xpath(f'//a[@data-code="{other.code}"]/@href')[0])
    assert opened.status_code == 200 and f"Bảng điểm phục vụ người dân — {other.name}" in html(opened)


def test_tinh_admin_recovers_the_planted_effect_of_the_demo_secondment(login_as, users, anchor):
    from civicdesk.impact import presets, services
    from civicdesk.servicedesk.demo import FIRST_WAVE_GAIN, FIRST_WAVE_SIZE

    planted = FIRST_WAVE_GAIN * 100
    assert planted == 8  # docs/impact.md: the wave's late rate is 8 points lower from its start
    client = login_as(ADMIN)
    home = html(client.get("/"))
    assert 'href="/impact/"' in home
    page = client.get("/impact/")
    assert page.status_code == 200
    options = dict(re.findall(r'<option value="(secondment:\d+)"(?: selected)?>([^<]+)</option>', html(page)))
    [(key, label)] = [(k, v) for k, v in options.items() if "Đợt 1" in v]
    assert f"{FIRST_WAVE_SIZE} xã" in label

    result = submit(client, page, {"preset": key, "indicator": "on_time"}, contains="preset")
    assert result.status_code == 200, html(result)[:3000]
    text = html(result)
    assert "<svg" in text and "Các xã so sánh được chọn" in text
    doc = lxml.html.fromstring(text)

    # the page's sentence: "… tăng 6,3 điểm … (khoảng tin cậy 95 %: 3,4–9,1 điểm)." — the planted 8 inside
    sentence = " ".join(doc.xpath('string(//p[@class="impact-sentence"])').split())
    said = re.fullmatch(
        r"Sau biệt phái, tỉ lệ đúng hạn của các xã được biệt phái tăng ([\d,]+) điểm .*"
        r"\(khoảng tin cậy 95 %: ([\d,]+)–([\d,]+) điểm\)\.",
        sentence,
    )
    assert said, sentence
    estimate_said, low_said, high_said = (_number(x) for x in said.groups())
    assert 0 < low_said <= planted <= high_said, sentence
    assert low_said <= estimate_said <= high_said
    assert "Có khác biệt rõ" in doc.xpath('string(//*[contains(@class, "impact-verdict")])')
    # the page's figures say the same
    figures = {
        " ".join(d.xpath("string(dt)").split()): " ".join(d.xpath("string(dd)").split())
        for d in doc.xpath('//dl[@class="impact-figures"]/div')
    }
    low, high = (_number(x) for x in figures["Khoảng tin cậy 95 %"].split(" … "))
    assert low <= planted <= high and low > 0, figures
    assert abs(_number(figures["Ước tính"].split()[0]) - estimate_said) < 0.051
    assert int(figures["Xã được can thiệp"]) == FIRST_WAVE_SIZE
    assert int(figures["Xã so sánh"]) >= 10
    treated = doc.xpath('//summary[starts-with(., "Các xã được can thiệp")]/following-sibling::ul[1]/li')
    assert len(treated) == FIRST_WAVE_SIZE

    # the same question asked of the service gives the page's numbers
    admin = users[ADMIN]
    preset = presets.find(admin.province, key)
    estimate = services.estimate(
        admin,
        services.Request(
            province=admin.province,
            codes=list(preset.codes),
            start=preset.start,
            indicator="on_time",
            kind="secondment",
        ),
    )
    did = estimate.did
    assert did.low <= planted <= did.high, (did.estimate, did.low, did.high)
    assert did.low > 0
    assert did.n_treated == FIRST_WAVE_SIZE and did.n_control == int(figures["Xã so sánh"])
    assert estimate.sentence == sentence

    saved = submit(client, result, action="/impact/save/")
    assert saved.status_code == 200 and saved.redirect_chain[-1][0].startswith("/impact/")
    assert estimate.sentence in html(saved)


def _drawing_ops(data):
    """How often the PDF's page streams use the vector operators charts are drawn with: `re` (rectangle: bars,
    swatches), `c` (Bézier curve: the map's circles), `S` (stroke: gridlines, target lines)."""
    counts = dict.fromkeys(("re", "c", "S"), 0)
    for m in _OBJECT.finditer(data):
        body = m[2]
        if b"stream" not in body or b"/Length1" in body:
            continue  # not a stream, or an embedded font file (as tests/pdftext.py reads them)
        content = _stream(body)
        if b"begincmap" in content:
            continue
        for op in counts:
            counts[op] += len(re.findall(rb"(?<=\s)" + op.encode() + rb"(?=\s)", content))
    return counts


def test_tinh_admin_exports_the_scorecard_pdf_with_its_charts(login_as, quarter, province):
    from civicdesk.core.models import AuditEvent
    from civicdesk.geo.models import Commune

    (lo, hi), (before_lo, before_hi) = quarter
    client = login_as(ADMIN)
    page = client.get("/servicedesk/scorecard/")
    assert page.status_code == 200
    [href] = lxml.html.fromstring(html(page)).xpath('//a[normalize-space()="Tải PDF"]/@href')
    assert href.startswith("/servicedesk/scorecard/export.pdf?")
    assert f"date_from={lo.isoformat()}" in href and f"date_to={hi.isoformat()}" in href
    ranking = _ranking(page)

    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")
    text = flat(data)
    lines = pdf_text(data).splitlines()

    assert "Bảng điểm phục vụ người dân — tỉnh Lâm Đồng" in text
    assert f"Hồ sơ tiếp nhận từ {_vn(lo)} đến {_vn(hi)}; kỳ trước: {_vn(before_lo)}–{_vn(before_hi)}." in text
    assert "Tổng điểm: — / 100" in text
    # the five groups, in order, each with its maximum flagged for verification
    at = [text.index(f"{n}. {name}") for n, name in enumerate(GROUPS, 1)]
    assert at == sorted(at)
    assert text.count("Cần kiểm chứng") >= 5 + 10
    # the charts: the key, each bar's figures and the 0–100 % axis are the drawings' own strings …
    assert "Kỳ này Kỳ trước Mục tiêu của tỉnh" in text
    communes = list(Commune.objects.filter(province=province))
    on_time, finished = _on_time(communes, lo, hi)
    [bar] = re.findall(rf"Kỳ này: ([\d,]+%) \({on_time}/{finished}\)", text)
    assert _shows(bar, on_time / finished)
    assert sum(line in ("0%", "25%", "50%", "75%", "100%") for line in lines) >= 5 * 4
    # … and the bars and the map's points are vector drawing operators (rectangles, curves), not text
    ops = _drawing_ops(data)
    placed = sum(1 for c in communes if c.lat is not None and c.lon is not None)
    assert ops["re"] >= 2 * 6, ops  # this period's and the previous period's bars of the measured indicators
    assert ops["c"] >= 4 * placed, ops  # a circle is four Bézier curves
    assert ops["S"] >= 5 * 4, ops  # the 0–100 % gridlines of each group's chart
    assert "Bản đồ: Tỷ lệ hồ sơ giải quyết đúng hạn" in text
    # the ranking: every commune, in the page's order
    assert "Xếp hạng: Tỷ lệ hồ sơ giải quyết đúng hạn" in text
    section = text[text.index("Xếp hạng: Tỷ lệ hồ sơ giải quyết đúng hạn") :]
    position, seen = 0, 0
    for rank, name, _href, rate, before in ranking:
        row = f"{rank} {name} {rate} {before}"
        found = section.find(row, position)
        assert found >= 0, (row, section[position : position + 300])
        position, seen = found + len(row), seen + 1
    assert seen == 124
    assert "Nguồn: Quyết định 766/QĐ-TTg (2022)" in text
    assert AuditEvent.objects.filter(
        action="export", object_type="servicedesk.scorecard", object_repr=f"Lâm Đồng {lo}..{hi} (pdf)"
    ).exists()


class Browser:
    """A browser signed in through the login form calling the API with its session, as the pages' scripts do: JSON,
    and the CSRF cookie's token in X-CSRFToken for a write (CSRF checks enforced)."""

    def __init__(self, username):
        self.client = Client(enforce_csrf_checks=True)
        response = login(self.client, username)
        assert response.status_code == 200 and response.wsgi_request.user.is_authenticated, username

    def get(self, url, **params):
        return self.client.get(url, params, HTTP_ACCEPT="application/json")

    def post(self, url, body):
        token = self.client.cookies[settings.CSRF_COOKIE_NAME].value
        return self.client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_ACCEPT="application/json",
            HTTP_X_CSRFTOKEN=token,
        )


def test_the_api_answers_the_scorecard_and_the_impact_estimate(users, quarter, province):
    from civicdesk.geo.models import Commune
    from civicdesk.impact import presets
    from civicdesk.servicedesk.demo import FIRST_WAVE_GAIN, FIRST_WAVE_SIZE

    (lo, hi), (before_lo, before_hi) = quarter
    api = Browser(ADMIN)

    answer = api.get(
        "/api/servicedesk/scorecard", province=PROVINCE, **{"from": lo.isoformat(), "to": hi.isoformat()}
    )
    assert answer.status_code == 200, answer.content[:1000]
    body = answer.json()
    assert body["province"] == PROVINCE and body["commune"] is None and body["field"] is None
    assert body["period"] == {
        "date_from": lo.isoformat(),
        "date_to": hi.isoformat(),
        "partial_months": [],
        "unfinished": False,
    }
    assert (body["previous_period"]["date_from"], body["previous_period"]["date_to"]) == (
        before_lo.isoformat(),
        before_hi.isoformat(),
    )
    assert body["total_max"] == 100 and body["total_points"] is None
    assert [g["name"] for g in body["groups"]] == list(GROUPS)
    assert [g["max_points"] for g in body["groups"]] == list(GROUP_MAX)
    assert all(g["max_points_needs_verification"] and g["points"] is None for g in body["groups"])
    indicators = {i["code"]: i for g in body["groups"] for i in g["indicators"]}
    assert len(indicators) == 10
    assert all(i["needs_verification"] and i["points"] is None for i in indicators.values())
    assert not any(i["measured"] for i in body["groups"][0]["indicators"])
    communes = list(Commune.objects.filter(province=province))
    on_time, finished = _on_time(communes, lo, hi)
    assert (indicators[ON_TIME]["numerator"], indicators[ON_TIME]["denominator"]) == (on_time, finished)
    assert indicators[ON_TIME]["value"] == pytest.approx(on_time / finished, abs=5e-5)
    # every commune, with its coordinates and its rates; each commune's on-time rate is its counters'
    by_code = {c["commune_code"]: c for c in body["communes"]}
    assert set(by_code) == {c.code for c in communes}
    for unit in communes:
        entry = by_code[unit.code]
        assert (entry["commune_name"], entry["lat"], entry["lon"]) == (unit.name, unit.lat, unit.lon)
        n, d = _on_time([unit], lo, hi)
        assert entry["values"][ON_TIME] == (pytest.approx(n / d, abs=5e-5) if d else None), unit.name
    # the same quarter's months, as the "from…to" of a quarter, for one commune
    some = next(c for c in communes if by_code[c.code]["values"][ON_TIME] is not None)
    one = api.get(
        "/api/servicedesk/scorecard",
        province=PROVINCE,
        commune=some.code,
        **{"from": lo.isoformat(), "to": hi.isoformat()},
    ).json()
    assert one["commune"] == some.code and one["communes"] == []
    one_on_time = next(i for g in one["groups"] for i in g["indicators"] if i["code"] == ON_TIME)
    assert one_on_time["value"] == pytest.approx(by_code[some.code]["values"][ON_TIME])
    bad = api.get(
        "/api/servicedesk/scorecard", province=PROVINCE, **{"from": hi.isoformat(), "to": lo.isoformat()}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"

    # POST /api/impact/estimates: the demo's secondment (the preset's communes and start) → estimate, interval, n
    [preset] = [
        p for p in presets.presets(users[ADMIN].province) if p.kind == "secondment" and "Đợt 1" in p.label
    ]
    ask = {"treated": sorted(preset.codes), "start": preset.start.isoformat(), "indicator": "on_time"}
    estimated = api.post("/api/impact/estimates", ask)
    assert estimated.status_code == 200, estimated.content[:1000]
    result = estimated.json()
    planted = FIRST_WAVE_GAIN * 100
    assert result["low"] <= planted <= result["high"] and result["low"] > 0, result
    assert result["low"] <= result["estimate"] <= result["high"]
    assert result["n_treated"] == FIRST_WAVE_SIZE and result["n_control"] >= 10
    assert result["indicator"] == "on_time" and result["start"] == preset.start.isoformat()
    # the API knows no kind of initiative: its sentence says "the chosen communes", with the same figures
    # The sentence spells the bounds to one decimal ("3–9,5": a round bound has no ",0") from the unrounded
    # estimate; the API gives them to two, so a bound may differ by the two roundings (2,05 → "2,1").
    assert "tỉ lệ đúng hạn" in result["sentence"], result["sentence"]
    said = re.search(r"\(khoảng tin cậy 95 %: ([\d,]+)–([\d,]+) điểm\)", result["sentence"])
    assert said, result["sentence"]
    for spelt, bound in zip(said.groups(), (result["low"], result["high"]), strict=True):
        assert abs(float(spelt.replace(",", ".")) - bound) <= 0.051, (spelt, bound)
    assert result["pre_months"] and result["post_months"] and result["saved_id"] is None
    # the session's write needs its CSRF token, as the pages' forms do
    forged = api.client.post("/api/impact/estimates", json.dumps(ask), content_type="application/json")
    assert forged.status_code == 403
    # an unknown indicator: 400 with the reason by field
    refused = api.post("/api/impact/estimates", {**ask, "indicator": "happiness"})
    assert refused.status_code == 400 and "indicator" in refused.json()["error"]["details"]
    # a commune officer may not ask
    officer = Browser("camly.canbo")
    assert officer.post("/api/impact/estimates", ask).status_code == 403


def test_every_kind_of_initiative_of_the_demo_is_offered(demo, users):
    from civicdesk.impact import presets

    kinds = {p.kind for p in presets.presets(users["tinh.admin"].province)}
    assert {"secondment", "outreach", "volunteers", "mobile", "language"} <= kinds


def test_the_demo_wave_is_over_and_leaves_the_260_plan_free(demo, users):
    from civicdesk.staffing import services
    from civicdesk.staffing.models import Plan, Secondment

    wave = Plan.objects.get(name__startswith="Đợt 1")
    assert wave.status == "approved"
    assert set(Secondment.objects.filter(plan=wave).values_list("status", flat=True)) == {"completed"}
    services.approve_plan(users["noivu.chuyenvien"], Plan.objects.get(total=260), decision_number="")


def test_a_commune_officer_cannot_open_the_impact_page(login_as):
    client = login_as("camly.canbo")
    assert client.get("/impact/").status_code == 403
    assert 'href="/impact/"' not in html(client.get("/"))
