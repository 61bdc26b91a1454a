import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from civicdesk.geo.models import Province
from civicdesk.servicedesk import kpi


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (dạng đúng: 2025-07-01)") from exc


class Command(BaseCommand):
    help = "Chỉ số phục vụ người dân (Quyết định 766) theo xã và toàn tỉnh cho một kỳ (theo ngày tiếp nhận)."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, required=True, help="Mã tỉnh, ví dụ 68 (Lâm Đồng).")
        parser.add_argument(
            "--from", dest="date_from", required=True, help="Từ ngày (YYYY-MM-DD), tính cả ngày này."
        )
        parser.add_argument(
            "--to", dest="date_to", required=True, help="Đến ngày (YYYY-MM-DD), tính cả ngày này."
        )
        parser.add_argument(
            "--json", action="store_true", help="In JSON (tỷ lệ là phân số 0–1, null khi mẫu số bằng 0)."
        )

    def handle(self, *args, province, date_from, date_to, **options):
        lo, hi = _date(date_from), _date(date_to)
        if lo > hi:
            raise CommandError("--from phải trước hoặc bằng --to.")
        unit = Province.objects.filter(code=province).first()
        if unit is None:
            raise CommandError(f"Không có tỉnh mã {province} (chạy civicdesk load_units).")
        report = kpi.province_report(unit, lo, hi)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        t = report["total"]

        def pct(v):
            return "—" if v is None else f"{v * 100:5.1f}%"

        self.stdout.write(f"Tỉnh {unit.name}, {lo} → {hi}: {t['received']} hồ sơ, {t['finished']} có kết quả")
        self.stdout.write(
            f"{'Mã':>6} {'Đơn vị':<34} {'Nhận':>6} {'Xong':>6} {'Đúng hạn':>9} {'Tr.tuyến':>9} "
            f"{'Có hỗ trợ':>9} {'Bổ sung':>8} {'Hài lòng':>9} {'Đ.giá':>6}"
        )
        for r in report["communes"]:
            self.stdout.write(
                f"{r['commune_code']:>6} {r['commune_name'][:34]:<34} {r['received']:>6} {r['finished']:>6} "
                f"{pct(r['on_time_rate']):>9} {pct(r['online_rate']):>9} {pct(r['assisted_online_share']):>9} "
                f"{pct(r['supplement_rate']):>8} {pct(r['satisfaction_rate']):>9} {r['rated']:>6}"
            )
