"""Every write of the assistant app: asking (recording the turn), feedback, index rebuilds."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.jobs import start_job

from . import jobs, store
from .models import Conversation, Feedback, Turn
from .permissions import can_see_gaps
from .respond import answer_from, respond

MAX_QUESTION = 1000


def _clean(question):
    question = " ".join((question or "").split())
    if not question:
        raise ValidationError(_("Hãy nhập câu hỏi."))
    if len(question) > MAX_QUESTION:
        raise ValidationError(_("Câu hỏi dài quá %(n)s ký tự.") % {"n": MAX_QUESTION})
    return question


@transaction.atomic
def ask(user, question, *, conversation=None, channel=Turn.Channel.STAFF):
    """Answer `question` and record the turn: in `conversation` (the user's own) for officials, without one for
    the public page. Returns (turn, response)."""
    question = _clean(question)
    if channel == Turn.Channel.STAFF:
        if user is None or not user.is_authenticated:
            raise PermissionDenied(_("Cần đăng nhập để dùng trợ lý."))
        if conversation is None:
            conversation = Conversation.objects.create(user=user, title=question[:200])
        elif conversation.user_id != user.pk:
            raise PermissionDenied(_("Đây không phải hội thoại của bạn."))
    response = respond(question)
    turn = Turn.objects.create(
        conversation=conversation if channel == Turn.Channel.STAFF else None,
        user=user if user is not None and user.is_authenticated else None,
        province_id=getattr(user, "province_id", None)
        if user is not None and user.is_authenticated
        else None,
        channel=channel,
        question=question,
        answered=response.answered,
        mode=response.mode,
        answer=response.answer,
        parts=response.parts,
        sources=response.sources,
        confidence=response.confidence,
        topic=response.topic[:120],
        index_version=response.index_version,
        llm_used=response.llm_used,
        ms=response.ms,
    )
    if conversation is not None:
        conversation.save(update_fields=["updated_at"])
    return turn, response


@transaction.atomic
def choose(user, turn, record_id):
    """The asker picks one of a clarification's records: the turn's answer is then composed from that record.

    Only the asker (for a staff turn) may choose, and only among the records the clarification offered; choosing
    again replaces the answer."""
    if turn.channel == Turn.Channel.STAFF and (user is None or turn.user_id != user.pk):
        raise PermissionDenied(_("Đây không phải câu hỏi của bạn."))
    offered = [s.get("id") for s in turn.sources]
    if turn.mode != Turn.Mode.CLARIFY or record_id not in offered:
        raise ValidationError(_("Mục này không nằm trong các lựa chọn của câu trả lời."))
    index = store.get_index()
    doc = index.get(record_id)
    if doc is None:
        raise ValidationError(_("Mục này không còn trong cẩm nang đã công bố; hãy hỏi lại."))
    response = answer_from(doc, turn.question, index_version=index.version)
    turn.chosen = record_id
    turn.parts = response.parts
    turn.answer = response.answer
    turn.topic = (doc.topic or "")[:120]
    turn.save(update_fields=["chosen", "parts", "answer", "topic"])
    return turn


@transaction.atomic
def give_feedback(user, turn, *, helpful, reasons=(), comment=""):
    """Rate an answer (helpful or not, with reasons). One rating per person and answer; a new one replaces it."""
    if turn.channel == Turn.Channel.STAFF and (user is None or turn.user_id != user.pk):
        raise PermissionDenied(_("Bạn chỉ đánh giá được câu trả lời trong hội thoại của mình."))
    reasons = list(dict.fromkeys(reasons))
    invalid = [r for r in reasons if r not in Feedback.Reason.values]
    if invalid:
        raise ValidationError(_("Lý do không hợp lệ: %(r)s") % {"r": ", ".join(invalid)})
    if helpful:
        reasons = []
    author = user if user is not None and user.is_authenticated else None
    if author is not None:
        feedback, _created = Feedback.objects.update_or_create(
            turn=turn,
            user=author,
            defaults={"helpful": helpful, "reasons": reasons, "comment": comment[:500]},
        )
    else:
        feedback = Feedback.objects.create(turn=turn, helpful=helpful, reasons=reasons, comment=comment[:500])
    return feedback


def on_content_published(record):
    """Hook for `civicdesk.handbook.services.on_publish_hooks`: content changed, rebuild in the background."""
    store.request_rebuild()


@transaction.atomic
def start_rebuild(user):
    """An editor asks for a rebuild from the gaps page; it runs as a job with progress."""
    if not can_see_gaps(user):
        raise PermissionDenied(_("Chỉ biên tập viên cẩm nang được xây lại chỉ mục."))
    job = start_job(user, "assistant.rebuild", _("Xây lại chỉ mục trợ lý"), jobs.rebuild_index)
    audit.record(user, audit.Action.UPDATE, job, reason="assistant index rebuild")
    return job
