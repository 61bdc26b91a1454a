"""Retention: the province admin sets the months per kind of record; the pass pseudonymises only what is past them,
keeps what the KPIs read, is idempotent and batched, and is audited with counts — never a personal value."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from huey import crontab

from civicdesk.community.models import Person
from civicdesk.core.models import AuditEvent
from civicdesk.hotline.models import Message as TicketMessage
from civicdesk.hotline.models import Ticket
from civicdesk.kernel.personal_data import pseudonym, subject_identifier
from civicdesk.outreach.models import Attempt, Message, Target
from civicdesk.privacy import tasks
from civicdesk.privacy.models import RetentionPolicy, RetentionRun
from civicdesk.privacy.services import retention
from civicdesk.servicedesk.models import Dossier, DossierEvent

from .conftest import CCCD, SYSTEM, closed_dossier, ticket, vn

KPI_FIELDS = (
    "commune_id",
    "province_id",
    "procedure_id",
    "procedure_code",
    "procedure_name",
    "channel",
    "status",
    "received_at",
    "received_date",
    "due_at",
    "finished_at",
    "returned_at",
    "is_on_time",
    "working_days_taken",
    "supplement_count",
    "rating",
)


def test_months_before_keeps_the_day_or_the_last_one():
    assert retention.months_before(vn(2026, 3, 31, 9), 1) == vn(2026, 2, 28, 9)
    assert retention.months_before(vn(2026, 3, 2, 9), 60) == vn(2021, 3, 2, 9)
    assert retention.months_before(vn(2026, 1, 15, 9), 13) == vn(2024, 12, 15, 9)


def test_the_nightly_pass_runs_at_0240_vietnam_time_which_huey_reads_as_1940_utc():
    task = tasks.pseudonymise_past_retention.task_class()
    assert task.validate_datetime(dt.datetime(2026, 3, 2, 19, 40))  # huey's clock is UTC
    assert not task.validate_datetime(dt.datetime(2026, 3, 2, 2, 40))
    assert crontab(minute="40", hour="19")(dt.datetime(2026, 3, 2, 19, 40))


def test_province_admin_sets_retention_and_it_is_audited(quan, lam_dong):
    changes = retention.set_retention(quan, lam_dong, {"servicedesk.dossier": 120, "hotline.ticket": 24})
    assert changes == {
        "servicedesk.dossier": [60, 120]
    }  # 24 is the proposal: no row until someone changes it
    assert RetentionPolicy.objects.get(province=lam_dong, source="servicedesk.dossier").months == 120
    event = AuditEvent.objects.get(object_type="privacy.retentionpolicy")
    assert event.changes == {"servicedesk.dossier": [60, 120]} and event.actor == quan
    policies = {p.source.key: p for p in retention.policies(lam_dong)}
    assert policies["servicedesk.dossier"].months == 120 and not policies["servicedesk.dossier"].is_default
    assert policies["hotline.ticket"].is_default


@pytest.mark.parametrize("months", [0, -3, 1201])
def test_retention_must_be_a_sensible_number_of_months(quan, lam_dong, months):
    with pytest.raises(ValidationError):
        retention.set_retention(quan, lam_dong, {"servicedesk.dossier": months})


def test_only_the_province_admin_sets_retention(alice, noi, lam_dong, other_province_commune):
    for user in (alice, noi):
        with pytest.raises(PermissionDenied):
            retention.set_retention(user, lam_dong, {"servicedesk.dossier": 12})
    from tests.factories import UserFactory

    other_admin = UserFactory(role="province_admin", province=other_province_commune.province)
    with pytest.raises(PermissionDenied):
        retention.set_retention(other_admin, lam_dong, {"servicedesk.dossier": 12})


def test_retention_page_is_the_province_admins(client_for, quan, alice):
    page = client_for(quan).get("/privacy/retention/")
    assert page.status_code == 200 and "đề xuất, cần kiểm chứng" in page.content.decode()
    response = client_for(quan).post(
        "/privacy/retention/",
        {"months_servicedesk_dossier": "96", "months_hotline_ticket": "24", "working_days": "on"},
    )
    assert response.status_code == 422  # every kind's field is required
    data = {
        f"months_{p.source.key.replace('.', '_')}": str(p.months) for p in retention.policies(quan.province)
    }
    data["months_servicedesk_dossier"] = "96"
    assert client_for(quan).post("/privacy/retention/", data).status_code == 302
    assert RetentionPolicy.objects.get(source="servicedesk.dossier").months == 96
    assert client_for(alice).get("/privacy/retention/").status_code == 403
    assert client_for(alice).post("/privacy/retention/", data).status_code == 403
    assert client_for(alice).post("/privacy/retention/run/").status_code == 403


def test_the_pass_pseudonymises_only_dossiers_past_retention_and_keeps_the_kpi_fields(
    lam_dong, old_dossier, recent_dossier, open_dossier
):
    DossierEvent.objects.create(
        dossier=old_dossier, action="return_result", reason="Gọi 0912345678 báo kết quả"
    )
    before = {f: getattr(old_dossier, f) for f in KPI_FIELDS}
    run = retention.run_province(SYSTEM, lam_dong)
    assert run.counts["servicedesk.dossier"] == 1 and run.complete

    old_dossier.refresh_from_db()
    assert {f: getattr(old_dossier, f) for f in KPI_FIELDS} == before
    assert old_dossier.applicant_name == pseudonym(subject_identifier(CCCD)) != "Ka Huệ"
    assert old_dossier.applicant_name.startswith("Ẩn danh ")
    assert old_dossier.applicant_id_number == old_dossier.applicant_phone == old_dossier.phone_last4 == ""
    assert old_dossier.note == "" and old_dossier.pseudonymised_at is not None
    assert "0912345678" not in old_dossier.events.get().reason
    for kept in (recent_dossier, open_dossier):
        kept.refresh_from_db()
        assert kept.applicant_id_number == CCCD and kept.pseudonymised_at is None


def test_the_pass_is_idempotent(lam_dong, old_dossier):
    first = retention.run_province(SYSTEM, lam_dong)
    name = Dossier.objects.get(pk=old_dossier.pk).applicant_name
    second = retention.run_province(SYSTEM, lam_dong)
    assert first.counts["servicedesk.dossier"] == 1 and second.counts["servicedesk.dossier"] == 0
    assert Dossier.objects.get(pk=old_dossier.pk).applicant_name == name


def test_the_pass_works_in_batches_and_stops_at_its_share(lam_dong, di_linh):
    for day in range(1, 8):
        closed_dossier(di_linh, dt.date(2019, 5, day))
    run = retention.run_province(SYSTEM, lam_dong, batch=2, max_batches=2)
    assert run.counts["servicedesk.dossier"] == 4 and not run.complete
    run = retention.run_province(SYSTEM, lam_dong, batch=2, max_batches=10)
    assert run.counts["servicedesk.dossier"] == 3 and run.complete
    assert not Dossier.objects.filter(pseudonymised_at__isnull=True).exists()


def test_a_shorter_retention_set_by_the_province_reaches_recent_dossiers(quan, lam_dong, recent_dossier):
    assert retention.due_counts(lam_dong)["servicedesk.dossier"] == 0
    retention.set_retention(quan, lam_dong, {"servicedesk.dossier": 3})
    assert retention.due_counts(lam_dong)["servicedesk.dossier"] == 1
    retention.run_province(SYSTEM, lam_dong)
    recent_dossier.refresh_from_db()
    assert recent_dossier.pseudonymised_at is not None


def test_the_pass_is_audited_with_counts_and_never_personal_values(lam_dong, old_dossier, old_ticket):
    retention.run_province(SYSTEM, lam_dong)
    events = AuditEvent.objects.filter(
        object_type__in=["servicedesk.dossier", "hotline.ticket"], action="update"
    )
    assert {e.object_type: e.changes["pseudonymised"] for e in events} == {
        "servicedesk.dossier": 1,
        "hotline.ticket": 1,
    }
    text = " ".join(f"{e.object_repr} {e.changes} {e.reason}" for e in AuditEvent.objects.all())
    for value in (CCCD, "0912345678", "0912 345 678", "Ka Huệ"):
        assert value not in text
    assert RetentionRun.objects.get().counts["hotline.ticket"] == 1


def test_tickets_past_retention_lose_the_caller_and_the_numbers_in_their_texts(lam_dong, di_linh, old_ticket):
    TicketMessage.objects.create(ticket=old_ticket, body="Chị gọi lại số 0912345678 nhé")
    recent = ticket(di_linh, created=vn(2025, 9, 1, 9), caller_phone="0987654321")
    open_one = ticket(
        di_linh, created=vn(2023, 1, 1, 9), status=Ticket.Status.ASSIGNED, caller_phone="0987654321"
    )
    retention.run_province(SYSTEM, lam_dong)
    old_ticket.refresh_from_db()
    assert old_ticket.caller_name.startswith("Ẩn danh ") and old_ticket.caller_phone == ""
    assert (
        CCCD not in old_ticket.body and "0912 345 678" not in old_ticket.body and "[đã ẩn]" in old_ticket.body
    )
    assert "0912345678" not in old_ticket.messages.get().body
    assert old_ticket.csat_score == 4 and old_ticket.status == Ticket.Status.RESOLVED
    for kept in (recent, open_one):
        kept.refresh_from_db()
        assert kept.caller_phone == "0987654321"


def test_outreach_history_is_pseudonymised_after_the_campaign_and_the_person_after_that(
    lam_dong, campaign, citizen
):
    # 12 months after the campaign's end (May 2024): its notes, messages and replies go; the person is no longer
    # held by it and, untouched for 24 months, is pseudonymised too once their own retention passed.
    Person.objects.filter(pk=citizen.pk).update(updated_at=vn(2023, 12, 1, 9))
    run = retention.run_province(SYSTEM, lam_dong)
    assert run.counts["outreach.contact"] == 1
    target = Target.objects.get()
    assert target.note == "" and target.status == Target.Status.NEW
    message = Message.objects.get()
    assert message.phone == "" and message.body == "" and message.params == {}
    assert message.status == Message.Status.DELIVERED  # the counts stay
    assert Attempt.objects.get().outcome == "message_sent"
    citizen.refresh_from_db()
    assert run.counts["community.person"] == 1
    assert (
        citizen.full_name.startswith("Ẩn danh ")
        and citizen.phone == citizen.id_number == citizen.address == ""
    )
    assert citizen.preferred_language == "kpm" and citizen.commune_id is not None  # language coverage stays


def test_a_person_on_a_campaign_still_kept_is_not_pseudonymised(quan, lam_dong, campaign, citizen):
    retention.set_retention(quan, lam_dong, {"outreach.contact": 120})
    Person.objects.filter(pk=citizen.pk).update(updated_at=vn(2023, 12, 1, 9))
    assert retention.due_counts(lam_dong)["community.person"] == 0
    run = retention.run_province(SYSTEM, lam_dong)
    assert run.counts["community.person"] == 0
    citizen.refresh_from_db()
    assert citizen.id_number == CCCD


def test_page_lists_due_counts_and_starts_a_run(
    client_for, quan, lam_dong, old_dossier, django_capture_on_commit_callbacks
):
    page = client_for(quan).get("/privacy/retention/due/").content.decode()
    assert "Hồ sơ thủ tục hành chính" in page and ">1<" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(quan).post("/privacy/retention/run/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    old_dossier.refresh_from_db()
    assert old_dossier.pseudonymised_at is not None  # jobs run inline in tests
    assert "1 bản ghi" in client_for(quan).get("/privacy/retention/").content.decode()
