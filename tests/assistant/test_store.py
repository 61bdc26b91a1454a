"""The live index: built from published records only, versioned in the database, rebuilt after publishing."""

from civicdesk.assistant import services, store
from civicdesk.assistant.models import IndexState
from civicdesk.assistant.search import search
from civicdesk.handbook.models import Procedure
from tests.handbook.factories import ProcedureFactory


def test_the_first_search_builds_version_one_from_published_records(handbook):
    hits = search("khai sanh")
    assert hits[0].id == "procedure:HT-001"
    assert hits[0].kind == "procedure" and hits[0].title == "Đăng ký khai sinh" and hits[0].url
    state = IndexState.objects.get()
    assert state.version == 1 and state.doc_count == 5


def test_drafts_are_never_indexed(handbook):
    assert all(hit.id != "procedure:HT-099" for hit in search("nuôi chim cảnh bí mật"))


def test_publishing_rebuilds_in_the_background_and_bumps_the_version(
    handbook, django_capture_on_commit_callbacks
):
    search("khai sinh")
    new = ProcedureFactory(code="HT-008", name="Đăng ký khai tử", keywords=["giấy chứng tử"], status="draft")
    Procedure.objects.filter(pk=new.pk).update(status=Procedure.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.on_content_published(new)
        # Nothing is rebuilt inside the publishing request: the rebuild waits for the commit.
        assert IndexState.objects.get().version == 1
    assert len(callbacks) == 1
    state = IndexState.objects.get()
    assert state.version == 2 and state.built_for == state.requested == 1
    assert search("làm giấy chứng tử")[0].id == "procedure:HT-008"


def test_another_process_loads_the_new_version_from_its_file(handbook):
    first = store.get_index()
    store.rebuild()
    store.reset()  # as if this were another app server that still holds nothing
    loaded = store.get_index()
    assert loaded.version == first.version + 1


def test_a_process_without_the_file_rebuilds_the_same_version_from_the_database(handbook, settings, tmp_path):
    store.get_index()
    state = store.rebuild()
    settings.ASSISTANT_INDEX_DIR = str(tmp_path / "other-machine")
    store.reset()
    assert store.get_index().version == state.version
    assert search("giấy độc thân")[0].id == "procedure:HT-015"


def test_a_process_holding_an_old_version_reloads_when_the_version_moves(handbook):
    old = store.get_index()
    IndexState.objects.filter(pk=1).update(version=old.version + 5)
    assert store.get_index().version == old.version + 5
