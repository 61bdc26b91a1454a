"""`civicdesk privacy retention [--province 68] [--wet-run]`: what is past retention, per province and kind of record;
pseudonymised only with --wet-run (the nightly task does the same). `civicdesk privacy register`: the record of
processing activities as text."""

from django.core.management.base import BaseCommand, CommandError

from civicdesk.geo.models import Province
from civicdesk.kernel.actors import system
from civicdesk.kernel.registry import registry

from ...activities import activities
from ...services import retention

COMMAND = system("lệnh civicdesk privacy")


class Command(BaseCommand):
    help = "Dữ liệu cá nhân: đếm (và với --wet-run, ẩn danh hóa) bản ghi quá thời hạn lưu; in sổ ghi nhận hoạt động xử lý."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("retention", help="Bản ghi quá thời hạn lưu; chỉ ẩn danh hóa khi có --wet-run.")
        run.add_argument(
            "--province", type=int, action="append", help="Mã tỉnh (lặp lại được; mặc định: mọi tỉnh)."
        )
        run.add_argument("--wet-run", action="store_true", help="Ẩn danh hóa thật (mặc định: chỉ đếm).")
        reg = sub.add_parser("register", help="In sổ ghi nhận hoạt động xử lý dữ liệu cá nhân của một tỉnh.")
        reg.add_argument("--province", type=int, default=68, help="Mã tỉnh (mặc định 68, Lâm Đồng).")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action)(**options)

    def _provinces(self, codes):
        provinces = Province.objects.order_by("code")
        if codes:
            provinces = provinces.filter(code__in=codes)
            missing = set(codes) - set(provinces.values_list("code", flat=True))
            if missing:
                raise CommandError(f"Không có tỉnh mã {', '.join(map(str, sorted(missing)))}.")
        return list(provinces)

    def _retention(self, province=None, wet_run=False, **options):
        labels = {key: str(source.label) for key, source in registry.personal_data.items()}
        for unit in self._provinces(province):
            if wet_run:
                run = retention.run_province(COMMAND, unit)
                counts, verb = run.counts, "đã ẩn danh hóa"
            else:
                counts, verb = retention.due_counts(unit), "đến hạn"
            total = sum(counts.values())
            if not total and unit.code not in (province or ()):
                continue
            self.stdout.write(f"{unit.name} ({unit.code}): {total} bản ghi {verb}")
            for key, n in counts.items():
                if n:
                    self.stdout.write(f"  {labels.get(key, key)}: {n}")
        if not wet_run:
            self.stdout.write("Chưa ghi gì (thêm --wet-run để ẩn danh hóa).")

    def _register(self, province=68, **options):
        unit = self._provinces([province])[0]
        for number, row in enumerate(activities(unit), start=1):
            self.stdout.write(f"{number}. {row.label}")
            self.stdout.write(f"   Mục đích: {row.purpose}")
            self.stdout.write(f"   Căn cứ: {row.legal_basis}")
            self.stdout.write(f"   Dữ liệu: {'; '.join(row.categories)}")
            self.stdout.write(f"   Bên nhận: {'; '.join(row.recipients)}")
            self.stdout.write(f"   Thời hạn lưu: {row.retention}")
