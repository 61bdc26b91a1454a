"""Legal texts and the "changed law" alert: the citation normaliser, the catalogue, marking a text superseded, the
flags it raises on every record citing it, and the bulk "still right" confirmation on the text's page."""

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.handbook import citations, legal_changes, legal_texts, queries, services
from civicdesk.handbook.models import LegalFlag, LegalText, Procedure
from tests.factories import SYSTEM

from .factories import procedure_data

ND_123 = [citations.parse_key("123/2015/ND-CP")]


def decree(actor=SYSTEM, identifier="123/2015/NĐ-CP"):
    return services.save_legal_text(actor, None, {"identifier": identifier})


def flag_of(record, text):
    return LegalFlag.objects.of(record).get(legal_text=text)


# The normaliser -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Nghị định số 123/2015/NĐ-CP",
        "123/2015/NĐ CP",
        "123 / 2015 / nđ-cp",
        "Nghị định số 123/2015 của Chính phủ",
        "NĐ 123/2015, Điều 18",
        "(123/2015/NĐ-CP)",
        "123/2015 NĐ-CP",
        "Nghị định 123/2015/NĐ-CP UBND tỉnh hướng dẫn",
        unicodedata.normalize("NFD", "Nghị định số 123/2015/NĐ-CP"),  # decomposed accents, as PDFs paste them
    ],
)
def test_the_same_decree_written_many_ways_matches(text):
    assert citations.cites(text, ND_123)


@pytest.mark.parametrize(
    "text",
    [
        "Nghị định số 23/2015/NĐ-CP",  # 23/2015 is not 123/2015…
        "Nghị định 1123/2015/NĐ-CP",
        "Thông tư 123/2015/TT-BTC",  # same number, another kind of text
        "Thông tư số 123/2015",
        "số 123/2015",  # a bare number names no kind of text
        "Nghị định 123/2016/NĐ-CP",
        "ngày 01/12/2015",
    ],
)
def test_other_texts_do_not_match(text):
    assert not citations.cites(text, ND_123)


def test_a_number_inside_a_longer_one_or_a_date_is_not_read():
    key = [citations.parse_key("20/2021/ND-CP")]
    assert not citations.cites("Nghị định 120/2021/NĐ-CP", key)
    assert citations.cites("Nghị định 20/2021/NĐ-CP", key)
    seven = [citations.parse_key("7/2025/ND-CP")]
    assert not citations.cites("áp dụng từ ngày 01/7/2025", seven)
    assert not citations.cites("từ tháng 7/2025", seven)  # a month, not Nghị định 07/2025
    assert citations.cites("Nghị định 07/2025/NĐ-CP", seven)  # leading zeros do not count


def test_laws_match_by_name_and_year():
    key = [citations.parse_key("luat ho tich 2014")]
    assert citations.cites("Luật Hộ tịch năm 2014", key)
    assert citations.cites("theo LUẬT HỘ TỊCH 2014", key)
    assert citations.cites("Luat Ho tich 2014", key)
    assert not citations.cites("Luật Hộ tịch", key)  # without a year it names whichever law is in force
    assert not citations.cites("Luật Hộ tịch 2024", key)
    assert citations.find("Luật Quốc tịch Việt Nam 2008")[0].key == "luat quoc tich viet nam 2008"
    # "năm 2026" belongs to the decree, not to a law named "Đất đai và nghị định hướng dẫn".
    assert citations.find("Luật Đất đai và nghị định hướng dẫn năm 2026") == ()


@pytest.mark.parametrize(
    ("identifier", "key"),
    [
        ("20/2021/NĐ-CP", "20/2021/ND-CP"),
        ("20/2021/NĐ CP", "20/2021/ND-CP"),
        ("07/2025/NĐ-CP", "7/2025/ND-CP"),
        ("Nghị định số 20/2021", "20/2021/ND"),
        ("04/2020/TT-BTP", "4/2020/TT-BTP"),
        ("Luật Hộ tịch 2014", "luat ho tich 2014"),
        ("Luật Đất đai năm 2024", "luat dat dai 2024"),
        ("31/2024/QH15", "31/2024/QH15"),
        ("20/2021", ""),
        ("Luật Hộ tịch", ""),
        ("", ""),
    ],
)
def test_identifier_keys(identifier, key):
    assert citations.key_of(identifier) == key


