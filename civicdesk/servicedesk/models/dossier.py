"""Dossiers (hồ sơ) received by a commune's public administration service centre, and their history.

A dossier row carries, denormalised, everything the Decision 766 KPIs need (commune, province, channel, local
receipt date, due and finish times, supplement count, rating, on-time flag, working days taken), so the
dashboard is a handful of GROUP BY queries on the (commune, received_date) and (province, received_date) indexes.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.languages import validate_language_code
from civicdesk.kernel.roles import Role
from civicdesk.kernel.scoping import scope_filter
from civicdesk.kernel.served import ServedLanguageModelMixin

CCCD_RE = re.compile(r"^\d{12}$")


def validate_cccd(value):
    """A citizen identity number (căn cước): 12 digits, the first three a province code 001–096."""
    if not CCCD_RE.match(value or ""):
        raise ValidationError(_("Số CCCD/căn cước phải gồm đúng 12 chữ số."), code="cccd")
    if not 1 <= int(value[:3]) <= 96 or len(set(value)) == 1:
        raise ValidationError(_("Số CCCD/căn cước không hợp lệ (3 số đầu là mã tỉnh nơi đăng ký khai sinh)."))


def normalise_phone(value):
    """'+84 912.345.678' → '0912345678'; raises ValidationError unless it is a 10-digit Vietnamese number."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9}", digits):
        raise ValidationError(_("Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."))
    return digits


class Channel(models.TextChoices):
    TRUC_TIEP = "truc_tiep", _("Trực tiếp tại Trung tâm")
    TRUC_TUYEN = "truc_tuyen", _("Trực tuyến")
    TRUC_TUYEN_HO_TRO = "truc_tuyen_ho_tro", _("Trực tuyến có hỗ trợ tại Trung tâm")
    BUU_CHINH = "buu_chinh", _("Qua bưu chính")
    LUU_DONG = "luu_dong", _("Tổ lưu động")


ONLINE_CHANNELS = (Channel.TRUC_TUYEN, Channel.TRUC_TUYEN_HO_TRO)

# The handbook states processing days per submission method; these channels use the method they resemble.
CHANNEL_METHOD = {
    Channel.TRUC_TIEP: "truc_tiep",
    Channel.TRUC_TUYEN: "truc_tuyen",
    Channel.TRUC_TUYEN_HO_TRO: "truc_tuyen",
    Channel.BUU_CHINH: "buu_chinh",
    Channel.LUU_DONG: "truc_tiep",
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT = "supplement_requested", _("Chờ bổ sung hồ sơ")
    DONE = "done", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REJECTED = "rejected", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT)


class SupplementReason(models.TextChoices):
    MISSING_DOCUMENT = "missing_document", _("Thiếu giấy tờ")
    WRONG_FORM = "wrong_form", _("Sai mẫu, kê khai chưa đúng")
    INCONSISTENT = "inconsistent", _("Thông tin không thống nhất")
    OTHER = "other", _("Lý do khác")


class DueSource(models.TextChoices):
    COMPUTED = "computed", _("Tính theo thời hạn của thủ tục")
    MANUAL = "manual", _("Cán bộ nhập ngày hẹn")
    IMPORTED = "imported", _("Theo hệ thống một cửa của tỉnh")
    UNKNOWN = "unknown", _("Chưa xác định")


