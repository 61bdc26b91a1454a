"""Drafting, review and publication: who may do what, and what the history records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.handbook import services
from civicdesk.handbook.models import Faq, Procedure
from civicdesk.handbook.records import revisions_of

from .factories import procedure_data


def test_an_expert_drafts_and_another_expert_of_the_department_publishes(draft, phap, phap2):
    assert draft.status == "draft" and draft.department.code == "tu-phap" and draft.created_by == phap
    services.submit_for_review(phap, draft)
    assert draft.status == "in_review"
    with pytest.raises(PermissionDenied, match="không thể tự duyệt"):
        services.publish(phap, draft)
    services.publish(phap2, draft)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.reviewer == phap2 and draft.published_at
    history = list(revisions_of(draft).order_by("number"))
    assert [(r.author, r.status) for r in history] == [(phap, "draft"), (phap2, "published")]
    transitions = AuditEvent.objects.filter(object_type="handbook.procedure", action="transition")
    assert {(e.actor_id, e.changes["status"][1]) for e in transitions} == {
        (phap.pk, "in_review"),
        (phap2.pk, "published"),
    }


def test_a_commune_officer_can_neither_write_nor_publish(draft, published, alice, linh):
    for user in (alice, linh):
        with pytest.raises(PermissionDenied):
            services.save_record(user, None, procedure_data("HT-300"))
        with pytest.raises(PermissionDenied):
            services.save_record(user, published, {**procedure_data("HT-100"), "name": "Sửa bậy"})
        with pytest.raises(PermissionDenied):
            services.submit_for_review(user, draft)
    services.submit_for_review(draft.created_by, draft)
    with pytest.raises(PermissionDenied):
        services.publish(alice, draft)
    with pytest.raises(PermissionDenied):
        services.archive(alice, published)
    assert Procedure.objects.get(code="HT-200").status == "in_review"
    assert not Procedure.objects.filter(code="HT-300").exists()


def test_an_expert_of_another_department_cannot_review_or_edit(draft, phap, lam):
    services.submit_for_review(phap, draft)
    with pytest.raises(PermissionDenied, match="Sở Tư pháp"):
        services.publish(lam, draft)
    with pytest.raises(PermissionDenied):
        services.mark_verified(lam, draft)
    with pytest.raises(PermissionDenied):
        services.save_record(lam, draft, {**procedure_data("HT-200"), "name": "Sửa"})
    # Nor may she create content for another department's field.
    with pytest.raises(PermissionDenied):
        services.save_record(lam, None, procedure_data("HT-301"))


def test_the_named_reviewer_must_be_eligible(draft, phap, lam, phap2):
    with pytest.raises(ValidationError):
        services.submit_for_review(phap, draft, reviewer=lam)
    with pytest.raises(ValidationError):
        services.submit_for_review(phap, draft, reviewer=phap)
    services.submit_for_review(phap, draft, reviewer=phap2)
    assert draft.reviewer == phap2


def test_a_province_admin_reviews_when_the_department_has_one_expert(draft, phap, quan):
    services.submit_for_review(phap, draft)
    services.publish(quan, draft)
    assert draft.status == "published"


def test_publishing_requires_review_first(draft, phap2):
    with pytest.raises(ValidationError, match="gửi duyệt"):
        services.publish(phap2, draft)


def test_editing_published_content_waits_for_review(published, phap, phap2):
    changed = {
        **procedure_data("HT-100"),
        "name": "Đăng ký khai sinh (sửa)",
        "keywords": ["lam giay khai sinh"],
    }
    services.save_record(phap, published, changed, note="Sửa tên")
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh" and published.status == "published"
    assert published.pending_revision.data["name"] == "Đăng ký khai sinh (sửa)"
    assert published.workflow_state == "draft"
    services.submit_for_review(phap, published)
    assert published.status == "published" and published.workflow_state == "in_review"
    with pytest.raises(PermissionDenied):
        services.publish(phap, published)
    services.publish(phap2, published)
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh (sửa)" and published.pending_revision is None


def test_saving_unchanged_data_creates_no_revision(draft, phap):
    before = revisions_of(draft).count()
    services.save_record(phap, draft, procedure_data("HT-200", name="Đăng ký kết hôn"))
    assert revisions_of(draft).count() == before


def test_edit_errors_are_per_field_and_the_code_cannot_change(draft, phap):
    with pytest.raises(ValidationError) as exc:
        services.save_record(phap, draft, {**procedure_data("HT-999"), "name": "", "level": "huyen"})
    errors = exc.value.message_dict
    assert set(errors) >= {"code", "name", "level"}


def test_return_to_draft_needs_a_reason_and_is_recorded(draft, phap, phap2):
    services.submit_for_review(phap, draft)
    with pytest.raises(ValidationError):
        services.return_to_draft(phap2, draft, "  ")
    services.return_to_draft(phap2, draft, "Thiếu căn cứ pháp lý")
    assert draft.status == "draft"
    event = AuditEvent.objects.filter(action="transition").first()
    assert event.reason == "Thiếu căn cứ pháp lý" and event.changes["status"] == ["in_review", "draft"]


def test_publish_and_archive_run_the_hooks(draft, phap, phap2):
    seen = []
    services.on_publish_hooks.append(lambda record: seen.append((record.code, record.status)))
    services.on_publish_hooks.append(lambda record: 1 / 0)  # a broken hook must not block publishing
    try:
        services.submit_for_review(phap, draft)
        services.publish(phap2, draft)
        services.archive(phap2, draft)
    finally:
        del services.on_publish_hooks[-2:]
    assert seen == [("HT-200", "published"), ("HT-200", "archived")]
    assert Procedure.objects.get(code="HT-200").status == "archived"
    with pytest.raises(ValidationError):
        services.save_record(phap, draft, procedure_data("HT-200", name="Sửa"))


def test_restore_an_earlier_revision(draft, phap):
    services.save_record(phap, draft, procedure_data("HT-200", name="Tên mới"))
    first = revisions_of(draft).get(number=1)
    services.restore_revision(phap, first)
    draft.refresh_from_db()
    assert draft.name == "Đăng ký kết hôn"
    assert revisions_of(draft).first().note == "Khôi phục phiên bản #1"


def test_mark_verified_records_who_and_when(published, phap):
    assert published.is_stale
    services.mark_verified(phap, published)
    published.refresh_from_db()
    assert published.verification == "verified" and published.verified_by == phap and not published.is_stale


def test_stale_after_the_configured_months(published, phap, settings, time_machine):
    settings.HANDBOOK_STALE_MONTHS = 6
    time_machine.move_to("2026-01-05 09:00 +07:00")
    services.mark_verified(phap, published)
    time_machine.move_to("2026-08-05 09:00 +07:00")
    published.refresh_from_db()
    assert published.is_stale and Procedure.objects.overdue().filter(pk=published.pk).exists()


def test_the_hotline_creates_faq_drafts(published, operator, alice):
    faq = services.create_faq_draft(
        operator,
        question="Khai sinh cho con có mất phí không?",
        answer="Đăng ký đúng hạn được miễn lệ phí.",
        field="ho_tich",
        sources=["Luật Hộ tịch 2014"],
        related_procedures=[published],
        keywords=["phi khai sinh"],
    )
    assert faq.status == "draft" and faq.slug == "khai-sinh-cho-con-co-mat-phi-khong"
    assert faq.department.code == "tu-phap" and list(faq.related_procedures.all()) == [published]
    assert revisions_of(faq).count() == 1
    assert AuditEvent.objects.filter(object_type="handbook.faq", action="create", actor=operator).exists()
    again = services.create_faq_draft(operator, question="Khai sinh cho con có mất phí không?", answer="Có.")
    assert again.slug == "khai-sinh-cho-con-co-mat-phi-khong-2"
    with pytest.raises(PermissionDenied):
        services.create_faq_draft(alice, question="Hỏi?", answer="Đáp.")
    assert Faq.objects.count() == 2


def test_commune_users_see_published_content_only(draft, published, alice, charlie, phap, lam, quan):
    for user in (alice, charlie):
        assert list(Procedure.objects.visible_to(user)) == [published]
    assert set(Procedure.objects.visible_to(phap)) == {draft, published}
    assert set(Procedure.objects.visible_to(lam)) == {published}
    assert set(Procedure.objects.visible_to(quan)) == {draft, published}
