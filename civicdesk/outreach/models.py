"""Proactive outreach (Di Linh): campaigns that reach citizens before they come, and what each contact produced.

A `Campaign` (a commune's, or the province's across several communes) has a purpose, target procedures and a
period. Its `Target`s are citizens (`community.Person`, kind citizen: one record per person, merged on phone and
CCCD) reserved to an officer or volunteer. Every `Attempt` records a channel and a fixed outcome code and may link
the dossier it produced. Contact needs a recorded basis per channel (`Consent`; silence is not consent, Law
91/2025/QH15) and no `DoNotContact` in force; an SMS or Zalo reply with a stop word records one. `Message`s go out
through thin adapters (channels.py) with an idempotent tracking id and a delivery receipt.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.scoping import scope_filter


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Gọi điện")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")
    VISIT = "visit", _("Đến tận nhà")


# Channels a message template is written for (the others are conversations, not messages).
MESSAGE_CHANNELS = (ContactChannel.SMS, ContactChannel.ZALO)


class Theme(models.TextChoices):
    LATE_BIRTH = "late_birth", _("Đăng ký khai sinh quá hạn, chưa đăng ký")
    TEMPORARY_RESIDENCE = "temporary_residence", _("Tạm trú sắp hết hạn")
    VNEID = "vneid", _("Kích hoạt tài khoản định danh điện tử mức 2 (VNeID)")
    ONLINE_FILING = "online_filing", _("Nộp hồ sơ trực tuyến")
    SUPPLEMENT = "supplement", _("Hồ sơ chờ bổ sung chưa nộp lại")
    MOBILE_TRIP = "mobile_trip", _("Thông báo chuyến của tổ lưu động")
    OTHER = "other", _("Chủ đề khác")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A commune sees its own campaigns and the province's campaigns that include it."""
        own = scope_filter(user, commune="commune", province="province")
        shared = scope_filter(user, commune="communes", province="province")
        return self.filter(own | (Q(commune__isnull=True) & shared)).distinct()


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        ACTIVE = "active", _("Đang triển khai")
        CLOSED = "closed", _("Đã kết thúc")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_campaigns",
        verbose_name=_("xã, phường"),
        help_text=_("Để trống cho chiến dịch của tỉnh ở nhiều xã."),
    )
    communes = models.ManyToManyField(
        "geo.Commune", blank=True, related_name="+", verbose_name=_("các xã tham gia (chiến dịch của tỉnh)")
    )
    name = models.CharField(_("tên chiến dịch"), max_length=200)
    purpose = models.TextField(_("mục đích"), max_length=2000)
    theme = models.CharField(_("chủ đề"), max_length=24, choices=Theme.choices)
    procedures = models.ManyToManyField(
        "handbook.Procedure", blank=True, related_name="+", verbose_name=_("thủ tục hướng tới")
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người phụ trách"),
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    max_attempts = models.PositiveSmallIntegerField(
        _("số lần liên hệ tối đa mỗi người"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    cooloff_hours = models.PositiveSmallIntegerField(
        _("khoảng cách tối thiểu giữa hai lần liên hệ (giờ)"),
        default=20,
        validators=[MaxValueValidator(24 * 30)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # An announcement another app asked for (`announcements.py`): its key ("mobile.trip:12") makes it one campaign
    # for good; `source_detail` keeps what was announced (each hamlet's revision, the day, who had no channel).
    source_key = models.CharField(max_length=60, blank=True, editable=False)
    source_detail = models.JSONField(default=dict, blank=True, editable=False)
    # Personal data (issue 21, privacy app): when the contact history (notes, messages' numbers and texts) was
    # pseudonymised, past the province's retention period after the campaign's end; the counts stay.
    pseudonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="outreach_period"),
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="outreach_one_campaign_per_source"
            ),
        ]
        verbose_name = _("chiến dịch tiếp cận")
        verbose_name_plural = _("chiến dịch tiếp cận")

    def __str__(self):
        return self.name

    @property
    def is_provincial(self):
        return self.commune_id is None


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="campaign__province"))

    def open(self):
        return self.filter(status__in=Target.OPEN)


