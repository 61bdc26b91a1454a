"""The handbook's search pages answer from the assistant's index for readers (everyday words, no accents)."""

import pytest

from civicdesk.assistant.search import handbook_search_backend
from civicdesk.handbook import queries
from civicdesk.handbook.services import load_seed
from tests.factories import SYSTEM


@pytest.fixture
def seeded(db):
    load_seed(SYSTEM)


def test_readers_get_index_hits_for_everyday_words(seeded, alice):
    hits = queries.search("lam so do", alice, 5, kinds=["procedure"])
    assert hits and hits[0].record.code == "DD-001"
    assert all(hit.record.status == "published" for hit in hits)


def test_public_search_keeps_officials_only_guides_out(seeded):
    from django.contrib.auth.models import AnonymousUser

    hits = handbook_search_backend(
        "trung tâm phục vụ hành chính công cấp xã", AnonymousUser(), 10, public=True
    )
    assert all(hit.kind != "guide" or hit.record.audience in ("citizens", "both") for hit in hits)


def test_editors_search_the_database_including_drafts(seeded, phap):
    from tests.handbook.factories import ProcedureFactory

    ProcedureFactory(
        code="HT-900", name="Thủ tục nháp về khai sinh lưu động", status="draft", department=phap.department
    )
    codes = [hit.record.code for hit in queries.search("khai sinh lưu động", phap, 10, kinds=["procedure"])]
    assert "HT-900" in codes
