"""The mobile procedure team's data: its phones, its trips to the hamlets, and the dossiers it takes there offline.

A dossier taken in a hamlet exists first on the phone, under a client UUID and a provisional receipt code
(`TLD-<device prefix>-<number>`); when the phone syncs, `services.sync` registers it in the commune's register
(official code, due date in working days) or, when it needs an officer's eye (a likely duplicate, a checklist that
changed, an edit against an older version), keeps it on the review list. A `FieldDossier` is that synced record:
one per UUID, whatever the number of retries.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.scoping import scope_filter
from civicdesk.servicedesk.links import PROVISIONAL_PREFIX


class CommuneScopedQuerySet(models.QuerySet):
    """What a user may see: their commune's, or their province's for province roles (`kernel.scoping`)."""

    commune_path = "commune"

    def visible_to(self, user):
        path = self.commune_path
        return self.filter(scope_filter(user, commune=path, province=f"{path}__province"))


class ConflictQuerySet(CommuneScopedQuerySet):
    commune_path = "field_dossier__commune"

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Device(models.Model):
    """A phone of the team: the prefix its provisional receipts carry, so two phones never give the same code."""

    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    label = models.CharField(_("tên máy"), max_length=80)
    prefix = models.CharField(_("tiền tố biên nhận"), max_length=12, unique=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("ngày đăng ký"))
    last_sync_at = models.DateTimeField(_("lần đồng bộ gần nhất"), null=True, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("máy của tổ lưu động")
        ordering = ["commune", "prefix"]

    def __str__(self):
        return f"{self.label} ({self.prefix})"

    def code_prefix(self):
        return f"{PROVISIONAL_PREFIX}{self.prefix}-"


class Trip(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        DONE = "done", _("Đã đi")
        CANCELLED = "cancelled", _("Đã hủy")

    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    day = models.DateField(_("ngày đi"))
    title = models.CharField(_("tên chuyến"), max_length=200)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("tổ viên")
    )
    procedure_codes = models.JSONField(_("thủ tục nhận tại thôn"), default=list, blank=True)
    leave_at = models.TimeField(_("rời Trung tâm lúc"))
    back_by = models.TimeField(_("về Trung tâm trước"))
    route_km = models.FloatField(_("quãng đường (km)"), null=True, blank=True)
    route_minutes = models.PositiveIntegerField(_("thời gian đi đường (phút)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyến lưu động")
        ordering = ["-day", "pk"]

    def __str__(self):
        return f"{self.title} ({self.day:%d/%m/%Y})"


class TripStop(models.Model):
    """A hamlet on a trip: when it gathers its people, how long the team stays; the planned order and arrival come
    from the route (`routing/`); a stop the route cannot fit keeps its reason."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stops")
    hamlet = models.ForeignKey(
        "geo.Hamlet", on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn")
    )
    window_start = models.TimeField(_("tập trung dân từ"))
    window_end = models.TimeField(_("đến"))
    service_minutes = models.PositiveSmallIntegerField(_("thời gian làm việc tại thôn (phút)"), default=60)
    position = models.PositiveSmallIntegerField(_("thứ tự"), null=True, blank=True)
    planned_arrival = models.TimeField(_("dự kiến đến"), null=True, blank=True)
    left_out = models.CharField(_("không xếp được vì"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("điểm dừng")
        ordering = ["trip", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["trip", "hamlet"], name="mobile_stop_once_per_trip")]

    def __str__(self):
        return f"{self.trip}: {self.hamlet}"


class FieldDossier(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Đã vào sổ")
        REVIEW = "review", _("Chờ cán bộ xem")
        LINKED = "linked", _("Đã gộp vào hồ sơ có sẵn")
        DISMISSED = "dismissed", _("Đã loại")

    class Reason(models.TextChoices):
        NONE = "", _("—")
        DUPLICATE = "duplicate", _("Có thể trùng hồ sơ đã có")
        INCOMPLETE = "incomplete", _("Thiếu thành phần theo danh mục hiện hành")

    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="dossiers")
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers")
    hamlet = models.ForeignKey(
        "geo.Hamlet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    provisional_code = models.CharField(_("mã biên nhận tạm"), max_length=40, unique=True)
    payload = models.JSONField(_("nội dung gửi từ máy"))
    payload_sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("lý do chờ xem"), max_length=12, choices=Reason.choices, blank=True)
    detail = models.JSONField(
        _("chi tiết"), default=dict, blank=True
    )  # missing items, the likely duplicate's code
    dossier = models.ForeignKey(
        "servicedesk.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("thời điểm nhận tại thôn"))
    synced_at = models.DateTimeField(_("thời điểm đồng bộ"))
    synced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Personal data (issue 21, privacy app): when the applicant's data in the payload (and the conflicting edits)
    # was pseudonymised and the photos of documents deleted — past retention, or at the citizen's request. The
    # register's dossier is the record the law keeps; this is the phone's copy.
    pseudonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ nhận tại thôn")
        ordering = ["-taken_at", "pk"]
        indexes = [models.Index(fields=["commune", "status"], name="mobile_fd_commune_status")]

    def __str__(self):
        return self.provisional_code


class Conflict(models.Model):
    """An edit from a phone made on an older version than the server's, or after the dossier entered the register:
    kept for the commune officer, never applied over what is there."""

    field_dossier = models.ForeignKey(FieldDossier, on_delete=models.CASCADE, related_name="conflicts")
    base_version = models.PositiveIntegerField()
    payload = models.JSONField()
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("sửa đổi xung đột")
        ordering = ["-received_at", "pk"]

    def __str__(self):
        return f"{self.field_dossier} v{self.base_version}"


class AttachmentQuerySet(CommuneScopedQuerySet):
    commune_path = "field_dossier__commune"


class FieldAttachment(models.Model):
    """A photo (or PDF) of a document the team took with a field dossier, compressed on the phone.

    The phone sends it after its dossier, under its own client UUID: the same bytes again are a retry, other bytes
    under the same UUID are refused (`services.attachments`). The file lives in the default storage (MEDIA_ROOT).
    """

    uuid = models.UUIDField(unique=True, editable=False)
    field_dossier = models.ForeignKey(FieldDossier, on_delete=models.CASCADE, related_name="attachments")
    # Named by services.attachments: mobile/<commune id>/<dossier uuid>/<attachment uuid>.<ext> (unguessable).
    file = models.FileField(_("tệp"), upload_to="mobile/", max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("thời điểm gửi"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh, tệp kèm hồ sơ nhận tại thôn")
        ordering = ["field_dossier", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.field_dossier} · {self.uuid}"
