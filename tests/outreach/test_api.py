"""/api/outreach: campaigns, CSV imports (all or nothing, line-numbered), attempts under the contact rules (a 409
with each reason), the report; scoped like every endpoint (another commune's campaign is 404), phones only to the
commune's coordinators."""

import pytest

from civicdesk.community.models import Person
from civicdesk.core.audit import Action
from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.outreach import services
from civicdesk.outreach.models import Attempt, Campaign, Consent, Target
from tests.servicedesk.factories import DossierFactory

from .conftest import CSV, vn

pytestmark = pytest.mark.django_db

CAMPAIGN = {
    "name": "Tiếp cận VNeID mức 2",
    "purpose": "Kích hoạt tài khoản định danh điện tử",
    "theme": "vneid",
    "start_date": "2026-03-02",
    "end_date": "2026-04-30",
    "procedure_codes": ["HT-001"],
    "max_attempts": 2,
    "cooloff_hours": 4,
}


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **auth(user))


def attempt(client, user, target, **fields):
    return post(client, "/api/outreach/attempts", {"target_id": target.pk, **fields}, user)


def test_a_commune_officer_creates_a_campaign_of_their_commune(client, alice, khai_sinh, cam_ly):
    created = post(client, "/api/outreach/campaigns", CAMPAIGN, alice)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["commune_code"], body["procedure_codes"], body["owner"]) == (25000, ["HT-001"], "alice")
    assert (body["max_attempts"], body["cooloff_hours"], body["status"]) == (2, 4, "active")
    assert (
        client.get(f"/api/outreach/campaigns/{body['id']}", **auth(alice)).json()["name"] == CAMPAIGN["name"]
    )
    listed = client.get("/api/outreach/campaigns", **auth(alice)).json()
    assert [c["id"] for c in listed] == [body["id"]]
    # Another commune's code is outside the officer's scope; a bad period or theme is a 422 naming the field.
    assert (
        post(client, "/api/outreach/campaigns", {**CAMPAIGN, "commune_code": cam_ly.code}, alice).status_code
        == 404
    )
    backwards = post(client, "/api/outreach/campaigns", {**CAMPAIGN, "end_date": "2026-03-01"}, alice)
    assert backwards.status_code == 422 and "end_date" in backwards.json()["error"]["details"]
    unknown = post(client, "/api/outreach/campaigns", {**CAMPAIGN, "procedure_codes": ["XX-9"]}, alice)
    assert unknown.status_code == 422 and "procedure_codes" in unknown.json()["error"]["details"]
    assert post(client, "/api/outreach/campaigns", {**CAMPAIGN, "theme": "weather"}, alice).status_code == 422
    assert Campaign.objects.count() == 1


def test_a_volunteer_cannot_create_and_the_province_needs_a_commune(
    client, vy, quan, alice, khai_sinh, di_linh
):
    assert post(client, "/api/outreach/campaigns", CAMPAIGN, vy).status_code == 403
    assert post(client, "/api/outreach/campaigns", CAMPAIGN, quan).status_code == 422
    for_commune = {**CAMPAIGN, "commune_code": di_linh.code}
    # The owner defaults to the caller, who must belong to the commune: the province names one of its people.
    refused = post(client, "/api/outreach/campaigns", for_commune, quan)
    assert refused.status_code == 422 and "owner" in refused.json()["error"]["details"]
    assert (
        post(client, "/api/outreach/campaigns", {**for_commune, "owner": "nobody"}, quan).status_code == 422
    )
    created = post(client, "/api/outreach/campaigns", {**for_commune, "owner": "alice"}, quan)
    assert created.status_code == 201, created.json()
    assert (created.json()["commune_code"], created.json()["owner"]) == (di_linh.code, "alice")


def test_the_province_admin_creates_a_province_campaign(
    client, quan, alice, charlie, di_linh, cam_ly, khai_sinh
):
    body = {**CAMPAIGN, "commune_codes": [di_linh.code, cam_ly.code]}
    created = post(client, "/api/outreach/campaigns", body, quan)
    assert created.status_code == 201, created.json()
    campaign = created.json()
    assert campaign["commune_code"] is None and campaign["commune_codes"] == sorted(
        [di_linh.code, cam_ly.code]
    )
    # Both communes see it; a commune officer may not create one.
    for user in (alice, charlie):
        assert client.get(f"/api/outreach/campaigns/{campaign['id']}", **auth(user)).status_code == 200
    assert post(client, "/api/outreach/campaigns", body, alice).status_code == 403
    assert post(client, "/api/outreach/campaigns", {**body, "commune_codes": [1]}, quan).status_code == 422