# Roles that may see an applicant's name, CCCD and phone — only within their own commune.
PERSONAL_DATA_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER})
# Roles that may receive a dossier at the counter, with a mobile team or as an assisting volunteer.
INTAKE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER, Role.VOLUNTEER, Role.MOBILE_TEAM})
# Roles that may move a dossier through processing (decisions belong to the commune's officials).
PROCESSING_ROLES = PERSONAL_DATA_ROLES


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commune roles see their commune's dossiers; province roles and department experts their province's."""
        return self.filter(scope_filter(user, commune="commune", province="province"))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class Dossier(ServedLanguageModelMixin, models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("xã")
    )
    # Denormalised from the commune so the province dashboard needs no join.
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        "handbook.Procedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    # Kept as received: an imported procedure the catalogue does not know yet is flagged, not dropped.
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=400, blank=True)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150, blank=True)
    applicant_id_number = models.CharField(
        _("số CCCD/căn cước"), max_length=12, blank=True, validators=[validate_cccd]
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_date = models.DateField(_("ngày tiếp nhận (giờ Việt Nam)"))
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    due_source = models.CharField(max_length=10, choices=DueSource.choices, default=DueSource.COMPUTED)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    is_on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    working_days_taken = models.FloatField(_("số ngày làm việc đã dùng"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    rating = models.PositiveSmallIntegerField(_("đánh giá (1–5)"), null=True, blank=True)
    late_reason = models.TextField(_("lý do trễ hạn"), blank=True)
    new_due_at = models.DateTimeField(_("ngày hẹn mới (sau xin lỗi)"), null=True, blank=True)
    apology_at = models.DateTimeField(_("thời điểm lập văn bản xin lỗi"), null=True, blank=True)
    checklist = models.JSONField(_("kiểm tra thành phần hồ sơ"), default=list, blank=True)
    is_imported = models.BooleanField(_("nhập từ hệ thống của tỉnh"), default=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tiếp nhận"),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # A dossier taken offline by the mobile team (issue 18) keeps the code of its provisional receipt: the citizen's
    # QR and the lookup find it by either code.
    provisional_code = models.CharField(
        _("mã biên nhận tạm"), max_length=40, unique=True, null=True, blank=True, default=None
    )
    # Language access (issue 15): the ISO 639-3 code of the language the citizen was served in, blank for
    # Vietnamese (nothing special to record), and whether an interpreter helped. The database defaults keep raw
    # inserts that do not name these columns (the importer's, the benchmark's) working.
    served_language = models.CharField(
        _("ngôn ngữ phục vụ"),
        max_length=3,
        blank=True,
        default="",
        db_default="",
        validators=[validate_language_code],
    )
    interpreter_used = models.BooleanField(_("có người phiên dịch"), default=False, db_default=False)
    # Filed online with help at the centre: the youth-union volunteer who helped (their account), so the volunteers'
    # report counts the dossiers they helped file instead of being told.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tình nguyện viên hỗ trợ nộp"),
    )
    # Decision 766's digitisation group (issue 19): the components were scanned into the electronic dossier when it
    # was received, and the result was issued as an electronic document (besides or instead of paper). The
    # database defaults keep raw inserts that do not name them (the importer's, the benchmark's) working.
    documents_digitised = models.BooleanField(
        _("đã số hóa thành phần hồ sơ"), default=False, db_default=False
    )
    result_electronic = models.BooleanField(_("có kết quả điện tử"), default=False, db_default=False)
    # Personal data (issue 21, privacy app): processing restricted at the citizen's request (no outreach list is
    # built from it; what the law requires goes on), and when the applicant's data was pseudonymised (past the
    # province's retention period; the KPI columns stay). `services.privacy` writes both.
    restricted = models.BooleanField(_("hạn chế xử lý dữ liệu cá nhân"), default=False, db_default=False)
    pseudonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["commune", "received_date"], name="sd_dossier_commune_date"),
            models.Index(fields=["province", "received_date"], name="sd_dossier_province_date"),
            models.Index(fields=["commune", "status", "due_at"], name="sd_dossier_commune_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="sd_dossier_rating_1_5",
            )
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self):
        return self.code

    @property
    def procedure_unknown(self):
        """The procedure code is not in the handbook catalogue (an import ahead of the catalogue)."""
        return self.procedure_id is None

    @property
    def appointment_at(self):
        """The appointment the citizen holds now: the new date after an apology, else the due date."""
        return self.new_due_at or self.due_at

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and timezone.now() > self.due_at

    @property
    def needs_apology(self):
        """Late (or finished late) and no apology letter yet: the officer must give a reason first."""
        late = self.is_overdue or self.is_on_time is False
        return late and self.apology_at is None and not self.is_imported


class DossierEvent(models.Model):
    """One named transition of a dossier: who, when, from which state to which, why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason_category = models.CharField(
        _("nhóm lý do"), max_length=20, choices=SupplementReason.choices, blank=True
    )
    reason = models.TextField(_("lý do"), blank=True)
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")

    def __str__(self):
        return f"{self.dossier_id} {self.action}"


class IntakeCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class IntakeCheck(models.Model):
    """A completeness check at the counter: which components were present, what was missing.

    An incomplete check blocks intake and produces the printed supplement request; counting these is how
    "fewer errors" is measured before a dossier even exists.
    """

    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        "handbook.Procedure", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    procedure_name = models.CharField(max_length=400)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    items = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    complete = models.BooleanField(default=False)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="intake_check"
    )

    objects = IntakeCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["commune", "checked_at"], name="sd_intake_commune_at")]
        verbose_name = _("kiểm tra hồ sơ tại quầy")
        verbose_name_plural = _("kiểm tra hồ sơ tại quầy")

    def __str__(self):
        return f"{self.procedure_name} ({self.checked_at:%d/%m/%Y})"