# Who cites what ------------------------------------------------------------------------------------------------------


def test_citing_records_reads_every_place_a_record_cites(citing):
    text = decree()
    found = {(r.kind, r.key) for r in legal_texts.citing_records(text)}
    assert found == {
        ("procedure", "HT-301"),  # legal basis
        ("procedure", "HT-302"),  # counter notes: "NĐ 123/2015"
        ("procedure", "DD-301"),  # a step: "123/2015/NĐ CP"
        ("guide", "hd-ho-tich"),  # a section's body, lower case
        ("faq", "hd-trich-luc"),  # the answer: "Nghị định số 123/2015"
    }  # not CT-301, which cites 23/2015


def test_citing_records_skips_archived_and_reads_a_pending_change(citing, phap, quan):
    text = decree()
    services.archive(quan, citing["HT-301"])
    data = {**procedure_data("CT-301", name="Chứng thực bản sao", field="chung_thuc")}
    data["legal_basis"] = ["123/2015/NĐ-CP"]
    services.save_record(phap, Procedure.objects.get(code="CT-301"), data, note="Thêm căn cứ")
    keys = {r.key for r in legal_texts.citing_records(text)}
    assert "HT-301" not in keys and "CT-301" in keys


def test_cited_texts_lists_what_a_record_cites_with_its_state(citing):
    text = decree()
    cited = legal_texts.cited_texts(citing["DD-301"])
    assert [(c.key, c.legal_text) for c in cited] == [
        ("luat dat dai 2024", None),
        ("31/2024/QH15", None),
        ("123/2015/ND-CP", text),
    ]
    assert cited[2].written == "123/2015/NĐ CP"


# Building the catalogue -----------------------------------------------------------------------------------------------


def test_build_catalogue_from_the_records_is_idempotent(citing, phap):
    report = services.build_legal_catalogue(phap)
    by_key = {t.key: t for t in LegalText.objects.all()}
    assert {"123/2015/ND-CP", "23/2015/ND-CP", "luat ho tich 2014", "luat dat dai 2024"} <= set(by_key)
    assert (
        by_key["123/2015/ND-CP"].kind == "decree" and by_key["123/2015/ND-CP"].identifier == "123/2015/NĐ-CP"
    )
    assert by_key["luat ho tich 2014"].kind == "law"
    # The number written next to the law's name is the same law, not another entry.
    assert by_key["luat dat dai 2024"].aliases == ["31/2024/QH15"] and "31/2024/QH15" not in by_key
    # "Nghị định số 123/2015" joined the full number instead of making a vaguer entry.
    assert "123/2015/ND" not in by_key
    found = {f.key: f for f in report.found}
    assert found["123/2015/ND-CP"].count == 5
    assert AuditEvent.objects.filter(object_type="handbook.legaltext", action="import").count() == 1

    again = services.build_legal_catalogue(phap)
    assert again.created == [] and LegalText.objects.count() == len(by_key)
    assert AuditEvent.objects.filter(object_type="handbook.legaltext", action="import").count() == 1


def test_build_catalogue_dry_run_writes_nothing(citing):
    report = services.build_legal_catalogue(SYSTEM, dry_run=True)
    assert report.new and LegalText.objects.count() == 0


def test_build_keeps_an_editors_entry(citing, phap):
    mine = services.save_legal_text(phap, None, {"identifier": "123/2015/NĐ CP", "title": "Hộ tịch"})
    services.build_legal_catalogue(phap)
    mine.refresh_from_db()
    assert mine.title == "Hộ tịch" and LegalText.objects.filter(key="123/2015/ND-CP").count() == 1


