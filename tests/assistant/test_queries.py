from civicdesk.assistant import services
from civicdesk.assistant.queries import conversation_transcript


def test_the_transcript_is_the_owners_only(handbook, alice, charlie):
    turn, _response = services.ask(alice, "Giá vàng hôm nay bao nhiêu?")
    services.ask(alice, "khai sanh", conversation=turn.conversation)
    text = conversation_transcript(turn.conversation_id, alice)
    assert text.startswith("Hỏi: Giá vàng hôm nay bao nhiêu?")
    assert "Hỏi: khai sanh" in text and "Đăng ký khai sinh" in text
    assert conversation_transcript(turn.conversation_id, charlie) is None
    assert conversation_transcript(999999, alice) is None
    assert conversation_transcript("abc", alice) is None
