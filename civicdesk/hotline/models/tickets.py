"""Tickets: a commune official's question, its conversation, attachments, timeline and links to the handbook."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.languages import validate_language_code
from civicdesk.kernel.roles import COMMUNE_ROLES, DEPARTMENT_ROLES
from civicdesk.kernel.scoping import NOTHING, scope_filter
from civicdesk.kernel.served import ServedLanguageModelMixin

from .teams import Team, Urgency


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commune roles: their commune's tickets; experts: their teams' (and what is assigned to them);
        province roles: the province."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in DEPARTMENT_ROLES and not user.is_superuser:
            team_ids = Team.objects.for_member(user).values("pk")
            return self.filter(Q(team__in=team_ids) | Q(assignee=user))
        q = scope_filter(user, commune="commune", province="province")
        return self.none() if q == NOTHING else self.filter(q)

    def open(self):
        return self.filter(status__in=Ticket.OPEN_STATUSES)

    def overdue(self, now):
        """Open tickets past a due time whose clock is running."""
        running = self.filter(status__in=Ticket.CLOCK_RUNNING)
        return running.filter(
            Q(first_responded_at__isnull=True, first_response_due__lt=now) | Q(resolution_due__lt=now)
        )


class Ticket(ServedLanguageModelMixin, models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        ASSIGNED = "assigned", _("Đã phân công")
        ANSWERED = "answered", _("Đã trả lời")
        WAITING = "waiting", _("Chờ xã bổ sung")
        RESOLVED = "resolved", _("Đã giải quyết")
        CLOSED = "closed", _("Đã đóng")

    class Channel(models.TextChoices):
        WEB = "web", _("Trang web")
        PHONE = "phone", _("Điện thoại")
        EMAIL = "email", _("Thư điện tử")
        ZALO = "zalo", _("Zalo")
        TELEGRAM = "telegram", _("Telegram")
        API = "api", _("API")
        ASSISTANT = "assistant", _("Từ trợ lý AI")

    OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.ANSWERED, Status.WAITING)
    # The SLA clock stops while the commune owes information (and once resolved).
    CLOCK_RUNNING = (Status.NEW, Status.ASSIGNED, Status.ANSWERED)

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="hotline_tickets", verbose_name=_("xã")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotline_requests",
        verbose_name=_("người hỏi"),
    )
    caller_name = models.CharField(_("tên người gọi"), max_length=150, blank=True)
    caller_phone = models.CharField(_("số điện thoại người gọi"), max_length=20, blank=True)
    # Language access (issue 15): the ISO 639-3 code of the language the citizen behind the question was served
    # in, blank for Vietnamese (nothing special to record), and whether an interpreter helped.
    served_language = models.CharField(
        _("ngôn ngữ phục vụ"),
        max_length=3,
        blank=True,
        default="",
        db_default="",
        validators=[validate_language_code],
    )
    interpreter_used = models.BooleanField(_("có người phiên dịch"), default=False, db_default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi"),
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung câu hỏi"))
    field = models.ForeignKey(
        "handbook.Field",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực"),
    )
    urgency = models.CharField(
        _("mức độ khẩn"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.NEW)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("nhóm trả lời"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotline_assigned",
        verbose_name=_("chuyên viên phụ trách"),
    )
    conversation_id = models.CharField(_("cuộc trò chuyện với trợ lý"), max_length=64, blank=True)
    conversation_transcript = models.TextField(_("nội dung trò chuyện với trợ lý"), blank=True)

    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_due = models.DateTimeField(_("hạn phản hồi đầu tiên"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("phản hồi đầu tiên lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(
        default=0, help_text=_("Giờ làm việc (giây) đã tạm dừng đồng hồ vì chờ xã bổ sung.")
    )
    first_response_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("đã báo trưởng nhóm lúc"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("gộp vào"),
    )
    faq = models.ForeignKey(
        "handbook.Faq",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hỏi đáp tạo từ câu hỏi này"),
    )
    csat_score = models.PositiveSmallIntegerField(_("điểm hài lòng"), null=True, blank=True)
    csat_reason = models.TextField(_("lý do đánh giá"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Personal data (issue 21, privacy app): restricted at the request of a person it is about (it is not turned
    # into a handbook FAQ), and when its caller and the numbers in its texts were pseudonymised past retention.
    restricted = models.BooleanField(_("hạn chế xử lý dữ liệu cá nhân"), default=False, db_default=False)
    pseudonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "resolution_due"], name="hotline_ticket_status_due"),
            models.Index(fields=["team", "status"], name="hotline_ticket_team_status"),
            models.Index(fields=["commune", "status"], name="hotline_ticket_commune_status"),
            models.Index(fields=["assignee", "status"], name="hotline_ticket_assignee_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat_score__isnull=True) | Q(csat_score__gte=1, csat_score__lte=5),
                name="hotline_csat_1_to_5",
            )
        ]
        verbose_name = _("câu hỏi đường dây nóng")
        verbose_name_plural = _("câu hỏi đường dây nóng")

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("hotline:detail", args=[self.pk])

    @property
    def reference(self):
        return f"HL-{self.pk}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def clock_running(self):
        return self.status in self.CLOCK_RUNNING


class Message(models.Model):
    """One entry of a ticket's conversation: a public reply, an internal note, or a system line."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Trả lời")
        INTERNAL = "internal", _("Ghi chú nội bộ")
        SYSTEM = "system", _("Hệ thống")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    body = models.TextField(_("nội dung"))
    channel = models.CharField(max_length=10, choices=Ticket.Channel.choices, default=Ticket.Channel.WEB)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("trao đổi")
        verbose_name_plural = _("trao đổi")

    def __str__(self):
        return f"{self.ticket.reference} · {self.get_kind_display()}"

    @property
    def from_commune(self):
        return self.author is not None and self.author.role in COMMUNE_ROLES


