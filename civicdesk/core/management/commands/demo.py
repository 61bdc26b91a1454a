import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civicdesk.core import demo
from civicdesk.kernel.registry import registry


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh họa tỉnh Lâm Đồng (chạy lại an toàn, không tạo trùng) và in các tài khoản minh họa. "
        "Mọi ngày tháng của dữ liệu minh họa được đặt quanh một ngày mốc (mặc định: ngày nạp lần đầu)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Đặt lại mật khẩu các tài khoản minh họa theo DEMO_PASSWORD.",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Không in bảng tài khoản.")
        parser.add_argument(
            "--anchor",
            default=None,
            metavar="NNNN-TT-NN",
            help="Ngày mốc của dữ liệu minh họa (mặc định: DEMO_ANCHOR, hoặc hôm nay khi nạp lần đầu).",
        )

    def handle(self, *args, reset_passwords=False, quiet_logins=False, anchor=None, **options):
        started = time.monotonic()
        try:
            requested = demo.parse_anchor(anchor if anchor is not None else settings.DEMO_ANCHOR)
            clock = demo.demo_clock(requested)
            demo.load(self.stdout, reset_passwords=reset_passwords)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"  Ngày mốc của dữ liệu minh họa: {clock.today:%d/%m/%Y}")
        for _order, name, loader in registry.demo_loaders:
            step = time.monotonic()
            # One commit per app's demo (thousands of service calls), not one per call.
            with transaction.atomic():
                loader(self.stdout, clock)
            self.stdout.write(f"  · {name}: {time.monotonic() - step:.1f} s")
        # Apps create their own demo accounts too; all of them use the demo e-mail domain.
        logins = demo.demo_logins(reset_passwords=reset_passwords)
        self.stdout.write(
            self.style.SUCCESS(f"Dữ liệu minh họa Lâm Đồng sẵn sàng ({time.monotonic() - started:.1f} s).")
        )
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu: {settings.DEMO_PASSWORD}):")
        width = max(len(u) for u, _r, _unit in logins)
        for username, role, unit in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {unit}")
