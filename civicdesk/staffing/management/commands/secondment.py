"""`civicdesk secondment plan …`: the optimal secondment plan from CSV files (no database needed).

    civicdesk secondment plan --communes communes.csv --needs needs.csv --staff staff.csv --quotas quotas.csv \
        --total 260 --distance-weight 0.01 --max-per-commune 4 --time-limit 60 [--locks locks.csv] [--json]

Exit status: 0 with a plan (optimal or feasible); 1 for bad files or arguments (line-numbered errors on
stderr); 3 when the locks make the problem infeasible or no plan was found in time (the JSON still says why).
Everything is printed in the active language (Vietnamese by default); the JSON's messages carry their code and
parameters besides the sentence.

`civicdesk secondment export DIR [--province 68]` writes the four CSV files from the database (communes with
coordinates, the needs table, the active pool, the quotas) so the same plan can be run from the command line.
"""

import csv
import json
import math
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.geo.models import Commune
from civicdesk.staffing import optimizer
from civicdesk.staffing.locks_io import check_locks, parse_locks
from civicdesk.staffing.models import DepartmentQuota, Need, StaffMember
from civicdesk.staffing.plan_io import PlanInputError, load_plan_input
from civicdesk.staffing.plan_messages import render

EXIT_NO_PLAN = 3


class Command(BaseCommand):
    help = gettext_lazy(
        "Biệt phái cán bộ: lập phương án tối ưu từ các tệp CSV (plan) hoặc xuất dữ liệu ra CSV (export)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats the description with re.sub, which a lazy translation breaks (`--help` crashed with
        # "expected string or bytes-like object, got '__proxy__'"): give it the text in the active language.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help=_("Giải bài toán biệt phái tối ưu từ tệp CSV."))
        plan.add_argument("--communes", required=True, help="commune_code,lat,lon")
        plan.add_argument("--needs", required=True, help="commune_code,field,units,priority")
        plan.add_argument("--staff", required=True, help="staff_id,department,fields,home_lat,home_lon")
        plan.add_argument(
            "--quotas", help=_("department,max_release (không có tệp = không giới hạn theo sở)")
        )
        plan.add_argument("--locks", help=_("kind,staff_id,commune_code,field (tùy chọn)"))
        plan.add_argument("--total", required=True, help=_("tổng số người được cử tối đa"))
        plan.add_argument("--distance-weight", default="0.01", help=_("trọng số mỗi km (mặc định 0.01)"))
        plan.add_argument("--max-per-commune", default="4", help=_("số người tối đa mỗi xã (mặc định 4)"))
        plan.add_argument("--time-limit", type=float, default=60.0, help=_("giây (mặc định 60)"))
        plan.add_argument("--json", action="store_true", help=_("in kết quả dạng JSON"))
        export = sub.add_parser("export", help=_("Xuất xã, nhu cầu, nguồn cán bộ và hạn mức ra 4 tệp CSV."))
        export.add_argument("directory")
        export.add_argument("--province", type=int, default=68)

    def handle(self, *args, action, **options):
        if action == "export":
            return self.export(Path(options["directory"]), options["province"])
        return self.plan(options)

    def plan(self, o):
        errors = []
        locks, lock_rows = None, []
        if o["locks"]:
            locks, lock_rows, errors = parse_locks(o["locks"])
        inp = None
        try:
            inp = load_plan_input(
                o["communes"],
                o["needs"],
                o["staff"],
                o["quotas"],
                o["total"],
                o["distance_weight"],
                o["max_per_commune"],
                locks=locks,
            )
        except PlanInputError as exc:
            errors = exc.errors + errors
        if inp is not None and o["locks"] and not errors:
            errors += check_locks(o["locks"], lock_rows, inp)
        if not math.isfinite(o["time_limit"]) or o["time_limit"] <= 0:
            errors.append(
                _("Tham số time_limit phải là số dương (nhận được '%(value)s').") % {"value": o["time_limit"]}
            )
        if errors:
            raise CommandError("\n".join(errors))
        result = optimizer.solve(inp, time_limit=o["time_limit"])
        if o["json"]:
            data = optimizer.to_json(result)
            data["messages"] = [{**m, "text": render(m)} for m in data["messages"]]
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.table(result)
        if result.status not in ("optimal", "feasible"):
            sys.exit(EXIT_NO_PLAN)

    def table(self, result):
        out = self.stdout
        out.write(_("Trạng thái: %(status)s") % {"status": result.status})
        out.write(_("Mục tiêu:   %(objective)s") % {"objective": f"{result.objective:.4f}"})
        out.write(
            _("Cận trên:   %(bound)s   khoảng cách tối ưu: %(gap)s")
            % {"bound": f"{result.bound:.4f}", "gap": f"{result.gap:.2e}"}
        )
        out.write(
            _("Thời gian:  %(seconds)s s   số người được cử: %(n)s")
            % {"seconds": f"{result.seconds:.3f}", "n": len(result.assignments)}
        )
        for message in result.messages:
            out.write(f"! {render(message)}")
        if result.assignments:
            value = _("giá trị")
            out.write("")
            out.write(f"{'staff_id':<14} {'commune_code':<12} {'field':<20} {'km':>8} {value:>9}")
            for a in sorted(result.assignments, key=lambda a: (a.commune_code, a.field, a.staff_id)):
                out.write(f"{a.staff_id:<14} {a.commune_code:<12} {a.field:<20} {a.km:>8.1f} {a.value:>9.3f}")

    def export(self, directory, province_code):
        directory.mkdir(parents=True, exist_ok=True)

        def write(name, header, rows):
            with (directory / name).open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(rows)

        communes = Commune.objects.filter(province__code=province_code, lat__isnull=False, lon__isnull=False)
        codes = set(communes.values_list("code", flat=True))
        write("communes.csv", ["commune_code", "lat", "lon"], communes.values_list("code", "lat", "lon"))
        needs = Need.objects.filter(commune__code__in=codes, units__gt=0).select_related("commune")
        write(
            "needs.csv",
            ["commune_code", "field", "units", "priority"],
            ([n.commune.code, n.field, n.units, n.priority] for n in needs),
        )
        staff = StaffMember.objects.filter(province__code=province_code, is_active=True).select_related(
            "department"
        )
        write(
            "staff.csv",
            ["staff_id", "department", "fields", "home_lat", "home_lon"],
            ([s.code, s.department.code, ";".join(s.fields), s.home_lat, s.home_lon] for s in staff),
        )
        quotas = DepartmentQuota.objects.filter(department__province__code=province_code).select_related(
            "department"
        )
        write(
            "quotas.csv", ["department", "max_release"], ([q.department.code, q.max_release] for q in quotas)
        )
        self.stdout.write(
            _(
                "Đã ghi %(directory)s/communes.csv (%(communes)s), needs.csv (%(needs)s), "
                "staff.csv (%(staff)s), quotas.csv (%(quotas)s)."
            )
            % {
                "directory": directory,
                "communes": len(codes),
                "needs": needs.count(),
                "staff": staff.count(),
                "quotas": quotas.count(),
            }
        )