def test_an_import_is_all_or_nothing_with_numbered_lines(client, campaign, alice, thon2):
    url = f"/api/outreach/campaigns/{campaign.pk}/targets"
    bad = CSV + "Trần Thị Mai,0123,,,,,\n"
    refused = post(client, url, {"csv": bad}, alice)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "invalid"
    assert any(d.startswith("Dòng 4, cột phone") for d in error["details"]), error["details"]
    assert not Target.objects.exists() and not Person.objects.filter(kind="citizen").exists()
    assert not Consent.objects.exists()

    dry = post(client, url, {"csv": CSV, "dry_run": True}, alice)
    assert dry.status_code == 200 and dry.json()["targets_created"] == 2
    assert not Target.objects.exists()

    imported = post(client, url, {"csv": CSV}, alice)
    assert imported.status_code == 201, imported.json()
    assert imported.json() == {
        "dry_run": False,
        "rows": 2,
        "targets_created": 2,
        "people_created": 2,
        "people_matched": 0,
        "merged_rows": 0,
        "already_listed": 0,
        "consents_recorded": 3,
    }
    again = post(client, url, {"csv": CSV}, alice).json()
    assert (again["targets_created"], again["people_matched"], again["already_listed"]) == (0, 2, 2)
    assert Target.objects.filter(campaign=campaign).count() == 2


def test_another_commune_sees_404(client, campaign, listed, charlie):
    base = f"/api/outreach/campaigns/{campaign.pk}"
    for url in (base, f"{base}/targets", f"{base}/report"):
        assert client.get(url, **auth(charlie)).status_code == 404, url
    assert post(client, f"{base}/targets", {"csv": CSV}, charlie).status_code == 404
    assert attempt(client, charlie, listed[0], channel="phone", outcome="reached").status_code == 404
    assert client.get("/api/outreach/campaigns", **auth(charlie)).json() == []
    assert not Attempt.objects.exists()


def test_an_attempt_is_recorded(client, listed, alice):
    response = attempt(client, alice, listed[0], channel="phone", outcome="no_answer", note="Không nghe máy")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["outcome"], body["by"], body["target_status"]) == ("no_answer", "alice", "in_progress")
    assert body["at"] == "2026-03-02T09:00:00+07:00"
    assert body["next_action_at"] == "2026-03-03T07:30:00+07:00"  # the next working morning
    # Within the campaign's cool-off the rules refuse the next call, with the reason's code.
    again = attempt(client, alice, listed[0], channel="phone", outcome="reached")
    assert again.status_code == 409
    assert [d["code"] for d in again.json()["error"]["details"]] == ["cooloff"]
    invalid = attempt(client, alice, listed[1], channel="phone", outcome="appointment")
    assert invalid.status_code == 422 and "next_action_at" in invalid.json()["error"]["details"]
    assert (
        attempt(
            client, alice, listed[1], channel="phone", outcome="reached", at="2026-03-03T09:00"
        ).status_code
        == 422
    )
    assert Attempt.objects.count() == 1


def test_no_consent_for_the_channel_is_a_409_with_its_code(client, listed, alice):
    hung = listed[1]  # consented to phone only
    refused = attempt(client, alice, hung, channel="zalo", outcome="reached")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict"
    assert [d["code"] for d in error["details"]] == ["no_consent"]
    assert "im lặng không phải là đồng ý" in error["details"][0]["message"]
    assert not Attempt.objects.exists()


def test_a_time_without_offset_is_vietnam_time(client, listed, alice):
    response = attempt(client, alice, listed[0], channel="phone", outcome="reached", at="2026-03-02T08:15:00")
    assert response.status_code == 201 and response.json()["at"] == "2026-03-02T08:15:00+07:00"
    assert Attempt.objects.get().at == vn(2026, 3, 2, 8, 15)


def test_the_report_counts_after_attempts(client, campaign, listed, alice, di_linh, khai_sinh):
    dossier = DossierFactory(
        commune=di_linh,
        procedure=khai_sinh,
        code="25000-260302-001",
        received_at=vn(2026, 3, 2, 8),
        channel="truc_tuyen",
    )
    assert attempt(client, alice, listed[0], channel="phone", outcome="guided_online").status_code == 201
    filed = attempt(
        client, alice, listed[1], channel="phone", outcome="dossier_filed", dossier_code=dossier.code
    )
    assert filed.status_code == 201 and filed.json()["dossier_code"] == dossier.code
    report = client.get(f"/api/outreach/campaigns/{campaign.pk}/report", **auth(alice))
    assert report.status_code == 200
    body = report.json()
    assert (body["targets"], body["contacted"], body["reached"], body["converted"], body["attempts"]) == (
        2,
        2,
        2,
        1,
        2,
    )
    assert (body["reach_rate"], body["conversion_rate"], body["conversion_of_reached"]) == (1.0, 0.5, 0.5)
    assert body["by_outcome"] == {"guided_online": 1, "dossier_filed": 1}
    assert body["by_channel"] == {"phone": 2}
    assert (
        body["by_status"]["done"] == 1
        and body["by_status"]["converted"] == 1
        and body["by_status"]["new"] == 0
    )
    assert body["converted_group"]["count"] == 1 and body["converted_group"]["online_rate"] == 1.0
    assert body["comparison"]["count"] == 0 and body["comparison"]["online_rate"] is None
    assert body["procedures"] == ["HT-001"] and body["opt_outs"] == 0
    targets = client.get(
        f"/api/outreach/campaigns/{campaign.pk}/targets", {"status": "converted"}, **auth(alice)
    )
    assert [t["dossier_code"] for t in targets.json()] == [dossier.code]


