from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý tác vụ nền (huey): hàng đợi SQLite nhúng, hoặc Redis khi có REDIS_URL."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args, workers=None, **options):
        kwargs = {"workers": workers} if workers else {}
        call_command("run_huey", **kwargs)
