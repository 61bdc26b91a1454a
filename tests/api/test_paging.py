"""Every list that pages takes the same `limit` and `offset`, and a value out of bounds is a 422, never a 500."""

import pytest

from civicdesk.api.base import MAX_LIMIT, MAX_OFFSET
from tests.handbook.factories import FaqFactory, GuideFactory, ProcedureFactory
from tests.servicedesk.factories import DossierFactory, vn

PAGED = [
    "/api/servicedesk/dossiers",
    "/api/handbook/procedures",
    "/api/handbook/guides",
    "/api/handbook/faqs",
    "/api/hotline/tickets",
]

OUT_OF_BOUNDS = [
    {"offset": -1},
    {"offset": 9223372036854775808},
    {"offset": MAX_OFFSET + 1},
    {"limit": 0},
    {"limit": -5},
    {"limit": MAX_LIMIT + 1},
    {"limit": 9223372036854775808},
    {"offset": "mot"},
    {"offset": -1, "q": "khai sinh"},
]


@pytest.mark.parametrize("url", PAGED)
@pytest.mark.parametrize("params", OUT_OF_BOUNDS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_out_of_bounds_paging_is_invalid(client, bearer, alice, url, params):
    response = client.get(url, params, **bearer(alice))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "Dữ liệu gửi lên không hợp lệ."
    wrong = next(name for name in ("offset", "limit") if name in params)
    assert [d["loc"][-1] for d in error["details"]] == [wrong]


@pytest.mark.parametrize("url", PAGED)
def test_the_bounds_themselves_are_accepted(client, bearer, alice, url):
    response = client.get(url, {"offset": MAX_OFFSET, "limit": MAX_LIMIT}, **bearer(alice))
    assert response.status_code == 200 and response.json() == []


def test_dossiers_page_newest_first(client, bearer, alice, di_linh):
    for day in (6, 7, 8):
        DossierFactory(commune=di_linh, code=f"25000-2510{day:02d}-001", received_at=vn(2025, 10, day, 9))
    page = client.get("/api/servicedesk/dossiers", {"limit": 1, "offset": 1}, **bearer(alice)).json()
    assert [d["code"] for d in page] == ["25000-251007-001"]


def test_handbook_lists_page_with_and_without_a_query(client, bearer, alice, db):
    for n in range(3):
        ProcedureFactory(code=f"HT-{n:03d}", name=f"Đăng ký khai sinh {n}", keywords=["khai sinh"])
        GuideFactory(slug=f"huong-dan-{n}", title=f"Hướng dẫn {n}")
        FaqFactory(slug=f"hoi-{n}", question=f"Câu hỏi {n}?")
    headers = bearer(alice)
    page = client.get("/api/handbook/procedures", {"limit": 2, "offset": 1}, **headers).json()
    assert [p["code"] for p in page] == ["HT-001", "HT-002"]
    found = client.get("/api/handbook/procedures", {"q": "khai sinh", "limit": 1, "offset": 2}, **headers)
    assert len(found.json()) == 1
    assert [g["slug"] for g in client.get("/api/handbook/guides", {"offset": 2}, **headers).json()] == [
        "huong-dan-2"
    ]
    assert len(client.get("/api/handbook/faqs", {"limit": 2}, **headers).json()) == 2


def test_the_spec_documents_one_paging_contract(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for url in PAGED:
        params = {p["name"]: p["schema"] for p in paths[url]["get"]["parameters"]}
        assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == MAX_LIMIT, url
        assert params["offset"]["minimum"] == 0 and params["offset"]["maximum"] == MAX_OFFSET, url
