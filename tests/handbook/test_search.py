"""The database search: accent-insensitive, ranked, scoped; replaceable by the assistant's index."""

from civicdesk.handbook import queries
from civicdesk.handbook.services import import_records
from tests.factories import SYSTEM

from .factories import guide_data, procedure_data


def test_search_folds_accents_and_ranks_titles_first(fields, alice):
    import_records(
        [
            procedure_data("HT-001", name="Đăng ký khai sinh", keywords=["làm giấy khai sinh"]),
            procedure_data("HT-002", name="Đăng ký khai tử", summary="Sau khi khai sinh…"),
            procedure_data(
                "DD-001", name="Cấp Giấy chứng nhận quyền sử dụng đất", field="dat_dai", keywords=["so do"]
            ),
            guide_data(title="Hướng dẫn khai sinh trực tuyến"),
        ],
        actor=SYSTEM,
    )
    titles = [h.title for h in queries.search("dang ky khai sinh", alice)]
    assert titles[0] == "Đăng ký khai sinh"
    assert [h.title for h in queries.search("SỔ ĐỎ", alice)] == ["Cấp Giấy chứng nhận quyền sử dụng đất"]
    assert [h.kind for h in queries.search("khai sinh truc tuyen", alice, kinds=["guide"])] == ["guide"]
    assert queries.search("   ", alice) == []


def test_an_other_backend_can_replace_the_database_search(alice):
    calls = []

    def backend(query, user, limit, **options):
        calls.append((query, user, limit, options))
        return []

    queries.register_search_backend(backend)
    try:
        assert queries.search("khai sinh", alice, 5) == []
    finally:
        queries.register_search_backend(None)
    assert calls == [("khai sinh", alice, 5, {"kinds": None, "public": False})]