def test_the_catalogue_refuses_a_text_twice_and_unreadable_identifiers(db, phap):
    decree(phap, "20/2021/NĐ-CP")
    with pytest.raises(ValidationError) as exc:
        decree(phap, "Nghị định 20/2021/NĐ CP")
    assert "đã có trong danh mục" in str(exc.value)
    with pytest.raises(ValidationError):
        decree(phap, "công văn hướng dẫn")
    law = services.save_legal_text(phap, None, {"identifier": "Luật Hộ tịch 2014", "aliases": "60/2014/QH13"})
    with pytest.raises(ValidationError):
        decree(phap, "60/2014/QH13")  # an alias of the law already
    assert law.kind == "law" and AuditEvent.objects.filter(object_type="handbook.legaltext").count() == 2


def test_commune_officers_cannot_touch_the_catalogue(citing, alice, linh):
    text = decree()
    for user in (alice, linh):
        with pytest.raises(PermissionDenied):
            services.build_legal_catalogue(user)
        with pytest.raises(PermissionDenied):
            services.save_legal_text(user, None, {"identifier": "1/2020/NĐ-CP"})
        with pytest.raises(PermissionDenied):
            services.mark_superseded(user, text)
        with pytest.raises(PermissionDenied):
            services.confirm_unchanged(user, text, [])
    assert LegalFlag.objects.count() == 0


# Marking a text superseded ---------------------------------------------------------------------------------------------


def test_superseding_flags_every_citing_record(citing, phap):
    text = decree()
    citing["faq"].refresh_from_db()
    assert citing["faq"].verification == "verified"
    report = services.mark_superseded(phap, text, superseded_by="120/2025/NĐ-CP", note="Từ 01/7/2025")
    text.refresh_from_db()
    successor = LegalText.objects.get(key="120/2025/ND-CP")  # added to the catalogue
    assert text.status == "superseded" and text.superseded_by == successor and text.superseded_at
    assert len(report.flagged) == 5 and LegalFlag.objects.open().count() == 5
    faq = citing["faq"].__class__.objects.get(pk=citing["faq"].pk)
    assert faq.verification == "needs_verification"
    assert "Văn bản 123/2015/NĐ-CP đã bị thay thế bởi 120/2025/NĐ-CP" in faq.verification_note
    untouched = Procedure.objects.get(code="CT-301")
    assert not LegalFlag.objects.of(untouched).exists()
    # Every flagged record is audited, with the texts named, and so is the change of state.
    events = AuditEvent.objects.filter(object_type="handbook.procedure", changes__legal_text="123/2015/NĐ-CP")
    assert events.count() == 3
    assert events.first().changes["superseded_by"] == "120/2025/NĐ-CP" and events.first().actor == phap
    assert AuditEvent.objects.filter(object_type="handbook.legaltext", action="transition").count() == 1
    # The department's queue (the editors' "needs verification") now lists them.
    assert {r.key for r in queries.editor_queue(phap)["unverified"]} >= {"HT-301", "HT-302", "hd-trich-luc"}


def test_superseding_is_idempotent(citing, phap, lam):
    text = decree()
    services.mark_superseded(phap, text, superseded_by="120/2025/NĐ-CP")
    events = AuditEvent.objects.count()
    again = services.mark_superseded(lam, text, superseded_by=LegalText.objects.get(key="120/2025/ND-CP"))
    assert again.flagged == [] and again.already == 5
    assert LegalFlag.objects.count() == 5 and AuditEvent.objects.count() == events
    # A record that starts citing the text later is flagged by the next run, alone.
    Procedure.objects.filter(code="CT-301").update(legal_basis=["Nghị định 123/2015/NĐ-CP"])
    Procedure.objects.get(code="CT-301").save()  # search text
    third = services.mark_superseded(phap, text)
    assert [r.key for r in third.flagged] == ["CT-301"]


