"""Reads for staffing pages, the API and the CLI: gap tables, plan summaries, comparisons, tracking views."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.utils import timezone

from civicdesk.core.models import Department
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Commune

from . import optimizer, scoring, signals_in
from .fields import field_label
from .models import CapacityRecord, GapWeights, Secondment


def gap_rows(records, weights_obj):
    """[(record, Gap)] for capacity records, using the province's weights."""
    weights = scoring.Weights.from_model(weights_obj)
    return [(record, scoring.gap(record, weights)) for record in records]


def commune_gap_table(province, weights_obj, *, commune=None):
    """Per commune: its records with their gaps, the commune's maximum score and total units needed."""
    records = CapacityRecord.objects.filter(commune__province=province).select_related("commune")
    if commune is not None:
        records = records.filter(commune=commune)
    by_commune = defaultdict(list)
    for record, g in gap_rows(records, weights_obj):
        by_commune[record.commune].append((record, g))
    table = []
    for commune_obj, rows in by_commune.items():
        table.append(
            {
                "commune": commune_obj,
                "rows": sorted(rows, key=lambda rg: -rg[1].score),
                "max_score": max(g.score for _r, g in rows),
                "units": sum(g.units for _r, g in rows),
            }
        )
    table.sort(key=lambda row: (-row["max_score"], row["commune"].name))
    return table


def default_weights(province):
    return GapWeights.objects.filter(province=province).first() or GapWeights(province=province)


def plan_summary(inp, assignments):
    """What a plan achieves: covered units by priority, km travelled, people per department, communes served."""
    needs = {(n.commune_code, n.field): n for n in inp.needs}
    per_need = Counter((a.commune_code, a.field) for a in assignments)
    covered = Counter()
    needed = Counter()
    for key, need in needs.items():
        needed[need.priority] += need.units
        covered[need.priority] += min(need.units, per_need.get(key, 0))
    dept_of = {s.staff_id: s.department for s in inp.staff}
    kms = [a.km for a in assignments]
    return {
        "assigned": len(assignments),
        "km_total": round(sum(kms), 1),
        "km_mean": round(sum(kms) / len(kms), 1) if kms else 0.0,
        "km_max": round(max(kms), 1) if kms else 0.0,
        "covered_units": sum(covered.values()),
        "needed_units": sum(needed.values()),
        "covered_by_priority": {str(p): covered[p] for p in range(5, 0, -1)},
        "needed_by_priority": {str(p): needed[p] for p in range(5, 0, -1)},
        "per_department": dict(sorted(Counter(dept_of[a.staff_id] for a in assignments).items())),
        "communes_served": len({a.commune_code for a in assignments}),
        "pool_size": len(inp.staff),
    }


def comparison(plans):
    """Side-by-side rows for 2–3 plans: the numbers of the scenario comparison page."""
    dept_names = {
        d.code: d.short_name or d.name
        for d in Department.objects.filter(province__in={p.province_id for p in plans})
    }
    departments = sorted({code for p in plans for code in (p.summary.get("per_department") or {})})
    rows = {
        "departments": [
            {
                "name": dept_names.get(code, code),
                "counts": [(p.summary.get("per_department") or {}).get(code, 0) for p in plans],
            }
            for code in departments
        ],
        "priorities": [
            {
                "priority": prio,
                "cells": [
                    (
                        (p.summary.get("covered_by_priority") or {}).get(str(prio), 0),
                        (p.summary.get("needed_by_priority") or {}).get(str(prio), 0),
                    )
                    for p in plans
                ],
            }
            for prio in range(5, 0, -1)
        ],
    }
    return rows


