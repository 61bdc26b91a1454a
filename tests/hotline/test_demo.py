"""The Lâm Đồng demo: dilinh.canbo's civil-status question lands with tuphap.chuyenvien, the queues have tickets
in every state, a breach escalates, and loading twice changes nothing."""

from io import StringIO

import pytest
from django.utils import timezone

from civicdesk.core import demo as core_demo
from civicdesk.core.models import User
from civicdesk.hotline import demo, services
from civicdesk.hotline.models import RoutingRule, Team, Ticket


@pytest.fixture
def demo_data(db):
    core_demo.load()
    demo.load(StringIO(), core_demo.DemoClock(timezone.localdate()))
    return {u.username: u for u in User.objects.all()}


def test_demo_is_idempotent_and_has_tickets_in_every_state(demo_data):
    counts = (Ticket.objects.count(), Team.objects.count(), RoutingRule.objects.count())
    demo.load(StringIO(), core_demo.DemoClock(timezone.localdate()))
    assert (Ticket.objects.count(), Team.objects.count(), RoutingRule.objects.count()) == counts
    states = set(Ticket.objects.values_list("status", flat=True))
    assert {"new", "assigned", "answered", "waiting", "resolved"} <= states
    assert {t.commune.code for t in Ticket.objects.all()} == {25000, 24787, 25162}


def test_dilinh_civil_status_question_lands_with_tuphap(demo_data):
    from civicdesk.handbook.models import Field

    ticket = services.create_ticket(
        demo_data["dilinh.canbo"],
        title="Trích lục khai sinh khi sổ gốc bị mất",
        body="Sổ đăng ký khai sinh năm 1995 bị mất, người dân cần trích lục.",
        field=Field.objects.get(code="ho_tich"),
    )
    assert ticket.assignee == demo_data["tuphap.chuyenvien"]
    assert ticket.team.department.code == "tu-phap"


def test_a_demo_breach_escalates_to_the_province_admin(
    demo_data, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.check_sla()
    assert counts["breached"] >= 1
    assert any("tinh.admin@demo.civicdesk.local" in m.to for m in mailoutbox)
