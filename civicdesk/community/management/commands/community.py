"""`civicdesk community …`: import people and languages, print the coverage, match a week (thin wrappers)."""

from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civicdesk.geo.models import Commune
from civicdesk.kernel.actors import system

from ... import coverage, matchmaking, services

COMMAND = system("lệnh civicdesk community")


def _commune(code):
    try:
        return Commune.objects.get(code=int(code))
    except (Commune.DoesNotExist, ValueError) as exc:
        raise CommandError(f"Không có xã mã {code!r}.") from exc


class Command(BaseCommand):
    help = "Hỗ trợ tiếng dân tộc: nhập danh sách người (import-people), độ phủ (coverage), xếp lịch tuần (match-week)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-people", help="Nhập người và ngôn ngữ từ tệp CSV; không ghi gì nếu có lỗi."
        )
        imp.add_argument("commune", help="Mã xã, ví dụ 24787.")
        imp.add_argument("file", help="Tệp CSV UTF-8 (cột: xem docs/community.md).")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        cov = sub.add_parser("coverage", help="In độ phủ người nói tiếng dân tộc của các xã trong tỉnh.")
        cov.add_argument("--province", type=int, default=68, help="Mã tỉnh (mặc định 68, Lâm Đồng).")
        week = sub.add_parser("match-week", help="Xếp tối ưu các đề nghị đang chờ của một tuần.")
        week.add_argument("commune", help="Mã xã.")
        week.add_argument("--week", help="Một ngày trong tuần (YYYY-MM-DD; mặc định: tuần này).")
        week.add_argument(
            "--assign", action="store_true", help="Phân công theo phương án (mặc định: chỉ in)."
        )

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _import_people(self, commune, file, dry_run=False, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được {file}: {exc}") from exc
        report = services.import_people(COMMAND, _commune(commune), text, dry_run=dry_run)
        if not report.ok:
            raise CommandError("\n".join(report.errors))
        if dry_run:
            self.stdout.write("Tệp hợp lệ (chưa ghi).")
        else:
            self.stdout.write(
                f"Người mới: {report.people_created}, cập nhật: {report.people_updated}, "
                f"dòng ngôn ngữ: {report.languages}"
            )

    def _coverage(self, province=68, **options):
        rows = [r for r in coverage.coverage(Commune.objects.filter(province__code=province)) if r.languages]
        rows.sort(key=lambda r: (-r.gap, r.commune.name))
        for row in rows:
            lacking = ", ".join(f"{lang.name} (thiếu {lang.lacking})" for lang in row.lacking) or "đủ"
            self.stdout.write(
                f"{row.commune.code:>6} {row.commune.name:<36} {100 * row.gap:5.1f}%  {lacking}"
            )
        self.stdout.write(
            f"{len(rows)} xã có số liệu ngôn ngữ; {sum(1 for r in rows if r.lacking)} xã thiếu người nói."
        )

    def _match_week(self, commune, week=None, assign=False, **options):
        try:
            day = date.fromisoformat(week) if week else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {week!r} (ví dụ 2026-12-07)") from exc
        monday = day - timedelta(days=day.weekday())
        unit = _commune(commune)
        try:
            plan = (
                services.assign_week(COMMAND, unit, monday)
                if assign
                else matchmaking.solve_week(unit, monday)
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = plan["optimal"]
        self.stdout.write(
            f"Tuần {monday:%d/%m/%Y}: {result.served}/{len(plan['accompaniments'])} đề nghị có người "
            f"(tối ưu, {result.seconds:.3f} s); xếp lần lượt: {plan['greedy'].served}"
        )
        for request_id, proposal in sorted(result.assignments.items()):
            acc = plan["accompaniments"][request_id]
            person = plan["people"][proposal.speaker_id]
            self.stdout.write(
                f"  #{request_id} {acc.date:%d/%m} {proposal.slot} {acc.language} → {person.full_name}"
            )
        if assign:
            self.stdout.write(f"Đã phân công {len(plan['assigned'])} đề nghị.")
