"""Issue 19 — Impact of an initiative. "Done when": tinh.admin runs an impact estimate for the demo's secondment
that recovers the effect planted in the demo data within its interval.

The demo's first secondment wave (24 communes, from the first day of the fourth of the six demo months, two months)
was planted in the service desk's demo: from its start the wave's late rate is 8 points lower than its profile gives
(`servicedesk.demo.FIRST_WAVE_GAIN`, docs/impact.md)."""

import re

from .conftest import html, submit


def test_tinh_admin_recovers_the_planted_effect_of_the_demo_secondment(login_as, users):
    from civicdesk.impact import presets, services
    from civicdesk.servicedesk.demo import FIRST_WAVE_GAIN, FIRST_WAVE_SIZE

    client = login_as("tinh.admin")
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
    assert "Sau biệt phái, tỉ lệ đúng hạn của các xã được biệt phái tăng" in text
    assert "<svg" in text and "Các xã so sánh được chọn" in text

    admin = users["tinh.admin"]
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
    planted = FIRST_WAVE_GAIN * 100
    did = estimate.did
    assert did.low <= planted <= did.high, (did.estimate, did.low, did.high)
    assert did.low > 0
    assert did.n_treated == FIRST_WAVE_SIZE and did.n_control >= 10
    assert estimate.sentence in text

    saved = submit(client, result, action="/impact/save/")
    assert saved.status_code == 200 and saved.redirect_chain[-1][0].startswith("/impact/")
    assert estimate.sentence in html(saved)


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
