import factory
from factory.django import DjangoModelFactory

from civicdesk.assistant.models import Conversation, Feedback, Turn
from tests.factories import UserFactory


class ConversationFactory(DjangoModelFactory):
    class Meta:
        model = Conversation

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Hội thoại {n}")


class TurnFactory(DjangoModelFactory):
    class Meta:
        model = Turn

    conversation = factory.SubFactory(ConversationFactory)
    user = factory.LazyAttribute(lambda t: t.conversation.user if t.conversation else None)
    province_id = factory.LazyAttribute(lambda t: t.user.province_id if t.user else None)
    question = factory.Sequence(lambda n: f"Câu hỏi {n}")
    answered = True
    answer = "Trả lời."
    topic = "Hộ tịch"


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback

    turn = factory.SubFactory(TurnFactory)
    user = factory.LazyAttribute(lambda f: f.turn.user)
    helpful = False
    reasons = factory.LazyFunction(lambda: ["incomplete"])
