"""`civicdesk outreach …`: import a campaign's list, print its report, send what is still queued (thin wrappers)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicdesk.kernel.actors import system

from ... import services
from ...models import Campaign
from ...reports import campaign_report

COMMAND = system("lệnh civicdesk outreach")


def _campaign(pk):
    try:
        return Campaign.objects.select_related("commune").get(pk=int(pk))
    except (Campaign.DoesNotExist, ValueError) as exc:
        raise CommandError(f"Không có chiến dịch số {pk!r}.") from exc


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f} %"


class Command(BaseCommand):
    help = (
        "Chủ động tiếp cận người dân: nhập danh sách (import-targets), báo cáo chiến dịch (report), "
        "gửi lại tin nhắn đang chờ (retry-queued)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-targets", help="Nhập danh sách từ tệp CSV hoặc .xlsx; không ghi gì nếu có lỗi."
        )
        imp.add_argument("campaign", help="Số của chiến dịch (trên trang chiến dịch).")
        imp.add_argument("file", help="Tệp CSV UTF-8 hoặc Excel .xlsx (cột: xem docs/outreach.md).")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        rep = sub.add_parser("report", help="In kết quả chiến dịch: tiếp cận, nộp hồ sơ, so sánh.")
        rep.add_argument("campaign", help="Số của chiến dịch.")
        sub.add_parser("retry-queued", help="Gửi lại các tin nhắn SMS, Zalo còn đang chờ.")

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _import_targets(self, campaign, file, dry_run=False, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được {file}: {exc}") from exc
        report = services.import_targets(
            COMMAND, _campaign(campaign), content=content, filename=path.name, dry_run=dry_run
        )
        if not report.ok:
            raise CommandError("\n".join(report.errors[:50]))
        verb = "Tệp hợp lệ (chưa ghi)" if dry_run else "Đã nhập"
        self.stdout.write(
            f"{verb}: {report.rows} dòng, {report.targets_created} người mới trong danh sách, "
            f"{report.people_created} người dân mới, {report.people_matched} người đã có, "
            f"{report.merged_rows} dòng trùng được gộp, {report.already_listed} đã có trong chiến dịch, "
            f"{report.consents_recorded} đồng ý liên hệ."
        )

    def _report(self, campaign, **options):
        campaign = _campaign(campaign)
        report = campaign_report(campaign)
        write = self.stdout.write
        write(f"{campaign.name} ({campaign.start_date:%d/%m/%Y}–{campaign.end_date:%d/%m/%Y})")
        write(f"  Người trong danh sách: {report.targets}; đã liên hệ: {report.contacted}; "
              f"liên hệ được: {report.reached} ({_percent(report.reach_rate)})")  # fmt: skip
        write(f"  Đã nộp hồ sơ: {report.converted} ({_percent(report.conversion_rate)} danh sách, "
              f"{_percent(report.conversion_of_reached)} người liên hệ được)")  # fmt: skip
        for label, group in (("Hồ sơ nhờ chiến dịch", report.converted_group),
                             ("Hồ sơ khác cùng thủ tục", report.others_group)):  # fmt: skip
            rating = "—" if group.rating is None else f"{group.rating:.2f}/5"
            write(f"  {label}: {group.count}; trực tuyến {_percent(group.online_rate)}; phải bổ sung "
                  f"{_percent(group.supplement_rate)}; đúng hạn {_percent(group.on_time_rate)}; hài lòng {rating}")  # fmt: skip

    def _retry_queued(self, **options):
        self.stdout.write(f"Đã thử gửi lại {services.retry_queued()} tin nhắn.")
