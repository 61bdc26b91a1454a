from django.core.management.base import BaseCommand

from civicdesk.geo.services import load_units


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 đơn vị hành chính cấp xã từ gói vietnam-provinces (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", type=int, action="append", help="Chỉ nạp tỉnh có mã này (lặp lại được)."
        )

    def handle(self, *args, province=None, **options):
        result = load_units(province)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result['provinces']} tỉnh, {result['communes']} đơn vị cấp xã "
                f"({result['created']} mới, {result['updated']} cập nhật)."
            )
        )
