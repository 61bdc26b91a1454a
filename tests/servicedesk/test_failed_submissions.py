"""A refused submission on the counter and dossier pages shows its error where the officer typed, opens the part of
the page it came from, and keeps everything typed or selected; nothing is written."""

from collections import Counter

import lxml.html
import pytest
import time_machine

from civicdesk.servicedesk.models import Dossier, DossierEvent, IntakeCheck

from .conftest import APPLICANT
from .factories import DossierFactory, vn

TUESDAY_10 = vn(2025, 10, 7, 10)
FRIDAY_9 = vn(2025, 10, 10, 9)  # the dossier below was due Thursday 09:00


@pytest.fixture
def dossier(di_linh, khai_sinh):
    return DossierFactory(
        commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 10, 6, 9), due_at=vn(2025, 10, 9, 9)
    )


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _form(doc, action):
    (form,) = doc.xpath(f'//form[contains(@action, "/actions/{action}/")]')
    return form


def _details_of(form):
    return form.xpath("ancestor::details")[0]


def _text(element):
    return " ".join(element.text_content().split())


def _unchanged(dossier, status="received"):
    dossier.refresh_from_db()
    return dossier.status == status and not DossierEvent.objects.filter(dossier=dossier).exists()


@time_machine.travel(TUESDAY_10, tick=False)
def test_reject_without_a_reason_says_so_in_the_open_reject_form(client_for, alice, dossier):
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/actions/reject/", {"reason": "  "}
    )
    assert response.status_code == 400
    form = _form(_doc(response), "reject")
    assert "Cần ghi rõ lý do từ chối" in _text(form)
    assert _details_of(form).get("open") is not None
    assert _unchanged(dossier)


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_transition_refused_for_its_state_says_why_in_the_processing_section(client_for, alice, dossier):
    dossier.status = "done"  # a colleague recorded the result while this page was open
    dossier.save(update_fields=["status"])
    for action in ("reject", "withdraw"):
        response = client_for(alice).post(
            f"/servicedesk/dossiers/{dossier.code}/actions/{action}/", {"reason": "Không thuộc thẩm quyền"}
        )
        assert response.status_code == 400
        # a dossier that is done offers no reject form any more: the error is shown where the forms were
        section = _doc(response).xpath('//section[@id="xu-ly"]')[0]
        assert "Không thể" in _text(section) and "Đã có kết quả" in _text(section)


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_supplement_request_without_items_keeps_category_and_guidance(client_for, alice, dossier):
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/actions/request_supplement/",
        {"reason_category": "inconsistent", "items": " \n ", "reason": "Mang theo bản chính khi nộp lại"},
    )
    assert response.status_code == 400
    form = _form(_doc(response), "request_supplement")
    assert _details_of(form).get("open") is not None
    assert "Cần ghi rõ những gì người dân phải bổ sung" in _text(form)
    assert form.xpath('.//select[@name="reason_category"]/option[@selected]/@value') == ["inconsistent"]
    assert form.xpath('.//textarea[@name="reason"]/text()')[0].strip() == "Mang theo bản chính khi nộp lại"
    assert _unchanged(dossier)


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_supplement_refused_by_the_service_shows_why_in_the_form(client_for, alice, dossier):
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/actions/request_supplement/",
        {"reason_category": "missing_document", "items": "", "reason": ""},
    )
    assert response.status_code == 400
    form = _form(_doc(response), "request_supplement")
    assert _details_of(form).get("open") is not None
    assert form.xpath('.//select[@name="reason_category"]/option[@selected]/@value') == ["missing_document"]


@time_machine.travel(FRIDAY_9, tick=False)
def test_a_new_appointment_in_the_past_is_refused_next_to_the_date_keeping_the_reason(
    client_for, alice, dossier
):
    response = client_for(alice).post(
        f"/servicedesk/dossiers/{dossier.code}/actions/record_delay/",
        {"reason": "Chờ xác minh nơi cư trú", "new_due_at": "2025-10-08T09:00"},
    )
    assert response.status_code == 400
    form = _form(_doc(response), "record_delay")
    assert _details_of(form).get("open") is not None
    assert "Ngày hẹn mới phải sau" in _text(form)
    assert form.xpath('.//textarea[@name="reason"]/text()')[0].strip() == "Chờ xác minh nơi cư trú"
    assert form.xpath('.//input[@name="new_due_at"]/@value') == ["2025-10-08T09:00"]
    dossier.refresh_from_db()
    assert dossier.apology_at is None and dossier.new_due_at is None


@time_machine.travel(FRIDAY_9, tick=False)
def test_recording_the_result_of_a_late_dossier_says_why_in_the_processing_section(
    client_for, alice, dossier
):
    response = client_for(alice).post(f"/servicedesk/dossiers/{dossier.code}/actions/mark_done/")
    assert response.status_code == 400
    doc = _doc(response)
    section = doc.xpath('//section[@id="xu-ly"]')[0]
    assert "cần ghi lý do trễ hạn" in _text(section)
    # and the delay form the officer needs next is open
    assert _details_of(_form(doc, "record_delay")).get("open") is not None
    assert _unchanged(dossier)


@time_machine.travel(TUESDAY_10, tick=False)
def test_the_error_is_also_summarised_at_the_top_with_a_link_to_it(client_for, alice, dossier):
    doc = _doc(
        client_for(alice).post(f"/servicedesk/dossiers/{dossier.code}/actions/reject/", {"reason": ""})
    )
    (summary,) = doc.xpath('//*[@role="alert"][contains(@class, "msg-error")]')
    assert "Cần ghi rõ lý do từ chối" in _text(summary)
    href = summary.xpath(".//a/@href")[0]
    assert href.startswith("#") and doc.xpath(f'//*[@id="{href[1:]}"]')


