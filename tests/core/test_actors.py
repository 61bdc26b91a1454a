"""The system is a named actor; `None` is no actor at all (kernel/actors.py).

Before, `actor=None` meant "the system" and skipped every permission check: a view that forgot to pass the user
got full rights. Now a service called with None refuses, and what the system does is logged under its name.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from civicdesk.core import services as core_services
from civicdesk.core.models import AuditEvent
from civicdesk.handbook import services as handbook_services
from civicdesk.kernel.actors import DEMO, MissingActor, is_system, person, system
from civicdesk.servicedesk import services as servicedesk_services
from civicdesk.staffing import services as staffing_services

CALLS = {
    "core.upsert_department": lambda actor, province: core_services.upsert_department(
        actor, province=province, code="so-moi", name="Sở Mới"
    ),
    "servicedesk.import_dossiers": lambda actor, province: servicedesk_services.import_dossiers(
        actor, "code,commune_code\n"
    ),
    "staffing.generate_needs": lambda actor, province: staffing_services.generate_needs(actor, province),
    "handbook.import_records": lambda actor, province: handbook_services.import_records([], actor=actor),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_service_called_without_an_actor_refuses(name, lam_dong):
    with pytest.raises(MissingActor):
        CALLS[name](None, lam_dong)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_commune_officer_is_refused_where_the_system_is_allowed(name, lam_dong, alice):
    with pytest.raises(PermissionDenied):
        CALLS[name](alice, lam_dong)
    CALLS[name](system("tests"), lam_dong)  # no PermissionDenied


def test_the_audit_log_names_the_system_actor(lam_dong):
    core_services.upsert_department(system("civicdesk demo"), province=lam_dong, code="so-moi", name="Sở Mới")
    event = AuditEvent.objects.get(object_type="core.department")
    assert event.actor is None and event.actor_name == "Hệ thống (civicdesk demo)"


def test_system_actor_basics(alice):
    assert is_system(DEMO) and not is_system(alice)
    assert person(DEMO) is None and person(alice) is alice and person(None) is None
    with pytest.raises(ValueError):
        system("  ")
    with translation.override("en"):
        assert str(DEMO) == "System (civicdesk demo)"
    # What a permission check reads from a user, a system actor has, and none of it grants anything.
    assert not DEMO.is_province_admin and DEMO.role == "" and DEMO.province_id is None
