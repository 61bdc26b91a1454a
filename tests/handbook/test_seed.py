"""The seed corpus: loaded by `civicdesk demo`, valid against the schema, idempotent and skipped when unchanged."""

from civicdesk.handbook.models import Faq, Field, Guide, Procedure, Revision
from civicdesk.handbook.services import load_seed
from tests.factories import SYSTEM


def test_seed_loads_the_corpus_published_with_revisions(tu_phap, nnmt):
    report = load_seed(SYSTEM)
    assert (
        report.ok
        and report.created == Procedure.objects.count() + Guide.objects.count() + Faq.objects.count()
    )
    procedures = Procedure.objects.published()
    assert procedures.count() >= 60
    assert procedures.filter(level="xa").values("field").distinct().count() >= 10
    assert Guide.objects.published().count() >= 30
    assert Revision.objects.count() == report.created
    # The responsible department follows the field: civil status belongs to Sở Tư pháp.
    assert Procedure.objects.get(code="HT-001").department == tu_phap
    assert Field.objects.get(code="dat_dai").default_department_code == "nong-nghiep-moi-truong"


def test_seed_is_idempotent_and_skips_unchanged_records(tu_phap):
    first = load_seed(SYSTEM)
    procedure = Procedure.objects.get(code="HT-001")
    second = load_seed(SYSTEM)
    assert second.created == 0 and second.updated == 0 and second.unchanged == first.created
    assert Revision.objects.count() == first.created
    procedure.refresh_from_db()
    assert procedure.published_at is not None