def _attachment_path(instance, filename):
    # A random name: the file is only served through the scoped download view, never by guessable path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"hotline/{instance.ticket_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField(_("dung lượng"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self):
        return self.name


class TicketEvent(models.Model):
    """The ticket's timeline (who did what when); reports read first-response and resolution times from it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Gửi câu hỏi")
        ASSIGNED = "assigned", _("Phân công")
        CLAIMED = "claimed", _("Nhận xử lý")
        TRANSFERRED = "transferred", _("Chuyển nhóm")
        REPLIED = "replied", _("Trả lời")
        COMMUNE_REPLIED = "commune_replied", _("Xã trao đổi thêm")
        WAITING = "waiting", _("Đề nghị xã bổ sung")
        RESOLVED = "resolved", _("Đã giải quyết")
        CLOSED = "closed", _("Đóng")
        REOPENED = "reopened", _("Mở lại")
        MERGED = "merged", _("Gộp câu hỏi trùng")
        RATED = "rated", _("Đánh giá")
        WARNED = "warned", _("Cảnh báo sắp quá hạn")
        BREACHED = "breached", _("Quá hạn")
        ESCALATED = "escalated", _("Báo trưởng nhóm")
        FAQ_CREATED = "faq_created", _("Tạo hỏi đáp cho cẩm nang")
        LINKED = "linked", _("Gắn tài liệu cẩm nang")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("diễn biến")
        verbose_name_plural = _("diễn biến")

    def __str__(self):
        return f"{self.ticket.reference} {self.kind}"


class HandbookLink(models.Model):
    """A handbook record (procedure, guide, FAQ) the answer relied on."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="handbook_links")
    kind = models.CharField(max_length=12)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    url = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "object_id"], name="hotline_handbook_link_once")
        ]
        verbose_name = _("tài liệu cẩm nang đã dùng")
        verbose_name_plural = _("tài liệu cẩm nang đã dùng")

    def __str__(self):
        return self.title
