"""Intake safe to retry: an `Idempotency-Key` on `POST /api/servicedesk/dossiers` and a one-time token in the counter's
form register one dossier however many times the same request arrives (services.idempotency)."""

import re
import threading
import uuid
from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.test import Client

from civicdesk.core.models import AuditEvent
from civicdesk.core.services import issue_api_token
from civicdesk.servicedesk import services, tasks
from civicdesk.servicedesk.models import Dossier, IntakeCheck, IntakeKey

from .conftest import APPLICANT
from .factories import vn

MONDAY_9 = vn(2025, 10, 6, 9)
URL = "/api/servicedesk/dossiers"
RECEIVE = "/servicedesk/receive/?procedure=HT-001"
JSON = "application/json"
COMPLETE = {"procedure_code": "HT-001", "present": [0, 1], **APPLICANT}


def auth(user):
    _token, raw = issue_api_token(user, user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def intake(client, headers, payload=COMPLETE, key=None):
    extra = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(URL, payload, content_type=JSON, **headers, **extra)


def replayed(response):
    return response.headers.get("Idempotent-Replayed")


# -- the API ---------------------------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_9, tick=False)
def test_a_retry_with_the_same_key_answers_the_same_dossier_and_registers_nothing(client, alice, khai_sinh):
    headers, key = auth(alice), str(uuid.uuid4())
    first = intake(client, headers, key=key)
    assert first.status_code == 201 and replayed(first) is None
    # The same request again after a lost answer, its JSON written in another order and the default channel left
    # out: the same intake.
    again_payload = {k: COMPLETE[k] for k in reversed(COMPLETE) if k != "channel"}
    again = intake(client, headers, again_payload, key=key)
    assert again.status_code == 201 and replayed(again) == "true"
    assert again.json()["code"] == first.json()["code"] == "25000-251006-001"
    assert Dossier.objects.count() == 1 and IntakeCheck.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="servicedesk.dossier", action="create").count() == 1
    stored = IntakeKey.objects.get()
    assert (stored.user, stored.key, stored.dossier.code, len(stored.fingerprint)) == (
        alice,
        key,
        first.json()["code"],
        64,
    )
    # The fingerprint is a hash: the applicant's data is not copied into the key's row.
    assert "068190001234" not in stored.fingerprint


@time_machine.travel(MONDAY_9, tick=False)
def test_the_same_key_with_another_payload_is_refused_and_changes_nothing(client, alice, khai_sinh):
    headers, key = auth(alice), "don-25000-0001"
    first = intake(client, headers, key=key).json()
    other = intake(client, headers, {**COMPLETE, "applicant_phone": "0987654321"}, key=key)
    body = other.json()["error"]
    assert other.status_code == 422 and replayed(other) is None
    assert body["code"] == "idempotency_key_reused" and "nội dung khác" in body["message"]
    assert body["details"] == {"dossier": first["code"]}
    assert Dossier.objects.count() == 1 and IntakeCheck.objects.count() == 1
    assert Dossier.objects.get().applicant_phone == "0912345678"
    assert IntakeKey.objects.get().dossier.code == first["code"]


@time_machine.travel(MONDAY_9, tick=False)
def test_an_incomplete_intake_is_answered_again_with_the_same_refusal(client, alice, khai_sinh):
    """A refused intake is an outcome too: its retry is not checked (and counted) a second time."""
    headers, key = auth(alice), str(uuid.uuid4())
    payload = {**COMPLETE, "present": [0]}
    first = intake(client, headers, payload, key=key)
    again = intake(client, headers, payload, key=key)
    assert first.status_code == again.status_code == 422 and replayed(again) == "true"
    assert first.json() == again.json() and again.json()["error"]["code"] == "incomplete"
    assert IntakeCheck.objects.count() == 1 and not Dossier.objects.exists()
    # The applicant comes back with the missing paper: a new intake, so a new key.
    assert intake(client, headers, key=key).json()["error"]["code"] == "idempotency_key_reused"
    assert intake(client, headers, key=str(uuid.uuid4())).status_code == 201


@time_machine.travel(MONDAY_9, tick=False)
def test_a_key_belongs_to_its_user(client, alice, linh, charlie, khai_sinh):
    key = "the-same-key"
    codes = []
    for user in (alice, linh, charlie):
        response = intake(client, auth(user), key=key)
        assert response.status_code == 201 and replayed(response) is None, user
        codes.append(response.json()["code"])
    assert codes == ["25000-251006-001", "25000-251006-002", "24787-251006-001"]
    assert IntakeKey.objects.filter(key=key).count() == 3


