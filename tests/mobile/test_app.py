"""The offline app's server side (issue 18): the trip pack a phone downloads before leaving, the app's page, its
service worker and web manifest. The app itself (IndexedDB outbox, photos, receipts, going offline) is exercised in a
real browser by tests/browser/test_mobile_offline.py."""

import datetime as dt
import json
import re

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from civicdesk.handbook.models import Procedure
from civicdesk.mobile import services
from civicdesk.mobile.models import Trip
from civicdesk.mobile.views import app
from civicdesk.servicedesk.services import receive_dossier
from tests.factories import HamletFactory, UserFactory
from tests.handbook.factories import ProcedureFactory

from .conftest import field_dossier, new_uuid, vn

PACK = "/api/servicedesk/field-pack"


def _trip(commune, officer, day, **changes):
    data = {
        "commune": commune, "day": day, "title": f"Chuyến {day:%d/%m}", "leave_at": dt.time(7, 0),
        "back_by": dt.time(16, 0), "created_by": officer, "procedure_codes": ["HT-001"],
    }  # fmt: skip
    data.update(changes)
    return Trip.objects.create(**data)


@pytest.fixture
def bon(cat_tien):
    return HamletFactory(commune=cat_tien, name="Bon Bù Sa")


def test_the_pack_holds_the_counters_checklists_the_hamlets_and_the_coming_trips(
    client, token, tien, cat_tien, khai_sinh, bon, di_linh, django_assert_max_num_queries
):
    HamletFactory(commune=di_linh, name="Thôn của xã khác")
    ProcedureFactory(code="HT-DRAFT", status=Procedure.Status.DRAFT)
    ProcedureFactory(code="HT-EMPTY", components=[])
    coming = _trip(cat_tien, tien, dt.date(2026, 3, 5))
    _trip(cat_tien, tien, dt.date(2026, 3, 2))  # yesterday's
    _trip(cat_tien, tien, dt.date(2026, 3, 6), status=Trip.Status.CANCELLED)
    with django_assert_max_num_queries(8):
        response = client.get(PACK, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.json()
    pack = response.json()
    assert pack["commune_code"] == 25162 and pack["commune_name"] == "Xã Cát Tiên 3"
    assert pack["server_time"].startswith("2026-03-03T08:00:00")  # 15:00 in Vietnam
    by_code = {p["code"]: p for p in pack["procedures"]}
    assert set(by_code) == {"HT-001"}  # published, with a checklist
    assert by_code["HT-001"]["items"] == [
        {"index": 0, "name": "Tờ khai đăng ký khai sinh", "required": True},
        {"index": 1, "name": "Giấy chứng sinh", "required": True},
        {"index": 2, "name": "Văn bản ủy quyền", "required": False},
    ]
    assert pack["hamlets"] == [{"id": bon.pk, "name": "Bon Bù Sa"}]
    assert pack["trips"] == [
        {"id": coming.pk, "day": "2026-03-05", "title": "Chuyến 05/03", "procedure_codes": ["HT-001"]}
    ]
    assert pack["limits"] == {"attachment_bytes": 2 * 1024 * 1024, "attachments_per_dossier": 10}


def test_the_pack_is_for_a_communes_own_people(client, client_for, quan, phap, di_linh, khai_sinh):
    assert client.get(PACK).status_code == 401
    for user in (quan, phap):  # the province admin and a department expert belong to no commune
        refused = client_for(user).get(PACK)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    client.logout()
    citizen_helper = UserFactory(username="hotline", role="hotline_operator", province=di_linh.province)
    assert client_for(citizen_helper).get(PACK).status_code == 403


def test_the_app_page_needs_a_sign_in_and_a_commune_role(client, client_for, mai, tien, cat_tien):
    response = client.get("/mobile/app/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    volunteer = UserFactory(username="tnv", role="volunteer", commune=cat_tien)
    assert client_for(volunteer).get("/mobile/app/").status_code == 403
    for user in (mai, tien):
        assert client_for(user).get("/mobile/app/").status_code == 200


def test_the_app_page_runs_no_inline_script_and_carries_its_settings(client_for, mai):
    response = client_for(mai).get("/mobile/app/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-cache"
    page = lxml.html.fromstring(response.content)
    for script in page.iter("script"):
        # A JSON data block is not run; every script that runs comes from our static files.
        assert script.get("src") or script.get("type") == "application/json", lxml.html.tostring(script)
    assert [s.get("src") for s in page.iter("script") if s.get("src")] == [
        static(path) for path in app.SCRIPTS
    ]
    config = json.loads(page.get_element_by_id("app-config").text)
    assert config["lookup"] == "http://testserver/tra-cuu/?ma=" and config["worker"] == "/mobile/app/sw.js"
    assert config["commune"] == 25162 and config["maxBytes"] == 2 * 1024 * 1024
    assert config["text"]["missingRequired"].startswith("Chưa cấp được biên nhận")
    assert page.xpath("//link[@rel='manifest']/@href") == ["/mobile/app/manifest.webmanifest"]


def test_the_app_page_names_whose_dossiers_the_phone_shows_and_says_how_an_edit_went(client_for, mai, tien):
    """Each user has their own store on the phone (keyed by the page's `userKey`); the edit form's words come
    translated from the server like the rest of the app's."""
    mine = json.loads(
        lxml.html.fromstring(client_for(mai).get("/mobile/app/").content).get_element_by_id("app-config").text
    )
    theirs = json.loads(
        lxml.html.fromstring(client_for(tien).get("/mobile/app/").content)
        .get_element_by_id("app-config")
        .text
    )
    assert mine["userKey"] == str(mai.pk) and theirs["userKey"] == str(tien.pk)
    text = mine["text"]
    assert text["editTitle"] % {"code": "TLD-25162A-0001"} == "Sửa hồ sơ TLD-25162A-0001"
    assert "đã được gửi cho cán bộ xã để đối chiếu" in text["editConflict"]
    assert "%(code)s" in text["lockedRegistered"] and "%(name)s" in text["otherUser"]
    # The form's own labels are the page's: the app swaps them between a new dossier and a correction.
    page = client_for(mai).get("/mobile/app/").content.decode()
    assert f">{text['saveNew']}</button>" in page and text["newTitle"] in page


def test_the_service_worker_precaches_the_app_by_its_static_urls(client):
    response = client.get("/mobile/app/sw.js")  # public: it names static files only
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    imported = re.findall(r'"(/static/[^"]+\.js)"', body.split("self.CD_MOBILE")[0])
    assert imported == [static(path) for path in app.WORKBOX]
    config = json.loads(re.search(r"self\.CD_MOBILE = (\{.*\});", body)[1])
    urls = [entry["url"] for entry in config["precache"]]
    for path in [*app.STYLES, *app.SCRIPTS, *app.ICONS.values()]:
        assert static(path) in urls
        assert finders.find(path), path
    assert "/mobile/app/manifest.webmanifest" in urls
    assert all(re.fullmatch(r"[0-9a-f]{16}", entry["revision"]) for entry in config["precache"])
    assert config["shell"] == "/mobile/app/"
    assert body.rstrip().endswith(f'importScripts("{static(app.WORKER)}");')


def test_the_manifest_installs_the_app_on_the_home_screen(client):
    response = client.get("/mobile/app/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "CivicDesk – Tổ lưu động"
    assert manifest["start_url"] == manifest["scope"] == "/mobile/app/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_every_vendored_library_comes_with_its_licence():
    for folder in ("workbox-7.4.1", "idb-8.0.4", "qrcode-generator-2.0.4"):
        assert finders.find(f"mobile/vendor/{folder}/LICENSE"), folder
    # collectstatic's manifest storage rewrites sourceMappingURL: each map a Workbox build names must be there.
    for path in app.WORKBOX:
        assert finders.find(f"{path}.map"), path


def test_the_phone_asks_again_about_a_dossier_the_officer_had_to_look_at(
    client, client_for, token, mai, tien, cat_tien, phone, khai_sinh, charlie
):
    receive_dossier(
        tien, commune=cat_tien, procedure=khai_sinh, present=[0, 1], applicant_name="Điểu K'Lang",
        applicant_id_number="068190001234", applicant_phone="0912345678", channel="truc_tiep",
        received_at=vn(2026, 3, 2, 8, 30),
    )  # fmt: skip
    key = new_uuid()
    record = services.sync_field_dossier(mai, key, field_dossier(phone)).field_dossier
    url = f"/api/servicedesk/field-dossiers/{key}"
    waiting = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert waiting["status"] == "review" and waiting["dossier_code"] is None
    services.resolve(tien, record, action="register")
    now = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert now["status"] == "registered" and now["dossier_code"].startswith("25162-")
    assert client_for(charlie).get(url).status_code == 404  # another commune's officer
