"""Can a plan be solved as it stands? Who in the pool can go in its period, and what a planner must change first.

The optimiser only sees codes, and a lock on someone it was not given makes the whole model infeasible. Here each
problem is said with names, dates and the change that fixes it; `services.plans.run_plan` refuses a plan that has
any, so a planner never meets a bare "infeasible". The same availability rule feeds the optimiser's input
(`services.plans.build_snapshot`), so what the checks promise is what the solver gets.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .fields import field_label
from .models import DepartmentQuota, Need, PlanLock, Secondment, StaffMember


def add_months(day, months):
    """The same day `months` later (clamped to the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start, months):
    """Last day (inclusive) of a secondment of `months` months starting on `start`."""
    return add_months(start, months) - timedelta(days=1)


def _d(day):
    return date_format(day, "d/m/Y")


@dataclass
class PoolState:
    """The province's pool seen from one plan period: who can go, and why each other person cannot."""

    start: date
    end: date
    available: list = field(default_factory=list)  # StaffMember, department selected
    busy: dict = field(default_factory=dict)  # staff pk -> the overlapping Secondment
    unavailable: dict = field(default_factory=dict)  # staff pk -> StaffMember outside their availability
    inactive: dict = field(default_factory=dict)  # staff pk -> StaffMember no longer in the pool

    @property
    def skipped(self):
        return len(self.busy) + len(self.unavailable) + len(self.inactive)


def pool_state(province, start, months):
    """Split `province`'s pool for a secondment from `start` for `months` months."""
    end = period_end(start, months)
    state = PoolState(start=start, end=end)
    seconded = {}
    overlapping = (
        Secondment.objects.current()
        .filter(staff__province=province, start_date__lte=end, end_date__gte=start)
        .select_related("plan", "commune")
        .order_by("end_date")
    )
    for secondment in overlapping:
        seconded.setdefault(secondment.staff_id, secondment)
    # Each person lands in exactly one group, checked in this order (the first reason is the one to fix).
    for member in StaffMember.objects.filter(province=province).select_related("department").order_by("code"):
        if not member.is_active:
            state.inactive[member.pk] = member
        elif (member.available_from and member.available_from > start) or (
            member.available_until and member.available_until < end
        ):
            state.unavailable[member.pk] = member
        elif member.pk in seconded:
            state.busy[member.pk] = seconded[member.pk]
        else:
            state.available.append(member)
    return state


def why_not_available(state, member):
    """(reason, fix) for a person outside the plan's pool, or None when they can go."""
    if member.pk in state.inactive:
        return (
            _("không còn trong danh sách nguồn"),
            _("đưa cán bộ trở lại danh sách ở trang Nguồn cán bộ, hoặc bỏ khóa"),
        )
    if member.pk in state.unavailable:
        if member.available_from and member.available_from > state.start:
            return (
                _("chỉ sẵn sàng từ %(day)s, sau ngày bắt đầu %(start)s")
                % {"day": _d(member.available_from), "start": _d(state.start)},
                _("đổi ngày bắt đầu sang %(day)s hoặc muộn hơn, hoặc bỏ khóa")
                % {"day": _d(member.available_from)},
            )
        return (
            _("chỉ sẵn sàng đến %(day)s, trước khi đợt biệt phái kết thúc (%(end)s)")
            % {"day": _d(member.available_until), "end": _d(state.end)},
            _("rút ngắn thời hạn hoặc bắt đầu sớm hơn, hoặc bỏ khóa"),
        )
    secondment = state.busy.get(member.pk)
    if secondment is not None:
        return (
            _("đang được biệt phái đến %(commune)s từ %(start)s đến %(end)s (phương án “%(plan)s”)")
            % {
                "commune": secondment.commune.name,
                "start": _d(secondment.start_date),
                "end": _d(secondment.end_date),
                "plan": secondment.plan.name,
            },
            _("đổi ngày bắt đầu sang %(day)s hoặc muộn hơn, hoặc bỏ khóa")
            % {"day": _d(secondment.end_date + timedelta(days=1))},
        )
    return None


