from django.core.management.base import BaseCommand, CommandError

from civicdesk.core.models import User
from civicdesk.core.services import issue_api_token
from civicdesk.kernel.actors import system


class Command(BaseCommand):
    help = "Tạo một mã truy cập API mới cho người dùng và in ra (chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="Tên gợi nhớ của mã.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        _token, raw = issue_api_token(system("civicdesk api_token"), user, name=name)
        self.stdout.write(raw)
