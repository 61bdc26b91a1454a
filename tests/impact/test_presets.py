"""Presets: the treated communes and start day of each kind of initiative, read from its own records."""

from datetime import date

from civicdesk.impact import presets
from tests.factories import CommuneFactory


def test_an_approved_secondment_plan_gives_its_communes_and_start(lam_dong, di_linh, cam_ly):
    from civicdesk.staffing.models import Secondment
    from tests.staffing.factories import PlanFactory, SecondmentFactory, StaffMemberFactory

    plan = PlanFactory(province=lam_dong, status="approved", name="Đợt 1", period_start=date(2025, 8, 1))
    for commune in (di_linh, cam_ly, di_linh):
        SecondmentFactory(plan=plan, commune=commune, staff=StaffMemberFactory(province=lam_dong))
    cancelled = CommuneFactory(province=lam_dong)
    SecondmentFactory(
        plan=plan,
        commune=cancelled,
        staff=StaffMemberFactory(province=lam_dong),
        status=Secondment.Status.CANCELLED,
    )
    PlanFactory(province=lam_dong, status="solved", name="Chưa duyệt")
    found = presets.presets(lam_dong)
    assert [(p.kind, p.codes, p.start) for p in found] == [("secondment", (24787, 25000), date(2025, 8, 1))]
    assert found[0].label == "Biệt phái: Đợt 1 (từ 01/08/2025, 2 xã)"
    assert presets.find(lam_dong, found[0].key) == found[0]
    assert presets.find(lam_dong, "secondment:0") is None


def test_outreach_campaigns_volunteers_mobile_team_and_language_access(lam_dong, di_linh, cam_ly, quan):
    from civicdesk.community.models import Accompaniment
    from civicdesk.mobile.models import Trip
    from civicdesk.outreach.models import Campaign
    from civicdesk.volunteers.models import Shift

    campaign = Campaign.objects.create(
        province=lam_dong, commune=di_linh, name="Di Linh chủ động", purpose="x", theme="other",
        start_date=date(2025, 7, 1), end_date=date(2025, 12, 31), owner=quan, status="active",
    )  # fmt: skip
    fields = {f.name for f in Shift._meta.get_fields()}
    assert {"commune", "day"} <= fields
    kinds = {p.kind: p for p in presets.presets(lam_dong)}
    assert kinds["outreach"].codes == (25000,) and kinds["outreach"].start == date(2025, 7, 1)
    assert kinds["outreach"].key == f"outreach:{campaign.pk}"
    # the other kinds come from the first record per commune (Min of its day); their models keep a commune and a day
    for model, day in ((Trip, "day"), (Accompaniment, "date")):
        names = {f.name for f in model._meta.get_fields()}
        assert {"commune", day} <= names