class Target(models.Model):
    """A citizen on a campaign's list, reserved to one officer or volunteer."""

    class Status(models.TextChoices):
        NEW = "new", _("Chưa liên hệ")
        IN_PROGRESS = "in_progress", _("Đang liên hệ")
        CONVERTED = "converted", _("Đã nộp hồ sơ")
        DONE = "done", _("Đã hỗ trợ xong")
        UNREACHABLE = "unreachable", _("Không liên hệ được")
        DECLINED = "declined", _("Người dân từ chối")
        BLOCKED = "blocked", _("Không được liên hệ")

    OPEN = (Status.NEW, Status.IN_PROGRESS)

    class Source(models.TextChoices):
        IMPORT = "import", _("Nhập từ tệp")
        SUPPLEMENT = "supplement", _("Hồ sơ chờ bổ sung chưa nộp lại")
        IN_PERSON = "in_person", _("Đã nộp trực tiếp thủ tục có dịch vụ trực tuyến")
        MANUAL = "manual", _("Cán bộ thêm")
        VISIT = "visit", _("Người dân ở thôn tổ lưu động đến")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(
        "community.Person",
        on_delete=models.PROTECT,
        related_name="outreach_targets",
        verbose_name=_("người dân"),
    )
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    source_dossier = models.ForeignKey(
        "servicedesk.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    procedure = models.ForeignKey(
        "handbook.Procedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thủ tục cần hỗ trợ"),
        help_text=_("Kịch bản tư vấn lấy từ thủ tục này; để trống thì lấy thủ tục đầu tiên của chiến dịch."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_targets",
        verbose_name=_("người phụ trách liên hệ"),
    )
    attempt_count = models.PositiveSmallIntegerField(_("số lần đã liên hệ"), default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_action_at = models.DateTimeField(_("lần liên hệ tiếp theo"), null=True, blank=True)
    next_channel = models.CharField(max_length=6, choices=ContactChannel.choices, blank=True)
    reached_at = models.DateTimeField(_("lần đầu liên hệ được"), null=True, blank=True)
    dossier = models.ForeignKey(
        "servicedesk.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ đã nộp"),
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["status", "next_action_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="outreach_one_target_per_person"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="outreach_target_status"),
            models.Index(fields=["assignee", "status", "next_action_at"], name="outreach_target_worklist"),
        ]
        verbose_name = _("người cần tiếp cận")
        verbose_name_plural = _("người cần tiếp cận")

    def __str__(self):
        return f"{self.campaign} — {self.person}"

    @property
    def is_open(self):
        return self.status in self.OPEN


class Outcome(models.TextChoices):
    """Fixed outcome codes, as canvassing tools keep them, so the report can count them."""

    REACHED = "reached", _("Đã liên hệ được, đã tư vấn")
    NO_ANSWER = "no_answer", _("Không nghe máy, không trả lời")
    WRONG_NUMBER = "wrong_number", _("Sai số, không đúng người")
    REFUSED = "refused", _("Người dân không cần hỗ trợ")
    NOT_HOME = "not_home", _("Không có nhà")
    GUIDED_ONLINE = "guided_online", _("Đã hướng dẫn nộp trực tuyến")
    APPOINTMENT = "appointment", _("Đã hẹn ngày đến làm thủ tục")
    DOSSIER_FILED = "dossier_filed", _("Đã nộp hồ sơ")
    MESSAGE_SENT = "message_sent", _("Đã gửi tin nhắn")


# Outcomes that mean the citizen was reached (a message sent is not a conversation).
REACHED_OUTCOMES = frozenset(
    {Outcome.REACHED, Outcome.REFUSED, Outcome.GUIDED_ONLINE, Outcome.APPOINTMENT, Outcome.DOSSIER_FILED}
)
# Outcomes after which the campaign tries again, on the next working day.
RETRY_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.NOT_HOME, Outcome.MESSAGE_SENT})


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            scope_filter(user, commune="target__commune", province="target__campaign__province")
        )


class Attempt(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(_("kênh"), max_length=6, choices=ContactChannel.choices)
    outcome = models.CharField(_("kết quả"), max_length=14, choices=Outcome.choices)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    at = models.DateTimeField(_("thời điểm"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "servicedesk.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_attempts",
        verbose_name=_("hồ sơ đã nộp"),
    )
    next_action_at = models.DateTimeField(_("hẹn liên hệ lại"), null=True, blank=True)
    message = models.OneToOneField(
        "outreach.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="attempt"
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target", "at"], name="outreach_attempt_target_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="dossier_filed") | Q(dossier__isnull=False),
                name="outreach_filed_has_dossier",
            ),
        ]
        verbose_name = _("lần liên hệ")
        verbose_name_plural = _("lần liên hệ")

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="person__commune", province="person__province"))


