"""Routing and team settings: teams, field → team rules, SLA policies, absences, canned replies, assignment."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.models import Department, WorkingGroup
from civicdesk.handbook.models import Field
from civicdesk.kernel.actors import is_system, person

from ..models import Absence, CannedResponse, RoutingRule, SlaPolicy, Team, Ticket
from ..models.teams import DEFAULT_SLA, Urgency
from ..permissions import can_manage_team, is_province_admin_of, is_team_leader


def _require_admin(actor, province_id):
    if not is_system(actor) and not is_province_admin_of(actor, province_id):
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được thay đổi cấu hình đường dây nóng."))


@transaction.atomic
def ensure_teams(actor, province):
    """One team per active department and working group of the province (idempotent); returns the teams."""
    _require_admin(actor, province.pk)
    for dept in Department.objects.filter(province=province, is_active=True):
        team, created = Team.objects.get_or_create(
            department=dept, defaults={"province": province, "name": dept.name}
        )
        if created:
            audit.record(actor, audit.Action.CREATE, team)
    for group in WorkingGroup.objects.filter(province=province, is_active=True):
        team, created = Team.objects.get_or_create(
            working_group=group, defaults={"province": province, "name": group.name}
        )
        if created:
            audit.record(actor, audit.Action.CREATE, team)
    return Team.objects.filter(province=province)


@transaction.atomic
def update_team(actor, team, *, strategy, leader=None, is_active=True, rota=None):
    """Change how a team assigns questions, who leads it, whether it takes questions, who is on the rota.

    `rota=None` leaves the rota as it is; an empty list clears it (every member takes questions).
    """
    if not is_system(actor) and not can_manage_team(actor, team):
        raise PermissionDenied(_("Chỉ trưởng nhóm hoặc quản trị cấp tỉnh được sửa nhóm này."))
    if strategy not in Team.Strategy.values:
        raise ValidationError({"strategy": _("Cách phân công không hợp lệ.")})
    if leader is not None and not team.members().filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("Trưởng nhóm phải là thành viên của nhóm.")})
    changes = audit.diff(
        team,
        {"strategy": strategy, "leader": leader, "is_active": is_active},
        ["strategy", "leader", "is_active"],
    )
    team.save()
    if rota is not None:
        members = set(team.members().values_list("pk", flat=True))
        if any(user.pk not in members for user in rota):
            raise ValidationError({"rota": _("Người trực phải là thành viên của nhóm.")})
        before = sorted(team.rota.values_list("pk", flat=True))
        after = sorted(user.pk for user in rota)
        if before != after:
            team.rota.set(rota)
            changes["rota"] = [before, after]
    if changes:
        audit.record(actor, audit.Action.UPDATE, team, changes=changes)
    return team


def route(province, field):
    """The team for a question in `field`: the province's rule, else the field's default department's team."""
    if field is None:
        return None
    rule = (
        RoutingRule.objects.select_related("team")
        .filter(province=province, field=field, team__is_active=True)
        .first()
    )
    if rule:
        return rule.team
    if field.default_department_code:
        return Team.objects.filter(
            province=province, department__code=field.default_department_code, is_active=True
        ).first()
    return None


@transaction.atomic
def set_routing_rule(actor, *, province, field, team, note=""):
    """Send questions of `field` to `team` (replaces the earlier rule for that field)."""
    _require_admin(actor, province.pk)
    if team.province_id != province.pk:
        raise ValidationError({"team": _("Nhóm trả lời phải thuộc tỉnh này.")})
    rule = RoutingRule.objects.filter(province=province, field=field).first()
    if rule is None:
        rule = RoutingRule.objects.create(province=province, field=field, team=team, note=note)
        audit.record(actor, audit.Action.CREATE, rule, changes={"field": field.code, "team": team.pk})
        return rule
    changes = audit.diff(rule, {"team": team, "note": note}, ["team", "note"])
    rule.save()
    if changes:
        audit.record(actor, audit.Action.UPDATE, rule, changes=changes)
    return rule


@transaction.atomic
def delete_routing_rule(actor, rule):
    _require_admin(actor, rule.province_id)
    audit.record(actor, audit.Action.DELETE, rule)
    rule.delete()


def policy_for(province_id, urgency):
    """(first-response hours, resolution hours, warning %) for an urgency: the province's policy or the default."""
    policy = SlaPolicy.objects.filter(province_id=province_id, urgency=urgency).first()
    if policy:
        return Decimal(policy.first_response_hours), Decimal(policy.resolution_hours), policy.warn_percent
    first, resolution, warn = DEFAULT_SLA[Urgency(urgency)]
    return Decimal(first), Decimal(resolution), warn


