"""The volunteers API: generate, roster (assignments, uncovered demand, fairness), check-in, help — scoped."""

import datetime as dt

import pytest

from civicdesk.core.services import issue_api_token
from civicdesk.volunteers.models import Booking, Help, Shift
from tests.factories import SYSTEM

from .conftest import MONDAY, vn

pytestmark = pytest.mark.django_db


def auth(user):
    _token, raw = issue_api_token(SYSTEM, user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", **auth(user))


def test_generate_roster_publish_and_read(client, alice, charlie, vy, tuan, templates):
    period = {"start": str(MONDAY), "end": str(MONDAY + dt.timedelta(days=4))}
    assert (
        post(
            client, "/api/volunteers/shifts/generate", {**period, "commune_code": 25000}, charlie
        ).status_code
        == 404
    )
    assert post(client, "/api/volunteers/shifts/generate", period, vy.person.user).status_code == 403
    # Cam Ly has no templates yet: said so, nothing made.
    assert post(client, "/api/volunteers/shifts/generate", period, charlie).status_code == 422
    made = post(client, "/api/volunteers/shifts/generate", period, alice)
    assert made.status_code == 201 and made.json() == {"created": 10, "updated": 0}
    rostered = post(client, "/api/volunteers/roster", {**period, "publish": True}, alice)
    body = rostered.json()
    assert rostered.status_code == 200, body
    assert body["status"] == "OPTIMAL" and body["gap"] == 0 and body["published"] == 10
    # Two volunteers, 3 shifts a week each at most: 6 of the 10 places wanted are covered, fairly (3 and 3).
    assert (
        body["covered"] == 6
        and body["demand"] == 10
        and (body["fairness_min"], body["fairness_max"]) == (3, 3)
    )
    assert sum(len(v) for v in body["assignments"].values()) == 6
    short = [g for g in body["uncovered"] if g["short"]]
    assert len(short) == 4
    assert all("at_weekly_limit" in {r["code"] for r in g["reasons"]} for g in short), short
    assert all(r["message"] for g in body["uncovered"] for r in g["reasons"])
    shifts = client.get(
        "/api/volunteers/shifts", {"start": period["start"], "end": period["end"]}, **auth(alice)
    )
    assert [s["status"] for s in shifts.json()] == ["published"] * 10
    other = client.get("/api/volunteers/shifts", {"start": period["start"], "end": period["end"],
                                                   "commune_code": 25000}, **auth(charlie))  # fmt: skip
    assert other.status_code == 404


def test_check_in_and_help_by_api(client, alice, charlie, vy, week, khai_sinh, _pinned):
    shift = week[0]
    _pinned.move_to(vn(2026, 3, 2, 7, 40))
    url = f"/api/volunteers/shifts/{shift.pk}/checkin"
    assert post(client, url, {"token": shift.checkin_token}, charlie).status_code == 404
    assert post(client, url, {"token": "nope"}, vy.person.user).status_code == 422
    done = post(client, url, {"token": shift.checkin_token}, vy.person.user)
    assert done.status_code == 201 and done.json()["status"] == "attended"
    helped = post(
        client, "/api/volunteers/help", {"procedure_code": "HT-001", "filed_online": True}, vy.person.user
    )
    assert helped.status_code == 201 and helped.json()["shift_id"] == shift.pk
    assert (
        post(client, "/api/volunteers/help", {"procedure_code": "HT-001"}, alice).status_code == 422
    )  # whose?
    assert Help.objects.count() == 1 and Booking.objects.get(shift=shift).status == "attended"
    assert Shift.objects.count() == 20
