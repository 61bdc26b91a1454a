"""Personal data protection (issue 21; Law 91/2025/QH15, Decree 356/2025/NĐ-CP): the province's retention periods,
the nightly pseudonymisation's runs, and citizens' requests about their own data with each step taken.

The records themselves stay in the apps that own them (dossiers, tickets, contacts, volunteers, field dossiers,
people); this app reaches them only through the sources they register (`kernel.personal_data`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.roles import Role
from civicdesk.kernel.scoping import scope_filter

# Who reads the register of requests: the commune's officers and leaders (theirs), the province admin (the
# province's, without the identifiers). Volunteers and the mobile team are commune roles but have no part in it.
READER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.PROVINCE_ADMIN})
MAX_MONTHS = 1200


class RetentionPolicy(models.Model):
    """How long a kind of record keeps its personal data after it is closed, in one province."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("loại bản ghi"), max_length=40)
    months = models.PositiveSmallIntegerField(
        _("số tháng lưu sau khi đóng"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "source"], name="privacy_one_policy_per_kind"),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_MONTHS), name="privacy_policy_months_range"
            ),
        ]
        verbose_name = _("thời hạn lưu dữ liệu cá nhân")
        verbose_name_plural = _("thời hạn lưu dữ liệu cá nhân")

    def __str__(self):
        return f"{self.source}: {self.months}"


class PrivacySettings(models.Model):
    """The province's figure for answering a request, when it has set one (none by default: see docs/privacy.md)."""

    province = models.OneToOneField("geo.Province", on_delete=models.CASCADE, related_name="+")
    response_days = models.PositiveSmallIntegerField(
        _("số ngày trả lời yêu cầu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thiết lập bảo vệ dữ liệu cá nhân")
        verbose_name_plural = _("thiết lập bảo vệ dữ liệu cá nhân")

    def __str__(self):
        return str(self.province_id)


class RetentionRun(models.Model):
    """One pass of the retention job over a province: how many records of each kind it pseudonymised (counts only)."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # {source key: records pseudonymised}
    cutoffs = models.JSONField(default=dict, blank=True)  # {source key: ISO instant}
    complete = models.BooleanField(default=True)  # False: a kind had more than one run's share left

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("lần ẩn danh hóa theo thời hạn lưu")
        verbose_name_plural = _("lần ẩn danh hóa theo thời hạn lưu")

    def __str__(self):
        return f"{self.province_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self):
        return sum(self.counts.values())


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Cung cấp, xuất dữ liệu")
    CORRECT = "correct", _("Chỉnh sửa dữ liệu")
    RESTRICT = "restrict", _("Hạn chế xử lý dữ liệu")
    ERASE = "erase", _("Xóa dữ liệu")


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp tại Trung tâm")
    WRITTEN = "written", _("Văn bản gửi qua bưu chính")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Điện thoại")
    ONLINE = "online", _("Trực tuyến (Cổng dịch vụ công)")


class Requester(models.TextChoices):
    SUBJECT = "subject", _("Chính người có dữ liệu")
    REPRESENTATIVE = "representative", _("Người đại diện theo pháp luật (cha, mẹ, người giám hộ)")
    AUTHORISED = "authorised", _("Người được ủy quyền")


class SubjectRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The commune's officers and leaders see their commune's requests; the province admin the province's."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.is_superuser and user.role not in READER_ROLES:
            return self.none()
        return self.filter(scope_filter(user, commune="commune", province="province"))

    def open(self):
        return self.filter(status__in=SubjectRequest.OPEN)


class SubjectRequest(models.Model):
    """A citizen's request about the personal data CivicDesk holds on them, recorded by a commune officer."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        REFUSED = "refused", _("Từ chối, có giải thích")

    OPEN = (Status.RECEIVED, Status.IN_PROGRESS)

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=10, choices=RequestKind.choices)
    subject_name = models.CharField(_("họ tên người có dữ liệu"), max_length=150, blank=True)
    id_number = models.CharField(_("số CCCD"), max_length=12, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    requester = models.CharField(
        _("người yêu cầu"), max_length=16, choices=Requester.choices, default=Requester.SUBJECT
    )
    requester_name = models.CharField(
        _("họ tên người yêu cầu (nếu không phải chính người đó)"), max_length=150, blank=True
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=RequestChannel.choices)
    received_at = models.DateTimeField(_("thời điểm nhận yêu cầu"))
    detail = models.TextField(_("nội dung yêu cầu"), max_length=2000, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    outcome = models.TextField(_("kết quả, giải thích cho người dân"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The register of requests keeps its own personal data for a while too (source "privacy.request").
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["commune", "status"], name="privacy_request_commune_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(id_number="", phone="") | Q(pseudonymised_at__isnull=False),
                name="privacy_request_identifies_someone",
            ),
        ]
        verbose_name = _("yêu cầu của chủ thể dữ liệu")
        verbose_name_plural = _("yêu cầu của chủ thể dữ liệu")

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        return f"DLCN-{self.pk}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and timezone.localdate() > self.due_on

    @property
    def masked_id_number(self):
        return f"••••••••{self.id_number[-4:]}" if self.id_number else ""

    @property
    def masked_phone(self):
        return f"••••••{self.phone[-4:]}" if self.phone else ""


class RequestStep(models.Model):
    """One step taken on a request (recorded, exported, corrected, restricted, erased, closed): who, when, counts."""

    class Action(models.TextChoices):
        RECORDED = "recorded", _("Tiếp nhận yêu cầu")
        EXPORTED = "exported", _("Xuất dữ liệu cho người dân")
        CORRECTED = "corrected", _("Chỉnh sửa dữ liệu")
        RESTRICTED = "restricted", _("Hạn chế xử lý")
        UNRESTRICTED = "unrestricted", _("Bỏ hạn chế xử lý")
        ERASED = "erased", _("Xóa (ẩn danh hóa) dữ liệu")
        COMPLETED = "completed", _("Hoàn thành")
        REFUSED = "refused", _("Từ chối, có giải thích")

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=14, choices=Action.choices)
    note = models.TextField(blank=True)
    # Counts per kind of record and the reasons records were kept: never a personal value.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("bước xử lý yêu cầu")
        verbose_name_plural = _("bước xử lý yêu cầu")

    def __str__(self):
        return f"{self.request_id} {self.action}"