@transaction.atomic
def set_sla_policy(actor, *, province, urgency, first_response_hours, resolution_hours, warn_percent=75):
    """Set the working-hour targets for one urgency. Applies to tickets created from now on."""
    _require_admin(actor, province.pk)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Mức độ khẩn không hợp lệ.")})
    if not (0 < Decimal(first_response_hours) <= Decimal(resolution_hours)):
        raise ValidationError(
            {
                "first_response_hours": _(
                    "Thời hạn phản hồi phải lớn hơn 0 và không dài hơn thời hạn giải quyết."
                )
            }
        )
    if not 1 <= int(warn_percent) <= 99:
        raise ValidationError({"warn_percent": _("Mức cảnh báo phải từ 1 đến 99 %.")})
    policy, _created = SlaPolicy.objects.update_or_create(
        province=province,
        urgency=urgency,
        defaults={
            "first_response_hours": first_response_hours,
            "resolution_hours": resolution_hours,
            "warn_percent": warn_percent,
        },
    )
    audit.record(
        actor,
        audit.Action.UPDATE,
        policy,
        changes={
            "first_response_hours": str(first_response_hours),
            "resolution_hours": str(resolution_hours),
            "warn_percent": int(warn_percent),
        },
    )
    return policy


def _may_edit_absence(actor, user):
    if is_system(actor) or actor.pk == user.pk:
        return True
    if is_province_admin_of(actor, user.province_id):
        return True
    return any(is_team_leader(actor, team) for team in Team.objects.for_member(user))


@transaction.atomic
def add_absence(actor, *, user, start, end, note=""):
    """Record that an expert is away; assignment skips them on those days."""
    if not _may_edit_absence(actor, user):
        raise PermissionDenied(_("Bạn chỉ được khai báo lịch vắng của mình hoặc của thành viên nhóm mình."))
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    absence = Absence.objects.create(user=user, start=start, end=end, note=note)
    audit.record(
        actor, audit.Action.CREATE, absence, changes={"user": user.pk, "start": str(start), "end": str(end)}
    )
    return absence


@transaction.atomic
def remove_absence(actor, absence):
    if not _may_edit_absence(actor, absence.user):
        raise PermissionDenied(_("Bạn không được xóa lịch vắng này."))
    audit.record(actor, audit.Action.DELETE, absence)
    absence.delete()


@transaction.atomic
def save_canned_response(actor, *, team, title, body, canned=None):
    """Create or edit one of a team's reply templates."""
    if not is_system(actor) and not can_manage_team(actor, team):
        raise PermissionDenied(_("Chỉ trưởng nhóm hoặc quản trị cấp tỉnh được sửa câu trả lời mẫu."))
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("Câu trả lời mẫu cần tiêu đề và nội dung."))
    if canned is None:
        canned = CannedResponse.objects.create(team=team, title=title, body=body, created_by=person(actor))
        audit.record(actor, audit.Action.CREATE, canned)
        return canned
    changes = audit.diff(canned, {"title": title, "body": body}, ["title", "body"])
    canned.save()
    if changes:
        audit.record(actor, audit.Action.UPDATE, canned, changes=changes)
    return canned


@transaction.atomic
def delete_canned_response(actor, canned):
    if not is_system(actor) and not can_manage_team(actor, canned.team):
        raise PermissionDenied(_("Chỉ trưởng nhóm hoặc quản trị cấp tỉnh được xóa câu trả lời mẫu."))
    audit.record(actor, audit.Action.DELETE, canned)
    canned.delete()


def available_members(team, day=None):
    """Active members of the team who are not away on `day` (today by default)."""
    day = day or timezone.localdate()
    away = Absence.objects.on(day).values("user_id")
    return team.rota_members().exclude(pk__in=away)


def pick_assignee(team, day=None):
    """The next expert to receive a question, by the team's strategy; None for manual teams or nobody available.

    Locks the team row so that two questions filed at once do not both go to the same person in round-robin.
    """
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.strategy == Team.Strategy.MANUAL:
        return None
    candidates = list(available_members(team, day).order_by("pk"))
    if not candidates:
        return None
    if team.strategy == Team.Strategy.LEAST_OPEN:
        counts = dict(
            Ticket.objects.filter(assignee__in=candidates, status__in=Ticket.OPEN_STATUSES)
            .values("assignee")
            .annotate(n=Count("pk"))
            .values_list("assignee", "n")
        )
        # Ties go to whoever is next in the rotation, so equal loads still share the work.
        rotation = _rotation(candidates, team.last_assigned_id)
        chosen = min(rotation, key=lambda u: counts.get(u.pk, 0))
    else:
        chosen = _rotation(candidates, team.last_assigned_id)[0]
    Team.objects.filter(pk=team.pk).update(last_assigned=chosen)
    return chosen


def _rotation(candidates, last_id):
    """Candidates ordered from the one after `last_id` (by id), wrapping round."""
    after = [u for u in candidates if last_id is None or u.pk > last_id]
    before = [u for u in candidates if last_id is not None and u.pk <= last_id]
    return after + before


def routing_table(province):
    """Every field with the team its questions go to and whether that comes from a rule or the default."""
    rules = {r.field_id: r for r in RoutingRule.objects.filter(province=province).select_related("team")}
    teams_by_dept = {
        t.department.code: t
        for t in Team.objects.filter(
            province=province, department__isnull=False, is_active=True
        ).select_related("department")
    }
    rows = []
    for field in Field.objects.all():
        rule = rules.get(field.pk)
        team = rule.team if rule else teams_by_dept.get(field.default_department_code)
        rows.append(
            {
                "field": field,
                "rule": rule,
                "team": team,
                "default_department_code": field.default_department_code,
            }
        )
    return rows