@time_machine.travel(MONDAY_9, tick=False)
def test_without_a_key_every_request_registers(client, alice, khai_sinh):
    headers = auth(alice)
    responses = [intake(client, headers), intake(client, headers)]
    assert [r.status_code for r in responses] == [201, 201] and not any(map(replayed, responses))
    assert Dossier.objects.count() == 2 and not IntakeKey.objects.exists()


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "từ 1 đến 100 ký tự"),
        ("k" * 101, "từ 1 đến 100 ký tự"),
        ("abc\x01def", "ký tự điều khiển không nhìn thấy (U+0001)"),
        ("abc\tdef", "ký tự điều khiển không nhìn thấy (U+0009)"),
        ("abc\x7f", "ký tự điều khiển không nhìn thấy (U+007F)"),
        ("khóa-1", "có ký tự “ó”, U+00F3"),
    ],
)
@time_machine.travel(MONDAY_9, tick=False)
def test_a_bad_key_is_refused_in_vietnamese_and_nothing_is_registered(client, alice, khai_sinh, key, says):
    response = intake(client, auth(alice), key=key)
    body = response.json()["error"]
    assert response.status_code == 422 and body["code"] == "invalid"
    [message] = body["details"]["idempotency_key"]
    assert "Idempotency-Key" in message and says in message
    # The header is checked before what the body names (an unknown procedure would be a 404).
    unknown = intake(client, auth(alice), {**COMPLETE, "procedure_code": "KHONG-CO"}, key=key)
    assert unknown.status_code == 422 and "idempotency_key" in unknown.json()["error"]["details"]
    assert not (Dossier.objects.exists() or IntakeCheck.objects.exists() or IntakeKey.objects.exists())


@time_machine.travel(MONDAY_9, tick=False)
def test_any_printable_ascii_key_up_to_100_characters_is_taken(client, alice, khai_sinh):
    headers = auth(alice)
    for key in ("k" * 100, "a b:c/d=e+f~!", "7"):
        assert intake(client, headers, key=key).status_code == 201, key
    assert IntakeKey.objects.count() == 3


@time_machine.travel(MONDAY_9, tick=False)
def test_a_refused_intake_keeps_no_key_so_its_correction_can_use_it(client, alice, khai_sinh):
    headers, key = auth(alice), str(uuid.uuid4())
    bad = intake(client, headers, {**COMPLETE, "applicant_id_number": "1"}, key=key)
    assert bad.status_code == 422 and "applicant_id_number" in bad.json()["error"]["details"]
    assert not IntakeKey.objects.exists()
    fixed = intake(client, headers, key=key)
    assert fixed.status_code == 201 and replayed(fixed) is None


@time_machine.travel(MONDAY_9, tick=False)
def test_a_user_who_may_not_receive_is_refused_before_any_key_is_read(client, alice, quan, khai_sinh):
    key = str(uuid.uuid4())
    intake(client, auth(alice), key=key)
    refused = intake(client, auth(quan), key=key)
    assert refused.status_code == 403 and "25000" not in refused.content.decode()
    assert Dossier.objects.count() == 1 and IntakeKey.objects.count() == 1


def test_the_header_is_in_the_openapi_document(client, db):
    operation = client.get("/api/openapi.json").json()["paths"][URL]["post"]
    [header] = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and not header.get("required", False)
    assert "Idempotent-Replayed" in header["description"]


# -- the service -----------------------------------------------------------------------------------------------------


@time_machine.travel(MONDAY_9, tick=False)
def test_the_fingerprint_compares_what_the_intake_reads(alice, di_linh, ket_hon):
    """The components as a set, an instant in any offset, a default left out: the same intake; the applicant's
    phone or the appointment moved by a minute: another one."""
    appointment = vn(2025, 10, 20, 9)
    base = {
        "commune": di_linh,
        "procedure": ket_hon,
        "present": [0],
        "appointment_at": appointment,
        **APPLICANT,
    }
    first = services.receive_dossier_once(alice, "k1", **base)
    same = services.receive_dossier_once(
        alice, "k1", **{**base, "present": [0, 0], "appointment_at": appointment.astimezone(UTC)}, note=""
    )
    assert not first.replayed and same.replayed and same.result.dossier == first.result.dossier
    for change in ({"applicant_phone": "0912345679"}, {"appointment_at": appointment + timedelta(minutes=1)}):
        with pytest.raises(services.IntakeKeyReused) as reused:
            services.receive_dossier_once(alice, "k1", **{**base, **change})
        assert reused.value.stored.dossier == first.result.dossier
    assert Dossier.objects.count() == 1


# -- expiry ----------------------------------------------------------------------------------------------------------


def test_keys_are_purged_after_the_retention_period_and_the_key_is_free_again(client, alice, khai_sinh):
    headers, key = auth(alice), str(uuid.uuid4())
    with time_machine.travel(MONDAY_9, tick=False):
        first = intake(client, headers, key=key).json()["code"]
    with time_machine.travel(MONDAY_9 + timedelta(days=7, seconds=-1), tick=False):
        assert tasks.purge_intake_keys.call_local() == 0
        assert replayed(intake(client, headers, key=key)) == "true"
    with time_machine.travel(MONDAY_9 + timedelta(days=7, seconds=1), tick=False):
        assert tasks.purge_intake_keys.call_local() == 1  # the huey job runs the service
        assert not IntakeKey.objects.exists()
        again = intake(client, headers, key=key)
    assert again.status_code == 201 and replayed(again) is None and again.json()["code"] != first
    assert Dossier.objects.count() == 2


