import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Trợ lý: civicdesk assistant eval | calibrate | rebuild."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("eval", help="Đánh giá trên bộ câu hỏi chuẩn (Recall@k, MRR, từ chối, độ trễ).")
        ev.add_argument("--source", choices=["seed", "db"], default="seed",
                        help="seed: các tệp JSON mẫu (không cần CSDL); db: nội dung đã công bố trong CSDL.")  # fmt: skip
        ev.add_argument(
            "--gold", help="Tệp gold JSONL khác (mặc định eval/assistant/gold.jsonl của bản checkout)."
        )
        ev.add_argument("--misses", action="store_true", help="In cả các câu trả lời sai/bị từ chối.")
        cal = sub.add_parser(
            "calibrate",
            help="Huấn luyện lại mô hình quyết định trả lời/từ chối trên các phần huấn luyện của bộ câu hỏi chuẩn "
            "(ghi calibration.json và examples.json).",
        )
        cal.add_argument("--dry-run", action="store_true", help="Chỉ in kết quả, không ghi tệp.")
        sub.add_parser(
            "rebuild", help="Xây lại chỉ mục từ nội dung đã công bố (các máy chủ khác tự nạp lại)."
        )

    def handle(self, *args, action, **options):
        if action == "rebuild":
            from civicdesk.assistant.store import rebuild

            state = rebuild()
            self.stdout.write(f"Chỉ mục v{state.version}: {state.doc_count} mục, {state.build_ms} ms")
            return
        from civicdesk.assistant.corpus import published_docs, seed_docs

        if action == "calibrate":
            fitting = _eval_module("calibrate")
            calibration = fitting.calibrate(seed_docs())
            if not options["dry_run"]:
                fitting.write(calibration)
            self.stdout.write(json.dumps(calibration, ensure_ascii=False, indent=1))
            return
        harness = _eval_module("harness")
        docs = seed_docs() if options["source"] == "seed" else published_docs()
        if not docs:
            raise CommandError(
                "Không có nội dung nào để đánh giá (hãy nạp cẩm nang hoặc dùng --source seed)."
            )
        gold = harness.load_gold(options["gold"]) if options["gold"] else harness.load_gold()
        result = harness.evaluate(docs, gold)
        if not options["misses"]:
            result.pop("misses")
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


def _eval_module(name):
    """A module of the gold set's folder (eval/assistant/, in a checkout only: civicdesk/assistant/evaluation.py)."""
    from civicdesk.assistant import evaluation

    try:
        return evaluation.module(name)
    except evaluation.EvalFolderMissing as exc:
        raise CommandError(str(exc)) from exc
