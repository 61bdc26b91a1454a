"""The counter's procedure picker: a plain <select> that works without JavaScript, narrowed by a search box that
understands names, codes and everyday words (the assistant's index), and filters as the officer types (htmx)."""

import lxml.html
import pytest

from civicdesk.assistant import store
from civicdesk.handbook.models import Procedure
from tests.handbook.factories import FieldFactory, ProcedureFactory


@pytest.fixture(autouse=True)
def _index(settings, tmp_path):
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "assistant-index")
    settings.ASSISTANT_LLM_URL = ""
    settings.ASSISTANT_EMBEDDING_MODEL = ""
    store.reset()
    yield
    store.reset()


@pytest.fixture
def catalogue(khai_sinh):
    """Di Linh's counter catalogue: civil status and residence procedures, one kept as a draft, one archived."""
    ho_tich, cu_tru = khai_sinh.field, FieldFactory(code="cu_tru", name="Cư trú")
    ProcedureFactory(
        code="HT-015",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=ho_tich,
        keywords=["giấy độc thân", "xác nhận độc thân"],
        summary="Xác nhận tình trạng hôn nhân của công dân.",
    )
    ProcedureFactory(
        code="CTR-001",
        name="Đăng ký thường trú",
        field=cu_tru,
        keywords=["nhập hộ khẩu"],
        summary="Đăng ký thường trú tại Công an cấp xã.",
    )
    ProcedureFactory(code="HT-002", name="Đăng ký khai sinh có yếu tố nước ngoài", field=ho_tich)
    ProcedureFactory(code="HT-020", name="Đăng ký khai tử", field=ho_tich, status=Procedure.Status.DRAFT)
    ProcedureFactory(code="HT-099", name="Thủ tục đã bãi bỏ", field=ho_tich, status=Procedure.Status.ARCHIVED)


def _options(html):
    doc = lxml.html.fromstring(html)
    return [
        o.get("value") for o in doc.xpath('//select[@name="procedure"]/descendant::option') if o.get("value")
    ]


def test_everyday_words_find_the_procedure(client_for, alice, catalogue):
    client = client_for(alice)
    options = _options(
        client.get("/servicedesk/receive/", {"q": "giấy độc thân", "find": "1"}).content.decode()
    )
    assert options[0] == "HT-015"
    assert "CTR-001" not in options
    assert (
        _options(client.get("/servicedesk/receive/", {"q": "nhap ho khau"}).content.decode())[0] == "CTR-001"
    )


def test_a_code_is_found_with_or_without_its_dash(client_for, alice, catalogue):
    client = client_for(alice)
    for typed in ("HT-001", "ht001", "ht 001"):
        assert _options(client.get("/servicedesk/receive/", {"q": typed}).content.decode())[0] == "HT-001", (
            typed
        )
    assert set(_options(client.get("/servicedesk/receive/", {"q": "CTR"}).content.decode())) == {"CTR-001"}


def test_words_of_the_name_find_it_first_and_without_accents(client_for, alice, catalogue):
    options = _options(
        client_for(alice).get("/servicedesk/receive/", {"q": "dang ky khai sinh"}).content.decode()
    )
    assert options[:2] == ["HT-001", "HT-002"]  # the plain procedure before its foreign-element variant
    assert "CTR-001" not in options


def test_a_draft_not_yet_in_the_index_is_still_found_but_never_an_archived_one(client_for, alice, catalogue):
    client = client_for(alice)
    assert _options(client.get("/servicedesk/receive/", {"q": "khai tử"}).content.decode())[0] == "HT-020"
    assert "HT-099" not in _options(client.get("/servicedesk/receive/", {"q": "bãi bỏ"}).content.decode())


def test_without_javascript_search_then_choose_in_the_plain_select(client_for, alice, catalogue):
    client = client_for(alice)
    page = client.get("/servicedesk/receive/", {"q": "độc thân", "find": "1", "procedure": "HT-001"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    # "Tìm" searches again: the procedure chosen before is not opened behind the officer's back.
    assert "Giấy chứng sinh" not in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath('//input[@name="q"]/@value') == ["độc thân"]
    assert doc.xpath('//select[@name="procedure"]') and "HT-015" in _options(html)
    chosen = client.get("/servicedesk/receive/", {"q": "độc thân", "procedure": "HT-015"}).content.decode()
    doc = lxml.html.fromstring(chosen)
    assert doc.xpath('//select[@name="procedure"]/descendant::option[@selected]/@value') == ["HT-015"]
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in doc.xpath("//h2/text()")
    # the intake form posts back to the same search, so a refused submission keeps the narrowed list
    action = doc.xpath('//form[.//input[@name="applicant_name"]]/@action')[0]
    assert "q=" in action and "procedure=HT-015" in action


def test_typing_swaps_only_the_choices_with_htmx(client_for, alice, catalogue):
    partial = (
        client_for(alice)
        .get("/servicedesk/receive/", {"q": "giấy độc thân"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "<html" not in partial and "<form" not in partial
    assert _options(partial)[0] == "HT-015"
    assert "Giấy chứng sinh" not in partial  # no intake form until a procedure is chosen


def test_choosing_in_the_narrowed_select_loads_the_checklist_with_htmx(client_for, alice, catalogue):
    partial = (
        client_for(alice)
        .get("/servicedesk/receive/", {"q": "khai sinh", "procedure": "HT-001"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Giấy chứng sinh" in partial and "<html" not in partial


def test_nothing_found_says_so_and_keeps_the_whole_list(client_for, alice, catalogue):
    html = (
        client_for(alice).get("/servicedesk/receive/", {"q": "nuôi chim cảnh", "find": "1"}).content.decode()
    )
    assert "Không tìm thấy thủ tục nào" in html
    assert {"HT-001", "HT-015", "CTR-001"} <= set(_options(html))


def test_an_empty_search_lists_every_procedure_by_field(client_for, alice, catalogue):
    html = client_for(alice).get("/servicedesk/receive/", {"q": " "}).content.decode()
    assert set(_options(html)) == {"HT-001", "HT-002", "HT-015", "HT-020", "CTR-001"}
    assert 'optgroup label="Cư trú"' in html


def test_searching_is_refused_to_those_who_do_not_receive(client_for, quan, phap, charlie, catalogue):
    for user in (quan, phap):
        assert client_for(user).get("/servicedesk/receive/", {"q": "khai sinh"}).status_code == 403
        response = client_for(user).get("/servicedesk/receive/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 403


def test_search_is_refused_to_anonymous_visitors(client, catalogue):
    response = client.get("/servicedesk/receive/", {"q": "khai sinh"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_last_word_may_be_unfinished_while_typing(client_for, alice, catalogue):
    partial = (
        client_for(alice)
        .get("/servicedesk/receive/", {"q": "đăng ký khai si"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert _options(partial)[:2] == ["HT-001", "HT-002"]
