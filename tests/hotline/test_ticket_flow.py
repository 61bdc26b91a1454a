"""The life of a question: filing, claiming, replying, resolving, rating, reopening, merging, transferring, and
the knowledge loop (answer → handbook FAQ draft → review → published → the assistant cites it)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicdesk.core.models import AuditEvent
from civicdesk.handbook import services as handbook_services
from civicdesk.handbook.models import Faq
from civicdesk.hotline import services
from civicdesk.hotline.models import Message, Team, Ticket, TicketEvent
from tests.handbook.factories import ProcedureFactory
from tests.hotline.conftest import vn

S = Ticket.Status


def test_filing_is_audited_and_timelined(ticket, alice):
    assert AuditEvent.objects.filter(object_type="hotline.ticket", action="create", actor=alice).exists()
    assert list(ticket.events.values_list("kind", flat=True)) == ["created", "assigned"]


def test_only_commune_officials_file_questions(routing, phap, quan, file_question):
    with pytest.raises(PermissionDenied):
        file_question(phap)
    with pytest.raises(ValidationError):  # the province desk must say whose commune
        file_question(quan)


def test_bad_input_is_refused_field_by_field(routing, alice, file_question):
    with pytest.raises(ValidationError) as exc:
        file_question(alice, title=" ", body="", urgency="rat-gap")
    assert set(exc.value.message_dict) == {"title", "body", "urgency"}


def test_attachments_are_checked_by_type_and_content(routing, alice, file_question):
    pdf = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7 mau to khai", content_type="application/pdf")
    ticket = file_question(alice, attachments=[pdf])
    assert ticket.attachments.get().name == "to-khai.pdf"
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 not a png", content_type="image/png")
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    for upload, message in ((fake, "không đúng với đuôi .png"), (exe, "chỉ nhận các loại")):
        with pytest.raises(ValidationError) as exc:
            file_question(alice, attachments=[upload])
        assert message in str(exc.value)


def test_escalated_from_the_assistant_with_the_conversation(routing, alice, charlie, file_question):
    from civicdesk.assistant.models import Conversation, Turn

    chat = Conversation.objects.create(user=alice, title="khai sinh")
    Turn.objects.create(
        conversation=chat, user=alice, question="Khai sinh cho con người nước ngoài?", answer="Xem thủ tục."
    )
    ticket = file_question(alice, conversation_id=str(chat.pk))
    assert ticket.channel == Ticket.Channel.ASSISTANT
    assert "Khai sinh cho con người nước ngoài?" in ticket.conversation_transcript
    with pytest.raises(ValidationError) as exc:  # someone else's conversation is not attached
        file_question(charlie, conversation_id=str(chat.pk))
    assert "conversation" in exc.value.message_dict


def test_expert_answers_official_accepts_and_rates(
    ticket, phap, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(phap, ticket, "Xã có thẩm quyền; hồ sơ gồm…", now=vn(2026, 2, 11, 10))
    ticket.refresh_from_db()
    assert ticket.status == S.ANSWERED and ticket.first_responded_at == vn(2026, 2, 11, 10)
    assert mailoutbox[-1].to == [alice.email] and f"[{ticket.reference}]" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(alice, ticket, now=vn(2026, 2, 11, 11))
    assert "đánh giá" in mailoutbox[-1].body
    with pytest.raises(ValidationError):
        services.rate(alice, ticket, score=2, reason="")  # a low score needs a reason
    services.rate(alice, ticket, score=5, reason="Rõ ràng")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.csat_score) == (S.RESOLVED, 5)
    with pytest.raises(ValidationError):
        services.rate(alice, ticket, score=4)  # once


def test_others_cannot_act_on_the_ticket(ticket, charlie, lam, alice, phap2):
    with pytest.raises(PermissionDenied):
        services.reply(charlie, ticket, "Tôi xen vào")
    with pytest.raises(PermissionDenied):
        services.reply(lam, ticket, "Tôi ở sở khác")
    with pytest.raises(PermissionDenied):
        services.reply(alice, ticket, "ghi chú", internal=True)
    with pytest.raises(PermissionDenied):
        services.rate(phap2, ticket, score=5)
    with pytest.raises(PermissionDenied):
        services.assign(phap2, ticket, phap2)  # not the leader
    with pytest.raises(PermissionDenied):
        services.resolve(lam, ticket)


def test_internal_notes_do_not_change_the_state(ticket, phap):
    services.reply(phap, ticket, "Đã hỏi ý kiến phòng hộ tịch", internal=True)
    ticket.refresh_from_db()
    assert ticket.status == S.ASSIGNED and ticket.first_responded_at is None
    assert ticket.messages.get().kind == Message.Kind.INTERNAL


def test_claiming_an_unassigned_ticket(routing, alice, phap, phap2, tu_phap_team, file_question, lam):
    services.update_team(phap, tu_phap_team, strategy=Team.Strategy.MANUAL, leader=phap)
    ticket = file_question(alice)
    with pytest.raises(PermissionDenied):
        services.claim(lam, ticket)
    services.claim(phap2, ticket)
    with pytest.raises(services.AlreadyClaimed):
        services.claim(phap, ticket)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (phap2, S.ASSIGNED)


def test_transfer_needs_a_reason_and_reassigns_in_the_new_team(ticket, phap, lam, routing):
    with pytest.raises(ValidationError):
        services.transfer(phap, ticket, routing["land"], reason=" ")
    services.transfer(phap, ticket, routing["land"], reason="Câu hỏi về đất đai")
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee, ticket.status) == (routing["land"], lam, S.ASSIGNED)
    assert ticket.events.filter(kind=TicketEvent.Kind.TRANSFERRED, note="Câu hỏi về đất đai").exists()
    assert not Ticket.objects.visible_to(phap).filter(pk=ticket.pk).exists()


def test_reopen_within_the_window_only(ticket, phap, alice):
    services.reply(phap, ticket, "Trả lời", then="resolved", now=vn(2026, 2, 11, 10))
    with pytest.raises(ValidationError):
        services.reopen(alice, ticket, reason="Chưa rõ", now=vn(2026, 2, 25, 10))
    services.reopen(alice, ticket, reason="Chưa rõ phần giấy tờ của người cha", now=vn(2026, 2, 12, 10))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopened_count, ticket.resolved_at) == (S.ASSIGNED, 1, None)


def test_merging_duplicates_of_the_same_commune(ticket, phap, alice, linh, charlie, file_question):
    duplicate = file_question(linh, title="Khai sinh con lai")
    services.merge(phap, duplicate, ticket, reason="Trùng")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (S.CLOSED, ticket)
    assert "Khai sinh con lai" in ticket.messages.get(kind=Message.Kind.INTERNAL).body
    other = file_question(charlie)
    with pytest.raises(ValidationError):
        services.merge(phap, other, ticket)


def test_handbook_links(ticket, phap, charlie):
    procedure = ProcedureFactory(
        code="HT-101", name="Đăng ký khai sinh có yếu tố nước ngoài", field=ticket.field
    )
    link = services.link_record(phap, ticket, procedure)
    assert link.url == procedure.get_absolute_url()
    with pytest.raises(PermissionDenied):
        services.link_record(charlie, ticket, procedure)


def test_knowledge_loop_answer_becomes_a_reviewed_faq_the_assistant_cites(
    ticket, phap, alice, quan, lam, django_capture_on_commit_callbacks
):
    from civicdesk.assistant.respond import respond

    procedure = ProcedureFactory(
        code="HT-101", name="Đăng ký khai sinh có yếu tố nước ngoài", field=ticket.field
    )
    services.link_record(phap, ticket, procedure)
    services.reply(phap, ticket, "Trẻ sinh ra có cha là người nước ngoài được đăng ký khai sinh tại UBND xã.")
    with pytest.raises(ValidationError):  # only resolved answers
        services.create_faq_from_ticket(phap, ticket, question="q", answer="a")
    services.resolve(phap, ticket)
    with pytest.raises(PermissionDenied):
        services.create_faq_from_ticket(lam, ticket, question="q", answer="a")
    faq = services.create_faq_from_ticket(
        phap,
        ticket,
        question="Trẻ có cha là người nước ngoài đăng ký khai sinh ở đâu?",
        answer="Tại Ủy ban nhân dân cấp xã nơi cư trú của người mẹ.",
        submit=True,
    )
    assert (faq.status, faq.department.code, faq.field.code) == (Faq.Status.IN_REVIEW, "tu-phap", "ho_tich")
    assert "HT-101" in faq.sources and f"câu hỏi {ticket.reference}" in faq.sources[-1]
    assert list(faq.related_procedures.all()) == [procedure]
    ticket.refresh_from_db()
    assert ticket.faq == faq
    with pytest.raises(ValidationError):
        services.create_faq_from_ticket(phap, ticket, question="q", answer="a")  # one FAQ per ticket
    with pytest.raises(PermissionDenied):
        handbook_services.publish(phap, faq)  # four eyes: the author does not publish
    with django_capture_on_commit_callbacks(execute=True):
        handbook_services.publish(quan, faq)
    answer = respond("cha là người nước ngoài đăng ký khai sinh ở đâu", use_llm=False)
    assert faq.get_absolute_url() in [s["url"] for s in answer.sources]
