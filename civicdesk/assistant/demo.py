"""Demo data: build the index from the published handbook, and a few citizens' questions for the gaps page."""

from .models import Turn

DEMO_QUESTIONS = [
    "Giá vàng hôm nay bao nhiêu?",
    "Thủ tục cấp giấy phép khai thác gỗ rừng trồng",
    "Đăng ký xe máy ở đâu",
]


def load(stdout, clock):
    """Index the published handbook; three public questions the handbook cannot answer feed the gaps page."""
    from . import services, store

    state = store.rebuild()
    stdout.write(f"  assistant: chỉ mục v{state.version}, {state.doc_count} mục")
    if Turn.objects.filter(channel=Turn.Channel.PUBLIC, question__in=DEMO_QUESTIONS).exists():
        return
    for question in DEMO_QUESTIONS:
        services.ask(None, question, channel=Turn.Channel.PUBLIC)
