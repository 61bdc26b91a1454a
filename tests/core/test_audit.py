import pytest
from django.core.exceptions import ImproperlyConfigured

from civicdesk.core import audit
from civicdesk.core.models import AuditEvent
from civicdesk.kernel import audit as audit_port


def test_audit_log_is_append_only(alice):
    event = audit.record(alice, audit.Action.VIEW, alice, changes={"fields": ["phone"]})
    event.reason = "sửa lại"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_an_action_outside_the_list_is_refused_on_every_database(alice):
    """The column holds 20 characters of a fixed list: SQLite would store "outreach.save_campaign", PostgreSQL not."""
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(alice, "outreach.save_campaign", alice)
    assert not AuditEvent.objects.exists()


def test_diff_reports_only_changes(di_linh):
    changes = audit.diff(di_linh, {"lat": 11.58, "name": di_linh.name}, ["lat", "name"])
    assert changes == {"lat": [None, 11.58]}


def test_geo_records_through_the_port_into_cores_log(alice, di_linh):
    """geo sits under core: its writes reach the log through the kernel's port, which core plugs in at start."""
    event = audit_port.record(alice, audit_port.Action.UPDATE, di_linh, changes={"lat": [None, 11.58]})
    assert AuditEvent.objects.get(pk=event.pk).object_type == "geo.commune"


def test_without_core_the_port_refuses_rather_than_writes_unaudited(monkeypatch, alice, di_linh):
    monkeypatch.setattr(audit_port, "_recorder", None)
    with pytest.raises(ImproperlyConfigured):
        audit_port.record(alice, audit_port.Action.UPDATE, di_linh)


def test_admin_view_filters_by_user_object_and_date(client_for, quan, alice, charlie):
    audit.record(alice, audit.Action.VIEW, alice, changes={"fields": ["phone"]})
    audit.record(charlie, audit.Action.UPDATE, charlie)
    from django.contrib.auth.models import Permission

    quan.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    client = client_for(quan)
    url = "/admin/core/auditevent/"

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [(e.actor_id, e.action) for e in response.context["cl"].result_list]

    assert shown(action__exact="view") == [(alice.pk, "view")]
    assert shown(actor__id__exact=charlie.pk) == [(charlie.pk, "update")]
    assert shown(object_type__exact="core.user", action__exact="update") == [(charlie.pk, "update")]
    assert shown(at__year="2020") == []
    # Nobody edits the log through the admin.
    event = AuditEvent.objects.first()
    assert client.post(f"{url}{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_commune_officer_cannot_read_the_audit_log(client_for, alice):
    assert AuditEvent.objects.visible_to(alice).count() == 0
    response = client_for(alice).get("/admin/core/auditevent/")
    assert response.status_code == 302  # not staff: sent to the admin login


def test_province_admin_manages_only_their_province_in_the_admin(
    client_for, quan, alice, other_province_commune
):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    UserFactory(username="saigon", role="commune_officer", commune=other_province_commune)
    quan.user_permissions.add(Permission.objects.get(codename="view_user"))
    response = client_for(quan).get("/admin/core/user/")
    usernames = {u.username for u in response.context["cl"].result_list}
    assert "alice" in usernames and "saigon" not in usernames
