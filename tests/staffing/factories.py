"""factory_boy factories for staffing."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from civicdesk.staffing.models import CapacityRecord, Need, Plan, Secondment, StaffMember
from tests.factories import CommuneFactory, DepartmentFactory, ProvinceFactory


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    department = factory.SubFactory(DepartmentFactory, province=factory.SelfAttribute("..province"))
    fields = factory.LazyFunction(lambda: ["ho_tich"])
    home_lat = 11.94
    home_lon = 108.44


class CapacityRecordFactory(DjangoModelFactory):
    class Meta:
        model = CapacityRecord

    commune = factory.SubFactory(CommuneFactory)
    field = "ho_tich"
    current_staff = 1
    avg_experience_years = 1.0
    dossiers_per_month = 200
    late_rate = 0.3
    supplement_rate = 0.2
    sla_breaches = 4


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    commune = factory.SubFactory(CommuneFactory)
    field = "ho_tich"
    units = 1
    priority = 3


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Phương án {n}")
    total = 10
    distance_weight = 0.01
    max_per_commune = 4
    period_start = date(2026, 1, 5)


class SecondmentFactory(DjangoModelFactory):
    class Meta:
        model = Secondment

    plan = factory.SubFactory(PlanFactory, status="approved")
    staff = factory.SubFactory(StaffMemberFactory)
    commune = factory.SubFactory(CommuneFactory)
    field = "ho_tich"
    start_date = date(2026, 1, 5)
    end_date = date(2026, 4, 4)
    status = Secondment.Status.ACTIVE