def test_a_flag_reaches_the_pending_change_too(citing, phap, phap2):
    record = citing["HT-301"]
    services.mark_verified(phap, record)
    data = procedure_data(
        "HT-301", name="Đăng ký khai sinh (sửa)", legal_basis=["Nghị định số 123/2015/NĐ-CP"]
    )
    data["verification"] = "verified"
    services.save_record(phap, record, data, note="Sửa tên")
    services.mark_superseded(phap, decree())
    record.refresh_from_db()
    assert record.pending_revision.data["verification"] == "needs_verification"
    services.submit_for_review(phap, record)
    services.publish(phap2, record)
    record.refresh_from_db()
    assert record.verification == "needs_verification"  # publishing the change did not undo the flag


def test_a_text_cannot_succeed_itself(db, phap):
    text = decree(phap)
    with pytest.raises(ValidationError):
        services.mark_superseded(phap, text, superseded_by=text)
    newer = decree(phap, "120/2025/NĐ-CP")
    services.mark_superseded(phap, newer, superseded_by=text)
    with pytest.raises(ValidationError):
        services.mark_superseded(phap, text, superseded_by=newer)  # a loop


def test_reinstating_closes_the_open_flags(citing, phap):
    text = decree()
    services.mark_superseded(phap, text)
    with pytest.raises(ValidationError):
        services.reinstate(phap, text, "")
    services.reinstate(phap, text, "Ghi nhầm văn bản")
    text.refresh_from_db()
    assert text.status == "in_force" and text.superseded_by is None
    assert LegalFlag.objects.open().count() == 0
    assert set(LegalFlag.objects.values_list("resolution", flat=True)) == {"withdrawn"}


def test_verifying_a_record_closes_its_flags(citing, phap):
    text = decree()
    services.mark_superseded(phap, text)
    services.mark_verified(phap, citing["HT-301"], note="Đã đối chiếu 120/2025")
    flag = flag_of(citing["HT-301"], text)
    assert flag.resolution == "verified" and flag.resolved_by == phap


def test_the_record_page_warns_about_the_superseded_text(client_for, alice, citing, phap):
    services.mark_superseded(phap, decree(), superseded_by="120/2025/NĐ-CP")
    html = client_for(alice).get("/handbook/procedures/HT-301/").content.decode()
    assert "Văn bản 123/2015/NĐ-CP đã bị thay thế bởi 120/2025/NĐ-CP." in html
    html = client_for(alice).get("/handbook/faqs/hd-trich-luc/").content.decode()
    assert "đã bị thay thế bởi 120/2025/NĐ-CP" in html
    assert "đã bị thay thế" not in client_for(alice).get("/handbook/procedures/CT-301/").content.decode()


# Bulk confirmation ------------------------------------------------------------------------------------------------------


def test_bulk_confirmation_of_unchanged_records(client_for, citing, phap, phap2):
    text = decree()
    services.mark_superseded(phap, text, superseded_by="120/2025/NĐ-CP")
    # HT-302 was edited after the flag: it goes through the normal review.
    data = procedure_data("HT-302", name="Đăng ký kết hôn", legal_basis=["Luật Hộ tịch 2014"])
    data["notes"] = "Theo Nghị định 120/2025/NĐ-CP."
    services.save_record(phap, citing["HT-302"], data, note="Căn cứ mới")
    client = client_for(phap2)
    page = client.get(f"/handbook/legal-texts/{text.pk}/").content.decode()
    flags = {key: flag_of(citing[key], text) for key in ("HT-301", "HT-302", "DD-301", "faq", "guide")}
    assert f'value="{flags["HT-301"].pk}"' in page and f'value="{flags["faq"].pk}"' in page
    assert f'value="{flags["HT-302"].pk}"' not in page  # edited since: no checkbox
    assert f'value="{flags["DD-301"].pk}"' not in page  # another department's record
    assert "Đã sửa sau khi gắn cờ" in page

    chosen = [flags["HT-301"].pk, flags["faq"].pk, flags["guide"].pk]
    response = client.post(
        f"/handbook/legal-texts/{text.pk}/confirm/", {"flag": chosen, "note": "Đã đối chiếu"}
    )
    assert response.status_code == 302
    for key in ("HT-301", "faq", "guide"):
        record = type(citing[key]).objects.get(pk=citing[key].pk)
        assert record.verification == "verified" and record.verified_by == phap2 and record.verified_at
        assert "Vẫn đúng sau khi văn bản 123/2015/NĐ-CP bị thay thế" in record.verification_note
        flag = flag_of(record, text)
        assert flag.resolution == "confirmed" and flag.resolved_by == phap2
        event = AuditEvent.objects.get(
            object_type=record._meta.label_lower, object_id=str(record.pk), changes__legal_flag="confirmed"
        )
        assert event.actor == phap2 and event.changes["verified_at"]
    # Posting again changes nothing and audits nothing.
    events = AuditEvent.objects.count()
    assert client.post(f"/handbook/legal-texts/{text.pk}/confirm/", {"flag": chosen}).status_code == 302
    assert AuditEvent.objects.count() == events


