"""factory_boy factories for the core and geo domains (apps add theirs in tests/<app>/factories.py)."""

import factory
from factory.django import DjangoModelFactory

from civicdesk.core.models import Department, User
from civicdesk.geo.models import Commune, Hamlet, Province
from civicdesk.kernel.actors import system


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: 90 + n)
    name = factory.Sequence(lambda n: f"Tỉnh {n}")
    codename = factory.Sequence(lambda n: f"tinh_{n}")
    division_type = "tỉnh"


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    codename = factory.Sequence(lambda n: f"xa_thu_{n}")
    division_type = "xa"
    province = factory.SubFactory(ProvinceFactory)


class HamletFactory(DjangoModelFactory):
    class Meta:
        model = Hamlet

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn {n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["province", "code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"so-{n}")
    name = factory.Sequence(lambda n: f"Sở {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = "commune_officer"
    password = factory.django.Password("mat-khau-rat-manh-2026")


# The system as an actor (kernel.actors): what the demo loader and the commands pass to services.
SYSTEM = system("tests")
