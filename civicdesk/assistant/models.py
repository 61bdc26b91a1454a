"""Models of the assistant app: the index version shared by app servers, conversations, answers, feedback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.scoping import scope_filter

from .permissions import can_see_gaps


class IndexState(models.Model):
    """One row: which index version is current. Each process compares it with the index it holds in memory."""

    version = models.PositiveIntegerField(default=0)
    requested = models.PositiveIntegerField(default=0, help_text="Tăng mỗi khi nội dung được công bố.")
    built_for = models.PositiveIntegerField(
        default=0, help_text="Giá trị 'requested' lúc bản chỉ mục được xây."
    )
    built_at = models.DateTimeField(null=True, blank=True)
    doc_count = models.PositiveIntegerField(default=0)
    build_ms = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("trạng thái chỉ mục trợ lý")
        verbose_name_plural = _("trạng thái chỉ mục trợ lý")

    def __str__(self):
        return f"v{self.version} ({self.doc_count})"


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A conversation is private to the official who had it."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Conversation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_chats"
    )
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("hội thoại với trợ lý")
        verbose_name_plural = _("hội thoại với trợ lý")

    def __str__(self):
        return self.title or f"#{self.pk}"


class TurnQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The asker sees their own questions; editors see those of their province, and the public page's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(user=user) | self.gaps_scope(user))

    @staticmethod
    def gaps_scope(user):
        if not can_see_gaps(user):
            return models.Q(pk__in=[])
        return scope_filter(user, province="province") | models.Q(channel=Turn.Channel.PUBLIC)

    def for_gaps(self, user):
        return self.filter(self.gaps_scope(user))


class Turn(models.Model):
    """One question and the answer given, with the sources cited."""

    class Channel(models.TextChoices):
        STAFF = "staff", _("Cán bộ")
        PUBLIC = "public", _("Người dân (trang công khai)")
        API = "api", _("API")

    class Mode(models.TextChoices):
        ANSWER = "answer", _("Trả lời")
        CLARIFY = "clarify", _("Hỏi lại: mục nào?")
        REFUSE = "refuse", _("Cẩm nang không có")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="turns"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.STAFF)
    question = models.TextField(_("câu hỏi"))
    answered = models.BooleanField(_("đã trả lời"), default=False, db_index=True)  # answer or clarification
    mode = models.CharField(_("cách trả lời"), max_length=10, choices=Mode.choices, default=Mode.REFUSE)
    # The record the asker chose among a clarification's choices (its id, e.g. "procedure:HT-001"); the answer
    # and parts are then composed from it.
    chosen = models.CharField(_("mục được chọn"), max_length=200, blank=True)
    answer = models.TextField(_("câu trả lời"), blank=True)
    parts = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=0)
    topic = models.CharField(_("chủ đề"), max_length=120, blank=True)
    index_version = models.PositiveIntegerField(default=0)
    llm_used = models.BooleanField(default=False)
    ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TurnQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("lượt hỏi đáp")
        verbose_name_plural = _("lượt hỏi đáp")

    def __str__(self):
        return self.question[:80]

    @property
    def cited(self):
        """The records the answer cites: the one chosen in a clarification, else the sources in rank order."""
        if self.chosen:
            return [s for s in self.sources if s.get("id") == self.chosen]
        return self.sources

    @property
    def other_choices(self):
        """A clarification's other records, once one was chosen (to change one's mind)."""
        return [s for s in self.sources if s.get("id") != self.chosen] if self.chosen else []

    @property
    def has_more(self):
        """Whether part of the answer sits behind "xem đầy đủ"."""
        return any(part.get("more") for part in self.parts)


class Feedback(models.Model):
    class Reason(models.TextChoices):
        WRONG = "wrong", _("Sai")
        INCOMPLETE = "incomplete", _("Thiếu")
        OUTDATED = "outdated", _("Đã cũ, hết hiệu lực")
        NO_SOURCE = "no_source", _("Không có nguồn")
        TOO_LONG = "too_long", _("Quá dài")

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helpful = models.BooleanField(_("hữu ích"))
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    comment = models.CharField(_("góp ý"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["turn", "user"], name="assistant_feedback_once_per_user")
        ]
        verbose_name = _("đánh giá câu trả lời")
        verbose_name_plural = _("đánh giá câu trả lời")

    def __str__(self):
        return f"{'+' if self.helpful else '-'} {self.turn_id}"
