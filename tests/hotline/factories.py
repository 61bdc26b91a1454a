import factory
from factory.django import DjangoModelFactory

from civicdesk.core.models import WorkingGroup
from civicdesk.hotline.models import Team


class WorkingGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ["province", "code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"to-{n}")
    name = factory.Sequence(lambda n: f"Tổ công tác {n}")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if extracted:
            self.members.set(extracted)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.LazyAttribute(lambda t: (t.department or t.working_group).name)
    province = factory.LazyAttribute(lambda t: (t.department or t.working_group).province)
    department = None
    working_group = None