def _lock_label(lock):
    return _("Khóa “%(kind)s” với %(name)s (%(code)s)") % {
        "kind": lock.get_kind_display(),
        "name": lock.staff.full_name,
        "code": lock.staff.code,
    }


def _problem(lock, reason, fix):
    return _("%(lock)s: %(reason)s. Cách sửa: %(fix)s.") % {
        "lock": _lock_label(lock),
        "reason": reason,
        "fix": fix,
    }


def _empty_pool(state):
    message = _(
        "Không có cán bộ nào trong nguồn sẵn sàng cho thời gian biệt phái %(start)s – %(end)s "
        "(%(busy)s người đang được biệt phái, %(later)s người ngoài thời gian sẵn sàng, "
        "%(inactive)s người không còn trong danh sách)."
    ) % {
        "start": _d(state.start),
        "end": _d(state.end),
        "busy": len(state.busy),
        "later": len(state.unavailable),
        "inactive": len(state.inactive),
    }
    if state.busy:
        free = min(s.end_date for s in state.busy.values()) + timedelta(days=1)
        return (
            message
            + " "
            + _(
                "Cách sửa: đổi ngày bắt đầu sang %(day)s hoặc muộn hơn (khi đợt biệt phái đang diễn ra kết thúc), "
                "hoặc nhập thêm cán bộ vào nguồn."
            )
            % {"day": _d(free)}
        )
    return (
        message + " " + _("Cách sửa: nhập hoặc kích hoạt cán bộ ở trang Nguồn cán bộ, hoặc đổi ngày bắt đầu.")
    )


def _fixed_problems(lock, needs):
    """Problems of a `fixed` lock's commune and field, beyond the person's availability."""
    commune, label = lock.commune, field_label(lock.field)
    if commune.lat is None or commune.lon is None:
        return [
            _problem(
                lock,
                _("%(commune)s chưa có tọa độ nên không tính được khoảng cách") % {"commune": commune.name},
                _("nhập tọa độ của xã ở trang Đơn vị hành chính, hoặc bỏ khóa"),
            )
        ]
    if needs.get((commune.pk, lock.field), 0) <= 0:
        return [
            _problem(
                lock,
                _("%(commune)s không có nhu cầu lĩnh vực “%(field)s”")
                % {"commune": commune.name, "field": label},
                _("thêm nhu cầu này ở trang Nhu cầu, hoặc đổi lĩnh vực, hoặc bỏ khóa"),
            )
        ]
    if lock.field not in lock.staff.fields:
        return [
            _problem(
                lock,
                _("cán bộ không có lĩnh vực “%(field)s”") % {"field": label},
                _("chọn một lĩnh vực của cán bộ, hoặc bỏ khóa"),
            )
        ]
    return []


def plan_problems(plan, state=None):
    """What stops `plan` from being solved, each with its fix (empty: it can be solved)."""
    state = state or pool_state(plan.province, plan.period_start, plan.period_months)
    problems = []
    needs = {
        (n.commune_id, n.field): n.units
        for n in Need.objects.filter(commune__province=plan.province, units__gt=0, commune__lat__isnull=False)
    }
    if not needs:
        problems.append(
            _(
                "Chưa có nhu cầu nào ở xã có tọa độ. Cách sửa: tạo bảng nhu cầu ở trang Nhu cầu "
                "(và nhập tọa độ các xã) trước khi giải."
            )
        )
    if not state.available:
        problems.append(_empty_pool(state))
    locks = list(plan.locks.select_related("staff", "staff__department", "commune"))
    forced = [lock for lock in locks if lock.kind in (PlanLock.Kind.MUST_SEND, PlanLock.Kind.FIXED)]
    barred = {lock.staff_id for lock in locks if lock.kind == PlanLock.Kind.MUST_NOT_SEND}
    needed_fields = {f for (_c, f) in needs}
    fixed_seen = Counter()
    for lock in forced:
        why = why_not_available(state, lock.staff)
        if why is not None:
            problems.append(_problem(lock, *why))
            continue
        if lock.staff_id in barred:
            problems.append(
                _problem(
                    lock,
                    _("cán bộ này cũng đang bị khóa “không cử”"),
                    _("bỏ một trong hai khóa"),
                )
            )
        if lock.kind == PlanLock.Kind.FIXED:
            fixed_seen[lock.staff_id] += 1
            problems.extend(_fixed_problems(lock, needs))
        elif needs and not needed_fields & set(lock.staff.fields):
            problems.append(
                _problem(
                    lock,
                    _("không xã nào có nhu cầu thuộc lĩnh vực của cán bộ này (%(fields)s)")
                    % {"fields": ", ".join(map(str, lock.staff.field_labels)) or "—"},
                    _("bỏ khóa, hoặc bổ sung lĩnh vực cho cán bộ ở trang Nguồn cán bộ"),
                )
            )
    problems.extend(_count_problems(plan, forced, fixed_seen, needs))
    return problems