def test_the_retention_period_is_a_setting(settings, alice, di_linh, khai_sinh):
    settings.SERVICEDESK_IDEMPOTENCY_DAYS = 1
    with time_machine.travel(MONDAY_9, tick=False):
        services.receive_dossier_once(
            alice, "k1", commune=di_linh, procedure=khai_sinh, present=[0, 1], **APPLICANT
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=23), tick=False):
        services.receive_dossier_once(
            alice, "k2", commune=di_linh, procedure=khai_sinh, present=[0, 1], **APPLICANT
        )
    with time_machine.travel(MONDAY_9 + timedelta(days=1, minutes=1), tick=False):
        assert services.purge_intake_keys() == 1
    assert list(IntakeKey.objects.values_list("key", flat=True)) == ["k2"]


# -- the counter's form ----------------------------------------------------------------------------------------------


def _token(page):
    [token] = re.findall(r'name="submission" value="([0-9a-f-]{36})"', page.content.decode())
    return token


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@time_machine.travel(MONDAY_9, tick=False)
def test_the_form_sent_twice_registers_one_dossier(client_for, alice, khai_sinh):
    """A double click, or the officer going back and sending the form again: the second POST lands on the
    dossier the first one registered."""
    client = client_for(alice)
    form = {**APPLICANT, "components": ["0", "1"], "submission": _token(client.get(RECEIVE))}
    first = client.post(RECEIVE, form)
    dossier = Dossier.objects.get()
    assert first.status_code == 302 and first.url == f"/servicedesk/dossiers/{dossier.code}/"
    second = client.post(RECEIVE, form, follow=True)
    assert second.redirect_chain == [(first.url, 302)]
    assert any(f"hồ sơ {dossier.code} đã được tiếp nhận, không tạo thêm" in m for m in _messages(second))
    assert Dossier.objects.count() == 1 and IntakeCheck.objects.count() == 1
    # Each page gets a token of its own.
    assert _token(client.get(RECEIVE)) != form["submission"]


@time_machine.travel(MONDAY_9, tick=False)
def test_an_incomplete_form_sent_twice_is_checked_once(client_for, alice, khai_sinh):
    client = client_for(alice)
    form = {**APPLICANT, "components": ["0"], "submission": _token(client.get(RECEIVE))}
    first, second = client.post(RECEIVE, form), client.post(RECEIVE, form)
    check = IntakeCheck.objects.get()
    assert first.url == second.url == f"/servicedesk/checks/{check.pk}/"
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_the_form_sent_again_with_other_content_is_stopped_and_given_a_new_token(
    client_for, alice, khai_sinh
):
    client = client_for(alice)
    token = _token(client.get(RECEIVE))
    client.post(RECEIVE, {**APPLICANT, "components": ["0", "1"], "submission": token})
    code = Dossier.objects.get().code
    changed = {**APPLICANT, "applicant_phone": "0987654321", "components": ["0", "1"], "submission": token}
    stopped = client.post(RECEIVE, changed)
    page = stopped.content.decode()
    assert stopped.status_code == 400 and "đã được gửi trước đó với nội dung khác" in page and code in page
    assert "0987654321" in page  # what the officer typed is kept
    assert Dossier.objects.count() == 1
    # Sent again from that page, it is a new submission: the officer meant a second dossier.
    renewed = _token(stopped)
    assert renewed != token
    assert client.post(RECEIVE, {**changed, "submission": renewed}).status_code == 302
    assert Dossier.objects.count() == 2


@time_machine.travel(MONDAY_9, tick=False)
def test_a_form_from_before_the_token_still_registers_and_a_forged_token_is_replaced(
    client_for, alice, khai_sinh
):
    client = client_for(alice)
    assert client.post(RECEIVE, {**APPLICANT, "components": ["0", "1"]}).status_code == 302
    forged = client.post(RECEIVE, {**APPLICANT, "components": ["0", "1"], "submission": "not-a-uuid"})
    assert forged.status_code == 400 and "Mã lượt gửi biểu mẫu không hợp lệ" in forged.content.decode()
    assert uuid.UUID(_token(forged))
    assert Dossier.objects.count() == 1


# -- concurrency (PostgreSQL) ----------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_requests_racing_with_one_key_register_one_dossier(alice, khai_sinh):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    headers, key, racers = auth(alice), str(uuid.uuid4()), 6
    barrier = threading.Barrier(racers)
    answers, errors = [], []

    def send():
        try:
            barrier.wait(timeout=10)
            response = intake(Client(), headers, key=key)
            answers.append((response.status_code, response.json().get("code"), replayed(response)))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    dossier = Dossier.objects.get()
    assert sorted(answers, key=lambda a: a[2] or "") == [(201, dossier.code, None)] + [
        (201, dossier.code, "true")
    ] * (racers - 1)
    assert IntakeCheck.objects.count() == 1 and IntakeKey.objects.count() == 1