def input_from_snapshot(snap):
    """Rebuild the optimiser's PlanInput from a plan's stored snapshot."""
    locks = snap.get("locks") or {}
    return optimizer.PlanInput(
        communes=[optimizer.Commune(code, lat, lon) for code, lat, lon in snap["communes"]],
        needs=[optimizer.Need(code, field, units, prio) for code, field, units, prio in snap["needs"]],
        staff=[
            optimizer.Staff(sid, dept, frozenset(fields), lat, lon)
            for sid, dept, fields, lat, lon in snap["staff"]
        ],
        quotas=snap.get("quotas"),
        total=snap["total"],
        distance_weight=snap["distance_weight"],
        max_per_commune=snap["max_per_commune"],
        locks=optimizer.Locks(
            must_send=set(locks.get("must_send", [])),
            must_not_send=set(locks.get("must_not_send", [])),
            fixed=[tuple(x) for x in locks.get("fixed", [])],
            forbidden={tuple(x) for x in locks.get("forbidden", [])},
        ),
    )


def explain_assignment(plan, assignment):
    """optimizer.explain for one stored assignment of `plan`, on the input the plan was solved with."""
    inp = input_from_snapshot(plan.input_snapshot)
    stored = list(plan.assignments.select_related("staff", "commune"))
    result = optimizer.PlanResult(
        status=plan.solver_status,
        objective=plan.objective or 0.0,
        bound=plan.bound or 0.0,
        gap=plan.gap or 0.0,
        seconds=plan.seconds or 0.0,
        assignments=[
            optimizer.Assignment(a.staff.code, str(a.commune.code), a.field, a.value, a.km) for a in stored
        ],
    )
    data = optimizer.explain(inp, result, assignment.staff.code)
    names = dict(
        Commune.objects.filter(code__in=[int(x["commune_code"]) for x in data["alternatives"]]).values_list(
            "code", "name"
        )
    )
    for alt in data["alternatives"]:
        alt["commune_name"] = names.get(int(alt["commune_code"]), alt["commune_code"])
        alt["field_label"] = field_label(alt["field"])
    data["field_label"] = field_label(data["field"])
    return data


# ------------------------------------------------------------------------------------------- tracking


def monday(day):
    return day - timedelta(days=day.weekday())


def report_status(secondment, today=None, calendar=None):
    """(last completed week's Monday or None, its due date, overdue?) for an active secondment.

    A week's report is due on the first working day after that week's Sunday (working calendar).
    """
    today = today or timezone.localdate()
    calendar = calendar or get_calendar()
    if secondment.status != Secondment.Status.ACTIVE:
        return None, None, False
    week = monday(today) - timedelta(days=7)
    if week + timedelta(days=6) < secondment.start_date:
        return None, None, False
    due = calendar.next_working_day(week + timedelta(days=6))
    filed = any(r.week_start == week for r in secondment.reports.all())
    return week, due, (not filed and today > due)


def province_overview(user, province, *, ending_within=14):
    """Who is where, whose report is overdue, who ends soon: the province view of secondments."""
    today = timezone.localdate()
    calendar = get_calendar()
    current = list(
        Secondment.objects.visible_to(user)
        .filter(commune__province=province)
        .current()
        .select_related("staff", "staff__department", "commune")
        .prefetch_related("reports")
    )
    overdue, ending = [], []
    for s in current:
        week, due, late = report_status(s, today, calendar)
        s.report_week, s.report_due, s.report_overdue = week, due, late
        if late:
            overdue.append(s)
        if s.status == Secondment.Status.ACTIVE and s.end_date <= today + timedelta(days=ending_within):
            ending.append(s)
    return {"current": current, "overdue": overdue, "ending": sorted(ending, key=lambda s: s.end_date)}


def before_after(secondment, today=None):
    """The commune's KPIs and hotline volume in the same-length period before and during the secondment."""
    today = today or timezone.localdate()
    start = secondment.start_date
    until = min(secondment.end_date, today)
    if until < start:
        return None
    length = (until - start).days + 1
    before = signals_in.commune_workload(
        secondment.commune, start - timedelta(days=length), start - timedelta(days=1)
    )
    during = signals_in.commune_workload(secondment.commune, start, until)
    rows = []
    for key in signals_in.KEYS:
        rows.append({"key": key, "before": before[key], "during": during[key]})
    return {
        "before_from": start - timedelta(days=length),
        "before_until": start - timedelta(days=1),
        "during_from": start,
        "during_until": until,
        "rows": rows,
        "has_data": bool(before["sources"] or during["sources"]),
    }
