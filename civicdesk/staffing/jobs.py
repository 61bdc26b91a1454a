"""Staffing's background jobs: the entry points the worker runs (`core.jobs.start_job(…, jobs.solve_plan, …)`).

Each takes the progress callback `job(percent, message)` and plain arguments (ids, ISO dates), reloads what it
needs and hands over to the services, which hold the rules; what it returns is the job's result on its page.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from civicdesk.core.models import User
from civicdesk.geo.models import Province

from . import optimizer
from .models import Plan
from .plan_messages import render
from .queries import input_from_snapshot
from .services import capacity as capacity_services
from .services import plans as plan_services


def solve_plan(job, plan_id):
    """Solve a plan's stored snapshot with OR-Tools and record the result (`services.run_plan` queues it)."""
    plan = Plan.objects.get(pk=plan_id)
    inp = input_from_snapshot(plan.input_snapshot)
    job(2, _("Đang chuẩn bị dữ liệu"))
    result = optimizer.solve(
        inp, time_limit=plan.time_limit, progress=lambda msg, frac: job(5 + 90 * frac, render(msg))
    )
    plan_services.record_result(plan, inp, result)
    return {"url": plan.get_absolute_url(), "status": result.status, "assignments": len(result.assignments)}


def refresh_signals(job, province_id, user_id, since, until):
    """Refresh every commune's figures from the service desk and the hotline (`services.start_refresh`)."""
    changed = capacity_services.refresh_signals(
        User.objects.get(pk=user_id),
        Province.objects.get(pk=province_id),
        since=date.fromisoformat(since),
        until=date.fromisoformat(until),
        progress=job,
    )
    return {"changed": changed, "url": reverse("staffing:gaps")}
