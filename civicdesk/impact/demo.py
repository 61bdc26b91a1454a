"""The demo's first secondment wave: a past, approved and completed plan, whose effect the impact page recovers.

The service desk's demo plants the effect in its dossiers (`servicedesk.demo.first_wave`: 24 communes, from the
first day of the fourth of its six months, 8 more points of late dossiers before that day than after it). This
loader records the wave itself through the staffing services, after staffing's demo (pool, quotas, needs): one
person per commune, fixed by a lock to a field the commune needs, two months, approved, then completed. The
impact page's "Biệt phái: Đợt 1 …" preset is this plan.
"""

from collections import Counter

from civicdesk.geo.models import Commune, Province
from civicdesk.kernel.actors import DEMO
from civicdesk.servicedesk.demo import PROVINCE_CODE, first_wave, last_demo_day
from civicdesk.staffing import services as staffing
from civicdesk.staffing.models import DepartmentQuota, Need, Plan, Secondment
from civicdesk.staffing.readiness import pool_state

NAME = "Đợt 1: biệt phái 2 tháng (minh họa, đã kết thúc)"
MONTHS = 2
SPARE = "STP-DEMO"  # the demo's secondee account stays free for the walkthrough of the 260 plan


def _pick(communes, start, province):
    """[(member, commune, field)]: for each commune its highest-priority need (a manual one-unit one-stop need
    when it has none) and an available person of that field, within the departments' quotas."""
    available = [m for m in pool_state(province, start, MONTHS).available if m.code != SPARE]
    quotas = dict(
        DepartmentQuota.objects.filter(department__province=province).values_list(
            "department_id", "max_release"
        )
    )
    used, per_department, picks = set(), Counter(), []
    for commune in communes:
        needs = list(Need.objects.filter(commune=commune, units__gt=0).order_by("-priority", "field"))
        if not needs:
            needs = [staffing.save_need(DEMO, commune, "mot_cua", units=1, priority=1, note=NAME)]
        for need in needs:
            member = next(
                (
                    m
                    for m in available
                    if m.pk not in used
                    and need.field in m.fields
                    and per_department[m.department_id] < quotas.get(m.department_id, 10**6)
                ),
                None,
            )
            if member is not None:
                used.add(member.pk)
                per_department[member.department_id] += 1
                picks.append((member, commune, need.field))
                break
    return picks


def load(stdout, clock):
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    if province is None or Plan.objects.filter(province=province, name=NAME).exists():
        return
    communes = list(Commune.objects.filter(province=province, lat__isnull=False).order_by("code"))
    start, codes = first_wave([c.code for c in communes], last_demo_day(clock))
    wave = [c for c in communes if c.code in codes]
    picks = _pick(wave, start, province)
    if not picks:
        return
    plan = staffing.create_plan(
        DEMO,
        province,
        name=NAME,
        total=len(picks),
        distance_weight=0.0,
        max_per_commune=1,
        time_limit=20,
        period_start=start,
        period_months=MONTHS,
        note="Dữ liệu minh họa: đợt biệt phái đã qua, để xem tác động ở trang Tác động sáng kiến.",
    )
    for member, commune, field in picks:
        staffing.add_lock(DEMO, plan, kind="fixed", staff=member, commune=commune, field=field, reason=NAME)
    staffing.solve_plan_now(DEMO, plan)
    staffing.approve_plan(DEMO, plan, decision_number="01/QĐ-UBND")
    for secondment in Secondment.objects.filter(plan=plan):
        if secondment.status == Secondment.Status.PLANNED:
            staffing.start_secondment(DEMO, secondment)
        staffing.complete_secondment(DEMO, secondment, reason="Hết thời hạn biệt phái (minh họa).")
    stdout.write(f"    impact: đợt biệt phái thứ nhất, {len(picks)} xã, từ {start:%d/%m/%Y}, {MONTHS} tháng")
