from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from civicdesk.servicedesk.models import Channel, Dossier, Status
from civicdesk.servicedesk.services.stats import refresh_for
from tests.handbook.factories import ProcedureFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args):
    """A Vietnam-time instant: vn(2025, 10, 6, 9) is 09:00 on Monday 6/10/2025 in Asia/Ho_Chi_Minh."""
    return datetime(*args, tzinfo=VN)


class DossierFactory(DjangoModelFactory):
    """A dossier row as the services would leave it; the monthly counters are refreshed after creation."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:06d}")
    commune = None
    province = factory.LazyAttribute(lambda d: d.commune.province)
    procedure = factory.SubFactory(ProcedureFactory)
    procedure_code = factory.LazyAttribute(lambda d: d.procedure.code if d.procedure else "X-999")
    procedure_name = factory.LazyAttribute(
        lambda d: d.procedure.name if d.procedure else "Thủ tục ngoài danh mục"
    )
    applicant_name = "Ka Huệ"
    applicant_id_number = "068190001234"
    applicant_phone = "0912345678"
    phone_last4 = factory.LazyAttribute(lambda d: d.applicant_phone[-4:])
    channel = Channel.TRUC_TIEP
    status = Status.RECEIVED
    received_at = factory.LazyFunction(lambda: vn(2025, 10, 6, 9))
    received_date = factory.LazyAttribute(lambda d: d.received_at.astimezone(VN).date())
    due_at = factory.LazyAttribute(lambda d: d.received_at + timedelta(days=3))

    @factory.post_generation
    def counters(obj, create, extracted, **kwargs):
        if create:
            refresh_for(obj)