def test_the_three_forms_of_the_dossier_page_do_not_share_field_ids(client_for, alice, dossier):
    doc = _doc(client_for(alice).get(f"/servicedesk/dossiers/{dossier.code}/"))
    ids = Counter(doc.xpath("//@id"))
    assert not [i for i, n in ids.items() if n > 1], ids
    for label in doc.xpath("//label[@for]"):
        assert doc.xpath(f'//*[@id="{label.get("for")}"]'), label.get("for")


@time_machine.travel(TUESDAY_10, tick=False)
def test_failed_transitions_are_refused_to_other_communes(client_for, charlie, dossier):
    response = client_for(charlie).post(
        f"/servicedesk/dossiers/{dossier.code}/actions/reject/", {"reason": ""}
    )
    assert response.status_code == 404


# --- the intake form at the counter ------------------------------------------------------------------------------


@time_machine.travel(vn(2025, 10, 6, 9), tick=False)
def test_a_refused_intake_keeps_every_field_and_box_and_shows_errors_beside_them(
    client_for, alice, khai_sinh
):
    response = client_for(alice).post(
        "/servicedesk/receive/?procedure=HT-001",
        {
            **APPLICANT,
            "channel": "truc_tuyen",
            "applicant_id_number": "12345",
            "components": ["0", "2"],
            "note": "Người dân quay lại buổi chiều",
        },
    )
    assert response.status_code == 400
    doc = _doc(response)
    (form,) = doc.xpath('//form[@method="post"][.//input[@name="applicant_name"]]')
    assert form.xpath('.//input[@name="applicant_name"]/@value') == ["Ka Huệ"]
    assert form.xpath('.//input[@name="applicant_id_number"]/@value') == ["12345"]
    assert form.xpath('.//input[@name="applicant_phone"]/@value') == ["0912 345 678"]
    assert form.xpath('.//select[@name="channel"]/option[@selected]/@value') == ["truc_tuyen"]
    assert form.xpath('.//input[@name="note"]/@value') == ["Người dân quay lại buổi chiều"]
    assert sorted(form.xpath('.//input[@name="components"][@checked]/@value')) == ["0", "2"]
    field = form.xpath('.//input[@name="applicant_id_number"]/ancestor::div[contains(@class, "field")][1]')[0]
    assert "12 chữ số" in _text(field)
    assert doc.xpath('//select[@name="procedure"]/descendant::option[@selected]/@value') == ["HT-001"]
    assert not Dossier.objects.exists() and not IntakeCheck.objects.exists()


@time_machine.travel(vn(2025, 10, 6, 9), tick=False)
def test_a_refused_appointment_is_shown_beside_the_date_and_kept(client_for, alice, ket_hon):
    response = client_for(alice).post(
        "/servicedesk/receive/?procedure=HT-005",
        {**APPLICANT, "components": ["0"], "appointment_at": "2025-10-01T09:00"},
    )
    assert response.status_code == 400
    doc = _doc(response)
    field = doc.xpath('//input[@name="appointment_at"]/ancestor::div[contains(@class, "field")][1]')[0]
    assert "Ngày hẹn trả phải sau" in _text(field)
    assert doc.xpath('//input[@name="appointment_at"]/@value') == ["2025-10-01T09:00"]
    assert not Dossier.objects.exists()


# --- the dossier list's filters ----------------------------------------------------------------------------------


def test_a_bad_filter_date_is_named_and_the_other_filters_still_apply(client_for, alice, dossier, di_linh):
    DossierFactory(commune=di_linh, procedure=dossier.procedure, status="returned")
    client = client_for(alice)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(
            "/servicedesk/dossiers/", {"status": "returned", "date_from": "2025-13-45"}, **headers
        )
        doc = _doc(response)
        text = _text(doc)
        assert "Từ ngày" in text and "không hợp lệ" in text.lower(), text
        assert dossier.code not in text  # the status filter still applies
    page = _doc(client.get("/servicedesk/dossiers/", {"status": "returned", "date_from": "2025-13-45"}))
    assert page.xpath('//input[@name="date_from"]/@value') == ["2025-13-45"]
    assert page.xpath('//select[@name="status"]/option[@selected]/@value') == ["returned"]


@time_machine.travel(vn(2025, 10, 6, 9), tick=False)
def test_every_mistake_of_the_intake_is_named_in_one_round_and_summarised_on_top(client_for, alice, ket_hon):
    response = client_for(alice).post(
        "/servicedesk/receive/?procedure=HT-005",
        {**APPLICANT, "components": ["0"], "applicant_id_number": "12345", "applicant_phone": "12"},
    )
    assert response.status_code == 400
    doc = _doc(response)
    for name, message in (
        ("applicant_id_number", "phải gồm đúng 12 chữ số"),
        ("applicant_phone", "10 chữ số"),
        ("appointment_at", "bắt buộc"),
    ):
        field = doc.xpath(f'//*[@name="{name}"]/ancestor::div[contains(@class, "field")][1]')[0]
        assert message in _text(field), name
    (summary,) = doc.xpath('//form[@method="post"]//*[@role="alert"]')
    anchors = summary.xpath(".//a/@href")
    assert len(anchors) == 3 and all(doc.xpath(f'//*[@id="{a[1:]}"]') for a in anchors)
    assert not Dossier.objects.exists()
