"""Translations into minority languages and the honesty rule (issue 15).

A translation is written by a speaker, shown to readers only once a speaker has checked it, and every check names
the speaker and the day. The texts below are placeholders, not K'Ho or Mạ: tests must not pass off invented text as a
translation either.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.core.models import AuditEvent
from civicdesk.handbook import services
from civicdesk.handbook.models import Procedure, Translation
from civicdesk.kernel.actors import MissingActor
from tests.factories import SYSTEM

from .factories import FaqFactory, GuideFactory

VN = dt.timezone(dt.timedelta(hours=7))
PAGE = "/handbook/procedures/HT-100/"
PUBLIC_PAGE = "/cam-nang/thu-tuc/HT-100/"
ADD = "/handbook/procedures/HT-100/translations/"
BADGE = "Chưa được người nói tiếng này kiểm tra"


def kho(**overrides):
    data = {
        "language": "kpm",
        "title": "[bản thử kpm] Tiêu đề",
        "summary": "[bản thử kpm] Mang tờ khai và giấy chứng sinh đến xã.",
        "translator_name": "K'Điểu Thử",
        "source": "Dịch từ bản công bố tháng 3/2026",
    }
    data.update(overrides)
    return data


def form(**overrides):
    return {f"tr-{name}": value for name, value in kho(**overrides).items()}


def url(translation, action):
    return f"/handbook/procedures/HT-100/translations/{translation.pk}/{action}/"


@pytest.fixture
def record(published):
    """HT-100, published on a fixed day (so no assertion depends on the day the tests run)."""
    Procedure.objects.filter(pk=published.pk).update(published_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    published.refresh_from_db()
    return published


@pytest.fixture
def unchecked(record, phap):
    return services.save_translation(phap, record, kho())


@pytest.fixture
def checked(unchecked, phap, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 30, tzinfo=VN), tick=False)
    return services.verify_translation(phap, unchecked, "Ka Sơn")


def events(translation, action):
    return AuditEvent.objects.filter(
        object_type="handbook.translation", object_id=str(translation.pk), action=action
    )


# --- validation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (kho(language="xx"), "language"),
        (kho(language="zzz"), "language"),  # three letters, but no ISO 639-3 language
        (kho(language="vie"), "language"),  # Vietnamese is the original, not a translation
        (kho(language=""), "language"),
        (kho(title=""), "title"),
        (kho(summary="   "), "summary"),
        (kho(translator_name=""), "translator_name"),
        (kho(title="x" * 401), "title"),
    ],
)
def test_a_translation_needs_a_language_code_a_text_and_its_translator(record, phap, data, field):
    with pytest.raises(ValidationError) as excinfo:
        services.save_translation(phap, record, data)
    assert field in excinfo.value.message_dict
    assert not Translation.objects.exists()


def test_one_translation_per_record_and_language(unchecked, record, phap):
    with pytest.raises(ValidationError) as excinfo:
        services.save_translation(phap, record, kho(title="[bản thử] khác"))
    assert "K'Ho" in excinfo.value.message_dict["language"][0]
    ma = services.save_translation(phap, record, kho(language="cma", title="[bản thử cma] Tiêu đề"))
    with pytest.raises(ValidationError):  # nor by changing another translation's language
        services.save_translation(phap, record, kho(language="kpm"), translation=ma)
    # Any ISO 639-3 language works, not only the province's list.
    assert services.save_translation(phap, record, kho(language="jra")).language_name == "Jarai"
    assert Translation.objects.of(record).count() == 3


# --- permissions ------------------------------------------------------------------------------------------------


def test_commune_roles_and_other_departments_cannot_add_translations(
    record, alice, linh, charlie, lam, operator
):
    for user in (alice, linh, charlie, lam, operator):
        with pytest.raises(PermissionDenied):
            services.save_translation(user, record, kho())
    with pytest.raises(MissingActor):
        services.save_translation(None, record, kho())
    assert not Translation.objects.exists()


def test_the_records_editors_manage_translations(record, phap, quan, alice):
    mine = services.save_translation(phap, record, kho())
    assert mine.created_by == phap and mine.verification == "needs_verification"
    theirs = services.save_translation(quan, record, kho(language="cma"))
    assert theirs.created_by == quan
    with pytest.raises(PermissionDenied):
        services.verify_translation(alice, mine, "Ka Sơn")
    with pytest.raises(PermissionDenied):
        services.delete_translation(alice, mine)
    services.delete_translation(quan, theirs)
    assert list(Translation.objects.of(record)) == [mine]


def test_an_archived_record_takes_no_translation(record, phap, quan):
    services.archive(quan, record)
    with pytest.raises(ValidationError):
        services.save_translation(phap, record, kho())


# --- verification -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "k'điểu thử"])  # the translator does not check their own text
def test_verifying_names_a_speaker_other_than_the_translator(unchecked, phap, name):
    with pytest.raises(ValidationError) as excinfo:
        services.verify_translation(phap, unchecked, name)
    assert "verifier_name" in excinfo.value.message_dict
    unchecked.refresh_from_db()
    assert unchecked.verification == "needs_verification" and unchecked.verified_at is None


def test_verifying_records_the_speaker_the_user_and_the_time(checked, phap):
    checked.refresh_from_db()
    assert checked.verification == "verified" and checked.is_verified
    assert checked.verifier_name == "Ka Sơn" and checked.verified_by == phap
    assert checked.verified_at == dt.datetime(2026, 3, 10, 9, 30, tzinfo=VN)


def test_changing_the_text_needs_a_new_check_but_a_note_does_not(checked, record, phap):
    services.save_translation(phap, record, kho(source="Phương ngữ K'Ho Srê"), translation=checked)
    checked.refresh_from_db()
    assert checked.is_verified and checked.source == "Phương ngữ K'Ho Srê"
    services.save_translation(phap, record, kho(summary="[bản thử kpm] Tóm tắt mới."), translation=checked)
    checked.refresh_from_db()
    assert checked.verification == "needs_verification"
    assert checked.verifier_name == "" and checked.verified_at is None and checked.verified_by is None


def test_the_system_may_record_a_check_but_still_names_the_speaker(unchecked):
    with pytest.raises(ValidationError):
        services.verify_translation(SYSTEM, unchecked, "")
    services.verify_translation(SYSTEM, unchecked, "Ka Sơn")
    assert unchecked.is_verified and unchecked.verified_by is None


# --- audit ------------------------------------------------------------------------------------------------------


def test_every_write_is_audited(checked, record, phap):
    create = events(checked, "create").get()
    assert create.actor == phap and create.changes == {"record": "procedure:HT-100", "language": "kpm"}
    verify = events(checked, "update").get()
    assert verify.changes["verification"] == ["needs_verification", "verified"]
    assert verify.changes["verifier_name"] == "Ka Sơn"
    services.save_translation(phap, record, kho(title="[bản thử kpm] Tiêu đề mới"), translation=checked)
    change = events(checked, "update").latest("pk")
    assert change.changes == {"fields": ["title"], "verification": ["verified", "needs_verification"]}
    pk = checked.pk
    services.delete_translation(phap, checked)
    deleted = AuditEvent.objects.get(object_type="handbook.translation", object_id=str(pk), action="delete")
    assert deleted.changes["language"] == "kpm" and "K'Ho" in deleted.object_repr
    # An edit that changes nothing writes nothing.
    again = services.save_translation(phap, record, kho(language="cma"))
    before = AuditEvent.objects.count()
    services.save_translation(phap, record, kho(language="cma"), translation=again)
    assert AuditEvent.objects.count() == before


# --- pages ------------------------------------------------------------------------------------------------------


def test_unchecked_translations_are_hidden_from_readers_and_shown_to_editors(
    client_for, unchecked, alice, phap
):
    html = client_for(alice).get(PAGE).content.decode()
    assert unchecked.title not in html and "Bản dịch tiếng dân tộc" not in html
    html = client_for(phap).get(PAGE).content.decode()
    assert unchecked.title in html and BADGE in html
    assert "Xác nhận đã kiểm tra" in html and 'name="tr-language"' in html
    assert '<option value="vie"' not in html and '<option value="kpm"' in html


def test_checked_translations_are_shown_with_the_speaker_and_the_day(client, client_for, checked, alice):
    html = client_for(alice).get(PAGE).content.decode()
    assert "Bản dịch tiếng dân tộc" in html and checked.title in html and 'lang="kpm"' in html
    assert "Đã được Ka Sơn kiểm tra ngày 10/03/2026" in html and BADGE not in html
    assert "Xác nhận đã kiểm tra" not in html and "tr-language" not in html  # no editing for an officer
    client.logout()
    public = client.get(PUBLIC_PAGE).content.decode()  # citizens read it too, without the persons' names
    assert checked.title in public and "kiểm tra ngày 10/03/2026" in public
    assert "Ka Sơn" not in public and checked.translator_name not in public


def test_public_pages_never_show_unchecked_translations(client, unchecked):
    assert unchecked.title not in client.get(PUBLIC_PAGE).content.decode()


def test_a_check_older_than_the_vietnamese_text_is_flagged(client_for, checked, record, alice):
    html = client_for(alice).get(PAGE).content.decode()
    assert "công bố lại" not in html
    Procedure.objects.filter(pk=record.pk).update(published_at=dt.datetime(2026, 4, 1, 9, 0, tzinfo=VN))
    html = client_for(alice).get(PAGE).content.decode()
    assert "Văn bản tiếng Việt được công bố lại ngày 01/04/2026" in html


def test_an_editor_adds_checks_edits_and_deletes_through_the_page(client_for, record, phap, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 30, tzinfo=VN), tick=False)
    client = client_for(phap)
    response = client.post(ADD, form())
    assert response.status_code == 302 and response["Location"].endswith(f"{PAGE}#translations")
    translation = Translation.objects.get()
    assert translation.title == "[bản thử kpm] Tiêu đề" and not translation.is_verified

    edit_page = client.get(f"{PAGE}?translation={translation.pk}").content.decode()
    assert url(translation, "edit") in edit_page and "Dịch từ bản công bố tháng 3/2026" in edit_page

    assert (
        client.post(url(translation, "verify"), {f"v{translation.pk}-verifier_name": "Ka Sơn"}).status_code
        == 302
    )
    translation.refresh_from_db()
    assert translation.verifier_name == "Ka Sơn" and translation.verified_by == phap
    assert "Đã được Ka Sơn kiểm tra ngày 10/03/2026" in client.get(PAGE).content.decode()

    assert client.post(url(translation, "edit"), form(source="Ghi chú mới")).status_code == 302
    translation.refresh_from_db()
    assert translation.source == "Ghi chú mới" and translation.is_verified

    assert client.post(url(translation, "delete")).status_code == 302
    assert not Translation.objects.exists()


def test_a_refused_entry_keeps_what_was_typed(client_for, unchecked, phap):
    client = client_for(phap)
    response = client.post(
        ADD, form(language="cma", title="", summary="Phần tóm tắt đã gõ", translator_name="Ka Gõ")
    )
    html = response.content.decode()
    assert response.status_code == 400 and not Translation.objects.filter(language="cma").exists()
    assert (
        "Phần tóm tắt đã gõ" in html and 'value="Ka Gõ"' in html and '<option value="cma" selected>' in html
    )
    response = client.post(ADD, form(title="Tiêu đề trùng ngôn ngữ"))  # kpm exists: refused by the service
    html = response.content.decode()
    assert response.status_code == 400 and "Tiêu đề trùng ngôn ngữ" in html and "đã có bản dịch" in html

    response = client.post(url(unchecked, "verify"), {f"v{unchecked.pk}-verifier_name": "K'Điểu Thử"})
    html = response.content.decode()
    assert response.status_code == 400 and "khác với người dịch" in html
    assert 'value="K&#x27;Điểu Thử"' in html
    unchecked.refresh_from_db()
    assert not unchecked.is_verified


def test_readers_and_other_communes_are_refused_on_the_pages(
    client_for, checked, record, phap, alice, charlie, lam
):
    unchecked = services.save_translation(phap, record, kho(language="cma", title="[bản thử cma] Tiêu đề"))
    for user in (alice, charlie):
        client = client_for(user)
        assert client.post(ADD, form(language="rad")).status_code == 403
        # An unchecked translation does not exist for them; a checked one is theirs to read, not to change.
        assert (
            client.post(url(unchecked, "verify"), {f"v{unchecked.pk}-verifier_name": "X"}).status_code == 404
        )
        assert client.post(url(unchecked, "delete")).status_code == 404
        assert client.post(url(checked, "edit"), form(title="X")).status_code == 403
        assert client.post(url(checked, "verify"), {f"v{checked.pk}-verifier_name": "X"}).status_code == 403
        assert client.post(url(checked, "delete")).status_code == 403
    # An expert of another department sees the unchecked text but may not change it.
    assert client_for(lam).post(url(unchecked, "delete")).status_code == 403
    assert client_for(lam).get(ADD).status_code == 405
    assert Translation.objects.count() == 2 and not events(unchecked, "update").exists()
    checked.refresh_from_db()
    assert checked.verifier_name == "Ka Sơn" and checked.title == "[bản thử kpm] Tiêu đề"


def test_drafts_translations_are_not_reachable_by_commune_officers(client_for, draft, phap, charlie):
    translation = services.save_translation(phap, draft, kho())
    client = client_for(charlie)
    base = "/handbook/procedures/HT-200/translations/"
    assert client.post(base, form(language="cma")).status_code == 404
    assert client.post(f"{base}{translation.pk}/delete/").status_code == 404


def test_guide_and_faq_pages_carry_translations(client_for, fields, phap, alice, quan):
    guide = GuideFactory(slug="vneid", audience="citizens")
    faq = FaqFactory(slug="le-phi")
    for record, page in ((guide, "/handbook/guides/vneid/"), (faq, "/handbook/faqs/le-phi/")):
        translation = services.save_translation(quan, record, kho())
        html = client_for(quan).get(page).content.decode()
        assert translation.title in html and BADGE in html
        assert client_for(alice).get(page).status_code == 200
        services.verify_translation(quan, translation, "Ka Sơn")
        assert translation.title in client_for(alice).get(page).content.decode()
    assert "[bản thử kpm]" in client_for(alice).get("/cam-nang/huong-dan/vneid/").content.decode()


def test_the_demo_ships_no_translated_text(db, tu_phap, nnmt):
    from io import StringIO

    from civicdesk.handbook import demo

    demo.load(StringIO(), None)
    assert Procedure.objects.exists() and not Translation.objects.exists()