def test_bulk_confirmation_is_all_or_nothing(citing, phap, lam):
    text = decree()
    services.mark_superseded(phap, text)
    ht301, dd301 = flag_of(citing["HT-301"], text), flag_of(citing["DD-301"], text)
    # lam (Nông nghiệp và Môi trường) may confirm DD-301, not HT-301 (Tư pháp): nothing is written.
    with pytest.raises(ValidationError) as exc:
        services.confirm_unchanged(lam, text, [ht301.pk, dd301.pk])
    assert "Đăng ký khai sinh" in str(exc.value)
    assert LegalFlag.objects.open().count() == 5
    # Edited since the flag: refused too.
    Procedure.objects.filter(pk=citing["DD-301"].pk).update(summary="Tóm tắt mới")
    with pytest.raises(ValidationError) as exc:
        services.confirm_unchanged(lam, text, [dd301.pk])
    assert "đã được sửa sau khi gắn cờ" in str(exc.value)
    # A flag of another text is refused, and the system never confirms.
    other = decree(SYSTEM, "23/2015/NĐ-CP")
    services.mark_superseded(phap, other)
    with pytest.raises(ValidationError):
        services.confirm_unchanged(phap, text, [flag_of(citing["CT-301"], other).pk])
    with pytest.raises(PermissionDenied):
        services.confirm_unchanged(SYSTEM, text, [ht301.pk])


def test_a_record_with_another_open_flag_stays_to_verify(citing, phap):
    first, second = decree(), decree(SYSTEM, "Luật Hộ tịch 2014")
    services.mark_superseded(phap, first)
    services.mark_superseded(phap, second)
    record = citing["HT-302"]  # cites both
    services.confirm_unchanged(phap, first, [flag_of(record, first).pk])
    record.refresh_from_db()
    assert record.verification == "needs_verification"
    assert [f.legal_text for f in legal_changes.open_flags(record)] == [second]


def test_commune_officers_get_403_on_every_legal_text_page(client_for, alice, citing):
    text = decree()
    client = client_for(alice)
    assert client.get("/handbook/legal-texts/").status_code == 403
    assert client.get(f"/handbook/legal-texts/{text.pk}/").status_code == 403
    assert client.get("/handbook/legal-texts/new/").status_code == 403
    for action in ("supersede", "reinstate", "confirm"):
        assert client.post(f"/handbook/legal-texts/{text.pk}/{action}/").status_code == 403
    assert client.post("/handbook/legal-texts/build/").status_code == 403
    assert LegalText.objects.get().status == "in_force" and LegalFlag.objects.count() == 0


# Pages and API -------------------------------------------------------------------------------------------------------


