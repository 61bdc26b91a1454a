"""Reads others depend on: the transcript the hotline pre-fills, and the content gaps editors work from."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from .models import Conversation, Feedback, Turn


def conversation_transcript(conversation_id, user):
    """The conversation as plain text, or None when it is not `user`'s own (or does not exist)."""
    try:
        conversation = Conversation.objects.visible_to(user).get(pk=conversation_id)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        return None
    lines = []
    for turn in conversation.turns.all():
        lines.append(_("Hỏi: %(q)s") % {"q": turn.question})
        lines.append(_("Trợ lý: %(a)s") % {"a": turn.answer})
        lines.append("")
    return "\n".join(lines).strip()


def recent_conversations(user, limit=20):
    """The user's latest conversations with their last question and how many questions they hold."""
    last = Turn.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Conversation.objects.visible_to(user)
        .annotate(last_question=Subquery(last.values("question")[:1]), questions=Count("turns"))
        .order_by("-updated_at")[:limit]
    )


def escalation(turn_id, user):
    """What the hotline pre-fills from one of `user`'s own turns, or None: {"question", "answer" (as text, with
    its sources), "topic" (the field name of the record the answer came from, or of the nearest one),
    "conversation_id"}."""
    try:
        turn = Turn.objects.get(pk=turn_id, user=user, channel=Turn.Channel.STAFF)
    except (Turn.DoesNotExist, ValueError, TypeError):
        return None
    if turn.mode == Turn.Mode.REFUSE:
        answer = _("Trợ lý không tìm thấy câu trả lời trong cẩm nang.")
        if turn.sources:
            answer += " " + _("Các mục gần nhất: %(titles)s.") % {
                "titles": "; ".join(s["title"] for s in turn.sources)
            }
    else:
        answer = turn.answer
    return {
        "question": turn.question,
        "answer": answer,
        "topic": turn.topic,
        "conversation_id": turn.conversation_id or "",
    }


def gaps(user, *, days=None):
    """Unanswered and badly rated questions visible to an editor, grouped by topic (biggest gap first)."""
    bad = Feedback.objects.filter(turn=OuterRef("pk"), helpful=False)
    turns = (
        Turn.objects.for_gaps(user)
        .annotate(badly_rated=Exists(bad))
        .filter(Q(answered=False) | Q(badly_rated=True))
        .prefetch_related("feedback")
        .order_by("-created_at")
    )
    if days:
        from datetime import timedelta

        from django.utils import timezone

        turns = turns.filter(created_at__gte=timezone.now() - timedelta(days=days))
    groups = defaultdict(list)
    for turn in turns[:1000]:
        groups[turn.topic or _("Chưa rõ chủ đề")].append(turn)
    result = []
    for topic, items in groups.items():
        reasons = defaultdict(int)
        for turn in items:
            for fb in turn.feedback.all():
                for reason in fb.reasons:
                    reasons[reason] += 1
        result.append({
            "topic": topic,
            "count": len(items),
            "unanswered": sum(1 for t in items if not t.answered),
            "badly_rated": sum(1 for t in items if t.badly_rated),
            "reasons": dict(reasons),
            "turns": items[:20],
        })  # fmt: skip
    return sorted(result, key=lambda g: (-g["count"], g["topic"]))


def stats(user):
    qs = Turn.objects.for_gaps(user)
    return qs.aggregate(total=Count("id"), unanswered=Count("id", filter=Q(answered=False)))