def test_a_province_campaign_report_is_scoped_to_the_commune(
    client, quan, alice, charlie, di_linh, cam_ly, khai_sinh
):
    campaign = services.save_campaign(
        quan,
        province=di_linh.province,
        data={
            "name": "Tỉnh: khai sinh",
            "purpose": "Khai sinh",
            "theme": "late_birth",
            "start_date": vn(2026, 3, 1).date(),
            "end_date": vn(2026, 6, 30).date(),
        },
        communes=[di_linh, cam_ly],
    )
    csv = (
        "full_name,phone,commune,consent,consent_source\n"
        f"K'Điệp,0912345678,{di_linh.code},phone,Phiếu đồng ý\n"
        f"Ka Huệ,0987654321,{cam_ly.code},phone,Phiếu đồng ý\n"
        f"Ka Lim,0987654322,{cam_ly.code},phone,Phiếu đồng ý\n"
    )
    url = f"/api/outreach/campaigns/{campaign.pk}"
    assert post(client, f"{url}/targets", {"csv": csv}, alice).status_code == 403  # the province's list
    assert post(client, f"{url}/targets", {"csv": csv}, quan).status_code == 201
    assert client.get(f"{url}/report", **auth(quan)).json()["targets"] == 3
    assert client.get(f"{url}/report", **auth(alice)).json()["targets"] == 1
    assert client.get(f"{url}/report", **auth(charlie)).json()["targets"] == 2
    names = [t["full_name"] for t in client.get(f"{url}/targets", **auth(alice)).json()]
    assert names == ["K'Điệp"]


def test_a_province_import_names_communes_by_code(client, quan, di_linh, cam_ly, khai_sinh):
    created = post(
        client, "/api/outreach/campaigns", {**CAMPAIGN, "commune_codes": [di_linh.code, cam_ly.code]}, quan
    )
    csv = f"full_name,phone,commune\nK'Điệp,0912345678,{di_linh.code}\n"
    response = post(client, f"/api/outreach/campaigns/{created.json()['id']}/targets", {"csv": csv}, quan)
    assert response.status_code == 201, response.json()


def test_a_volunteer_works_only_what_is_reserved_to_them(client, campaign, listed, alice, vy):
    first, second = listed
    assert attempt(client, vy, first, channel="phone", outcome="reached").status_code == 403
    assert services.reserve(alice, campaign, vy, count=1) == 1
    assert Target.objects.get(pk=first.pk).assignee == vy
    assert attempt(client, vy, first, channel="phone", outcome="reached").status_code == 201
    refused = attempt(client, vy, second, channel="phone", outcome="reached")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert Attempt.objects.filter(target=second).count() == 0
    # The volunteer cannot import either.
    assert post(client, f"/api/outreach/campaigns/{campaign.pk}/targets", {"csv": CSV}, vy).status_code == 403


def test_phones_only_to_those_who_may_work_the_target(client, campaign, listed, alice, vy):
    services.reserve(alice, campaign, vy, count=1)
    url = f"/api/outreach/campaigns/{campaign.pk}/targets"
    as_vy = client.get(url, **auth(vy)).json()
    assert [t["full_name"] for t in as_vy] == ["K'Điệp", "Nguyễn Văn Hùng"]
    # The volunteer sees the phone of the one reserved to them (as on its page), not the other.
    assert [t["phone"] for t in as_vy] == ["+84912345678", None]
    assert as_vy[0]["assignee"] == "vy" and as_vy[1]["assignee"] is None
    assert "068190001234" not in str(as_vy)
    as_alice = client.get(url, **auth(alice)).json()
    assert [t["phone"] for t in as_alice] == ["+84912345678", "+84987654321"]
    assert "068190001234" not in str(as_alice)  # the CCCD is never answered
    # Showing the phones is logged, once per page, on the campaign.
    views = AuditEvent.objects.filter(action=Action.VIEW, object_type="outreach.campaign").order_by("pk")
    assert [(v.actor, v.changes) for v in views] == [
        (vy, {"fields": ["phone"]}),
        (alice, {"fields": ["phone"]}),
    ]
    page = client.get(url, {"limit": 1, "offset": 1, "status": "new"}, **auth(alice)).json()
    assert [t["full_name"] for t in page] == ["Nguyễn Văn Hùng"]
    assert client.get(url, {"limit": 0}, **auth(alice)).status_code == 422