class Consent(models.Model):
    """The basis on which CivicDesk may contact a person on one channel (one row per person and channel)."""

    class State(models.TextChoices):
        GRANTED = "granted", _("Đồng ý")
        WITHDRAWN = "withdrawn", _("Đã rút lại đồng ý")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Sự đồng ý của người dân")
        PUBLIC_TASK = "public_task", _("Giải quyết hồ sơ người dân đã nộp (nhiệm vụ của cơ quan nhà nước)")

    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("kênh"), max_length=6, choices=ContactChannel.choices)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.GRANTED)
    basis = models.CharField(_("căn cứ"), max_length=12, choices=Basis.choices, default=Basis.CONSENT)
    source = models.CharField(_("nguồn ghi nhận"), max_length=200)
    given_at = models.DateTimeField(_("thời điểm ghi nhận"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], name="outreach_one_consent_per_channel")
        ]
        verbose_name = _("đồng ý liên hệ")
        verbose_name_plural = _("đồng ý liên hệ")

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_state_display()}"


class DoNotContact(models.Model):
    """Do not contact this person (on one channel, or on every channel when `channel` is empty), until a day or for good."""

    class Reason(models.TextChoices):
        OPTED_OUT = "opted_out", _("Người dân nhắn từ chối nhận tin")
        REQUESTED = "requested", _("Người dân đề nghị không liên hệ")
        WRONG_NUMBER = "wrong_number", _("Số điện thoại không đúng người")
        OTHER = "other", _("Lý do khác")

    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="do_not_contact")
    channel = models.CharField(_("kênh"), max_length=6, choices=ContactChannel.choices, blank=True)
    reason = models.CharField(_("lý do"), max_length=14, choices=Reason.choices)
    until = models.DateField(_("đến hết ngày"), null=True, blank=True)
    source = models.CharField(_("nguồn ghi nhận"), max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("không liên hệ")
        verbose_name_plural = _("không liên hệ")

    def __str__(self):
        return f"{self.get_channel_display() or _('mọi kênh')}: {self.get_reason_display()}"


class MessageTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The commune's own templates, and the province's (no commune) to everyone of the province."""
        own = scope_filter(user, commune="commune", province="province")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        provincial = Q(commune__isnull=True, province_id=user.province_id) if user.province_id else own
        return self.filter(own | provincial)


class MessageTemplate(models.Model):
    """A message per channel: `{ho_ten}`, `{thu_tuc}`, `{xa}` and `{dien_thoai_xa}` are filled in when sent.

    Zalo ZNS sends a template approved by Zalo (its `zns_template_id`) with the same fields as parameters.
    """

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(
        _("kênh"), max_length=6, choices=[(c.value, c.label) for c in MESSAGE_CHANNELS]
    )
    name = models.CharField(_("tên mẫu"), max_length=120)
    body = models.TextField(_("nội dung"), max_length=1600)
    zns_template_id = models.CharField(_("mã mẫu ZNS"), max_length=40, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    objects = MessageTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "name"]
        verbose_name = _("mẫu tin nhắn")
        verbose_name_plural = _("mẫu tin nhắn")

    def __str__(self):
        return f"{self.get_channel_display()}: {self.name}"


class Message(models.Model):
    """One outbound SMS or Zalo message; `tracking_id` makes a retried send the same send."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        DELIVERED = "delivered", _("Đã đến máy người nhận")
        FAILED = "failed", _("Gửi không được")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("kênh"), max_length=6, choices=ContactChannel.choices)
    template = models.ForeignKey(
        MessageTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(max_length=16)
    body = models.TextField()
    params = models.JSONField(default=dict, blank=True)
    tracking_id = models.CharField(max_length=40, unique=True)
    provider_id = models.CharField(max_length=80, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["channel", "created_at"], name="outreach_message_quota")]

    def __str__(self):
        return self.tracking_id


class InboundReply(models.Model):
    """A citizen's SMS or Zalo reply; a stop word records a do-not-contact. `message_id` drops duplicates."""

    channel = models.CharField(max_length=6, choices=ContactChannel.choices)
    message_id = models.CharField(max_length=80)
    phone = models.CharField(max_length=16)
    text = models.CharField(max_length=1000)
    received_at = models.DateTimeField()
    opted_out = models.BooleanField(default=False)
    people = models.ManyToManyField("community.Person", blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "message_id"], name="outreach_one_reply")]

    def __str__(self):
        return f"{self.channel}:{self.message_id}"
