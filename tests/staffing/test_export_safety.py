"""Issue 13 (item 1): a planner's CSV never carries a live formula."""

import csv
import io
from datetime import date


def test_a_planners_csv_neutralises_a_hostile_name(client_for, noi, needs, pool, lam_dong):
    from civicdesk.staffing import services

    pool[0].full_name = "=cmd|' /C calc'!A0"
    pool[0].save()
    plan = services.solve_plan_now(
        noi, services.create_plan(noi, lam_dong, name="X", total=4, period_start=date(2026, 3, 2))
    )
    response = client_for(noi).get(f"/staffing/plans/{plan.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [r[1] for r in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in names and not any(n.startswith("=") for n in names)