def _count_problems(plan, forced, fixed_seen, needs):
    """Locks that are fine one by one but too many together: per person, need, commune, department, total."""
    problems = []
    people = {lock.staff_id: lock.staff for lock in forced}
    for staff_id, count in fixed_seen.items():
        if count > 1:
            problems.append(
                _(
                    "%(name)s (%(code)s) được cố định vào %(n)s nơi; mỗi người chỉ đi một nơi. Cách sửa: giữ một khóa."
                )
                % {"name": people[staff_id].full_name, "code": people[staff_id].code, "n": count}
            )
    fixed = [lock for lock in forced if lock.kind == PlanLock.Kind.FIXED]
    per_need = Counter((lock.commune_id, lock.field) for lock in fixed)
    communes = {lock.commune_id: lock.commune for lock in fixed}
    for (commune_id, fld), count in sorted(per_need.items()):
        units = needs.get((commune_id, fld), 0)
        if 0 < units < count:
            problems.append(
                _(
                    "%(n)s người được cố định vào %(commune)s, lĩnh vực “%(field)s”, nhưng nhu cầu chỉ %(units)s. "
                    "Cách sửa: bỏ bớt khóa hoặc tăng nhu cầu."
                )
                % {
                    "n": count,
                    "commune": communes[commune_id].name,
                    "field": field_label(fld),
                    "units": units,
                }
            )
    for commune_id, count in sorted(Counter(lock.commune_id for lock in fixed).items()):
        if count > plan.max_per_commune:
            problems.append(
                _(
                    "%(n)s người được cố định vào %(commune)s, vượt giới hạn %(max)s người/xã. "
                    "Cách sửa: bỏ bớt khóa hoặc tăng giới hạn mỗi xã."
                )
                % {"n": count, "commune": communes[commune_id].name, "max": plan.max_per_commune}
            )
    quotas = {
        q.department_id: q.max_release
        for q in DepartmentQuota.objects.filter(department__province=plan.province)
    }
    if quotas:  # with a quota table, a department missing from it releases nobody
        departments = {p.department_id: p.department for p in people.values()}
        for department_id, count in sorted(Counter(p.department_id for p in people.values()).items()):
            quota = quotas.get(department_id, 0)
            if count > quota:
                problems.append(
                    _(
                        "%(n)s người của %(department)s bị khóa phải cử, nhưng hạn mức của sở, ngành này là "
                        "%(quota)s. Cách sửa: tăng hạn mức ở trang Nguồn cán bộ hoặc bỏ bớt khóa."
                    )
                    % {"n": count, "department": departments[department_id].name, "quota": quota}
                )
    if len(people) > plan.total:
        problems.append(
            _(
                "%(n)s người bị khóa phải cử, nhiều hơn tổng số người cử của phương án (%(total)s). "
                "Cách sửa: tăng tổng số hoặc bỏ bớt khóa."
            )
            % {"n": len(people), "total": plan.total}
        )
    return problems
