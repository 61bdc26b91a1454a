from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from civicdesk.core.models import User
from civicdesk.handbook import services
from civicdesk.kernel.actors import system


class Command(BaseCommand):
    help = "Cẩm nang: nhập (JSON/JSONL), xuất (jsonl/json), nạp bộ dữ liệu mẫu."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="Nhập tệp JSON/JSONL; kiểm tra tất cả trước, không ghi gì nếu có lỗi, chạy lại không tạo trùng.",
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        imp.add_argument("--user", help="Ghi nhật ký dưới tên người dùng này (mặc định: hệ thống).")
        exp = sub.add_parser("export", help="Xuất nội dung đã công bố (mặc định ra stdout).")
        exp.add_argument("--format", choices=["jsonl", "json"], default="jsonl")
        exp.add_argument("--output", type=Path, help="Ghi ra tệp thay vì stdout.")
        exp.add_argument(
            "--kind", choices=["procedure", "guide", "faq"], action="append", help="Chỉ loại này."
        )
        exp.add_argument(
            "--include-drafts", action="store_true", help="Kèm bản nháp, chờ duyệt, lưu trữ (sao lưu)."
        )
        sub.add_parser(
            "seed", help="Nạp danh sách lĩnh vực và bộ dữ liệu mẫu (civicdesk/handbook/seed/*.json)."
        )
        legal = sub.add_parser(
            "legal-texts",
            help="Lập danh mục văn bản pháp luật từ các số hiệu, tên luật mà cẩm nang trích dẫn (chỉ thêm văn bản chưa có).",
        )
        legal.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không ghi.")
        legal.add_argument("--user", help="Ghi nhật ký dưới tên người dùng này (mặc định: hệ thống).")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _actor(self, user, name):
        if not user:
            return system(name)
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"Không có người dùng {user!r}.")
        return actor

    def _import(self, *, file, dry_run, user, **options):
        actor = self._actor(user, "civicdesk handbook import")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc}") from exc
        report = services.import_text(text, actor=actor, source_name=file.name, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"Tệp có {len(report.errors)} lỗi; chưa ghi dữ liệu nào.")
        summary = f"{report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi"
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ (chạy thử, chưa ghi): {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập: {summary}."))

    def _export(self, *, format, output, kind, include_drafts, **options):
        chunks = services.export_records(format, kinds=kind, include_unpublished=include_drafts)
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()
            return
        with output.open("w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)
        self.stderr.write(f"Đã ghi {output}.")

    def _seed(self, **options):
        try:
            report = services.load_seed(system("civicdesk handbook seed"))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Cẩm nang: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi."
            )
        )

    def _legal_texts(self, *, dry_run, user, **options):
        actor = self._actor(user, "civicdesk handbook legal-texts")
        try:
            report = services.build_legal_catalogue(actor, dry_run=dry_run)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for entry in report.found:
            mark = "  " if entry.existing else "+ "
            aliases = f" ({', '.join(entry.aliases)})" if entry.aliases else ""
            self.stdout.write(f"{mark}{entry.identifier}{aliases} — {entry.count} nội dung")
        new = len(report.new)
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(report.found)} văn bản được trích dẫn, {new} chưa có (chạy thử, chưa ghi)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(report.found)} văn bản được trích dẫn; đã thêm {len(report.created)}."
                )
            )
