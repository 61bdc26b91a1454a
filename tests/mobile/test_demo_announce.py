"""The demo announces Cát Tiên 3's trip to the residents who agreed to SMS, laid on the demo's clock (the afternoon
before the anchor), and a second load adds nothing."""

from datetime import date
from io import StringIO

import pytest

from civicdesk.core.demo import DemoClock
from civicdesk.mobile import demo as mobile_demo
from civicdesk.outreach import demo as outreach_demo
from civicdesk.outreach.models import Campaign, Message
from tests.factories import HamletFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_trip_is_announced_once(cat_tien, khai_sinh):
    cat_tien.lat, cat_tien.lon = mobile_demo.CENTRE
    cat_tien.save()
    UserFactory(username="cattien3.canbo", role="commune_officer", commune=cat_tien)
    HamletFactory(commune=cat_tien, name="Thôn 1", lat=11.61, lon=107.37)
    HamletFactory(commune=cat_tien, name="Thôn 4", lat=11.59, lon=107.38)
    clock = DemoClock(date(2026, 3, 3))
    for _ in range(2):
        outreach_demo.load_residents(StringIO(), clock)
        mobile_demo.load(StringIO(), clock)
    campaign = Campaign.objects.get(theme="mobile_trip")
    assert campaign.start_date == date(2026, 3, 2) and campaign.end_date == date(2026, 3, 4)
    assert Message.objects.count() == 5  # the residents of Thôn 1 and Thôn 4 who agreed to SMS, once each
    assert campaign.targets.filter(messages__isnull=True).count() == 1  # Thị Hương agreed to calls only
