import json
import sys

from django.core.management.base import BaseCommand, CommandError

from civicdesk.assistant.respond import respond


class Command(BaseCommand):
    help = 'Hỏi trợ lý: civicdesk ask "câu hỏi" --json, hoặc civicdesk ask --batch FILE.jsonl (mỗi dòng {"q": "…"}).'

    def add_arguments(self, parser):
        parser.add_argument(
            "question", nargs="?", help="Câu hỏi (tiếng Việt có dấu, không dấu, hoặc tiếng Anh)."
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON.")
        parser.add_argument("--batch", metavar="FILE", help='Tệp JSONL, mỗi dòng {"q": "…"}; \'-\' là stdin.')
        parser.add_argument("--no-llm", action="store_true", help="Chỉ trả lời trích xuất, không gọi LLM.")

    def handle(self, *args, question=None, batch=None, **options):
        use_llm = not options["no_llm"]
        if batch:
            self._batch(batch, use_llm)
            return
        if not question or not question.strip():
            raise CommandError(
                'Cần một câu hỏi, ví dụ: civicdesk ask "làm giấy khai sinh cho con cần gì" --json'
            )
        response = respond(question, use_llm=use_llm)
        if options["json"]:
            self.stdout.write(json.dumps(response.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(response.answer)

    def _batch(self, path, use_llm):
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        with handle:
            lines = list(handle)
        items = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                question = item["q"]
                if not isinstance(question, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f'Dòng {number}: cần một đối tượng JSON {{"q": "…"}}.') from exc
            items.append(question)
        # Validate the whole file first; then answer in order, one JSON object a line.
        for question in items:
            self.stdout.write(json.dumps(respond(question, use_llm=use_llm).as_json(), ensure_ascii=False))