def test_an_editor_builds_the_catalogue_and_supersedes_a_text_from_the_pages(client_for, citing, phap):
    client = client_for(phap)
    assert "Lập danh mục từ nội dung cẩm nang" in client.get("/handbook/legal-texts/").content.decode()
    assert client.post("/handbook/legal-texts/build/").status_code == 302
    page = client.get("/handbook/legal-texts/?status=in_force").content.decode()
    assert "123/2015/NĐ-CP" in page and "Luật Hộ tịch 2014" in page
    partial = client.get("/handbook/legal-texts/?q=ho+tich", HTTP_HX_REQUEST="true").content.decode()
    assert "Luật Hộ tịch 2014" in partial and "123/2015/NĐ-CP" not in partial and "<html" not in partial
    text = LegalText.objects.get(key="123/2015/ND-CP")
    detail = client.get(f"/handbook/legal-texts/{text.pk}/").content.decode()
    assert (
        "Đánh dấu đã bị thay thế" in detail
        and "Đăng ký khai sinh" in detail
        and "Chứng thực bản sao" not in detail
    )

    bad = client.post(f"/handbook/legal-texts/{text.pk}/supersede/", {"successor": "văn bản mới"})
    assert bad.status_code == 400 and "Không đọc được số hiệu" in bad.content.decode()
    response = client.post(f"/handbook/legal-texts/{text.pk}/supersede/", {"successor": "120/2025/NĐ-CP"})
    assert response.status_code == 302
    assert LegalFlag.objects.filter(legal_text=text).count() == 5


def test_editing_an_entry_from_the_page(client_for, phap):
    client = client_for(phap)
    response = client.post(
        "/handbook/legal-texts/new/", {"identifier": "20/2021/NĐ CP", "title": "Bảo trợ xã hội"}
    )
    text = LegalText.objects.get()
    assert response.status_code == 302 and text.key == "20/2021/ND-CP" and text.kind == "decree"
    again = client.post("/handbook/legal-texts/new/", {"identifier": "Nghị định 20/2021/NĐ-CP"})
    assert again.status_code == 400 and "đã có trong danh mục" in again.content.decode()
    client.post(
        f"/handbook/legal-texts/{text.pk}/edit/", {"identifier": "20/2021/NĐ-CP", "issued_on": "2021-03-15"}
    )
    text.refresh_from_db()
    assert text.identifier == "20/2021/NĐ-CP" and str(text.issued_on) == "2021-03-15"


def test_the_api_lists_legal_texts_for_editors_only(client, citing, phap, alice):
    from civicdesk.core.services import issue_api_token

    text = decree()
    services.mark_superseded(phap, text, superseded_by="120/2025/NĐ-CP")
    _token, raw = issue_api_token(phap, phap)
    rows = client.get(
        "/api/handbook/legal-texts?status=superseded", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert rows == [
        {
            "id": text.pk,
            "identifier": "123/2015/NĐ-CP",
            "key": "123/2015/ND-CP",
            "aliases": [],
            "kind": "decree",
            "title": "",
            "issued_on": None,
            "status": "superseded",
            "superseded_by": "120/2025/NĐ-CP",
            "superseded_at": rows[0]["superseded_at"],
            "note": "",
            "open_flags": 5,
            "url": f"/handbook/legal-texts/{text.pk}/",
            "updated_at": rows[0]["updated_at"],
        }
    ]
    _token, raw = issue_api_token(alice, alice)
    refused = client.get("/api/handbook/legal-texts", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_the_command_builds_the_catalogue(citing):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("handbook", "legal-texts", "--dry-run", stdout=out)
    assert "+ 123/2015/NĐ-CP" in out.getvalue() and LegalText.objects.count() == 0
    call_command("handbook", "legal-texts", stdout=StringIO())
    assert LegalText.objects.filter(key="123/2015/ND-CP").exists()


def test_an_identifier_is_kept_as_its_number_and_named_with_its_kind(db, phap):
    circular = services.save_legal_text(phap, None, {"identifier": "Thông tư số 99/2026/TT-BTP"})
    assert circular.identifier == "99/2026/TT-BTP" and circular.full_name == "Thông tư 99/2026/TT-BTP"
    law = services.save_legal_text(phap, None, {"identifier": "Luật Hộ tịch năm 2014"})
    assert law.identifier == "Luật Hộ tịch năm 2014" and law.full_name == "Luật Hộ tịch năm 2014"
    vague = services.save_legal_text(phap, None, {"identifier": "Nghị định số 20/2021"})
    assert vague.identifier == "Nghị định số 20/2021" and vague.key == "20/2021/ND"
