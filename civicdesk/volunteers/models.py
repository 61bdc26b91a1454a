"""Youth-union volunteers at the commune centre (Di Linh): who they are, the shifts they work, what they did.

A `Volunteer` is a `community.Person` of kind volunteer (one person model, with its languages) with a youth-union
unit, skills, weekly limit and consent to be contacted, and usually an account with the volunteer role. The
commune's `ShiftTemplate`s (weekday × morning/afternoon, headcounts, skills) generate `Shift`s for a period, each
with the demand forecast from the centre's dossier arrivals. A `Booking` puts a volunteer on a shift — by the
auto-roster, by the coordinator, or by self sign-up (a full shift takes a waiting list) — and records the reminder
(when, and the channel that carried it: the volunteer's `reminder_channel`, or e-mail when that failed), its answer,
the check-in and check-out (hours) or the no-show. `ChangeRequest`s (drop, swap) wait for the coordinator.
Each citizen helped is a `Help`, with the procedure, whether it was filed online and the dossier when known.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.scoping import scope_filter


class Skill(models.TextChoices):
    VNEID = "vneid", _("Kích hoạt, hướng dẫn VNeID")
    ONLINE_FILING = "online_filing", _("Hướng dẫn nộp hồ sơ trực tuyến")
    SCANNING = "scanning", _("Scan, số hóa giấy tờ")
    PAYMENT = "payment", _("Thanh toán trực tuyến")
    MINORITY_LANGUAGE = "minority_language", _("Nói tiếng dân tộc")


class Part(models.TextChoices):
    AM = "am", _("Buổi sáng")
    PM = "pm", _("Buổi chiều")


class ReminderChannel(models.TextChoices):
    """How the reminder the day before a shift reaches a volunteer (reminders.py)."""

    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="person__commune", province="person__province"))

    def active(self):
        return self.filter(is_active=True, person__is_active=True)


class Volunteer(models.Model):
    person = models.OneToOneField(
        "community.Person", on_delete=models.CASCADE, related_name="volunteer", verbose_name=_("người")
    )
    unit = models.CharField(_("chi đoàn, đơn vị"), max_length=150, blank=True)
    skills = models.JSONField(_("kỹ năng"), default=list, blank=True)
    max_per_week = models.PositiveSmallIntegerField(
        _("số ca tối đa mỗi tuần"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    contact_consent = models.BooleanField(
        _("đồng ý nhận nhắc lịch qua điện thoại, tin nhắn, thư"), default=False
    )
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    reminder_channel = models.CharField(
        _("nhận nhắc lịch qua"),
        max_length=5,
        choices=ReminderChannel.choices,
        default=ReminderChannel.EMAIL,
        help_text=_("SMS và Zalo gửi đến số điện thoại; không gửi được thì nhắc qua thư điện tử."),
    )
    joined_on = models.DateField(_("ngày tham gia"))
    is_active = models.BooleanField(_("đang tham gia"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "pk"]
        verbose_name = _("tình nguyện viên")
        verbose_name_plural = _("tình nguyện viên")

    def __str__(self):
        return self.person.full_name

    @property
    def commune_id(self):
        return self.person.commune_id

    def available(self):
        """{(weekday, part)} the volunteer can come; the person's half-days, empty meaning Monday–Friday."""
        slots = set()
        for item in self.person.available_slots or []:
            day, _sep, part = str(item).partition(":")
            if day.isdigit() and part in Part.values:
                slots.add((int(day), part))
        return slots or {(d, p) for d in range(5) for p in Part.values}


class ShiftTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class ShiftTemplate(models.Model):
    """A recurring shift at the commune centre: a weekday and a half-day, its hours, headcounts and skills."""

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("thứ"), validators=[MaxValueValidator(6)])
    part = models.CharField(_("buổi"), max_length=2, choices=Part.choices)
    start = models.TimeField(_("từ giờ"))
    end = models.TimeField(_("đến giờ"))
    minimum = models.PositiveSmallIntegerField(_("tối thiểu"), default=1, validators=[MaxValueValidator(30)])
    maximum = models.PositiveSmallIntegerField(_("tối đa"), default=5, validators=[MaxValueValidator(30)])
    skills = models.JSONField(_("kỹ năng cần có"), default=list, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    objects = ShiftTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "weekday", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "weekday", "part"], name="volunteers_one_template_per_slot"
            ),
            models.CheckConstraint(
                condition=Q(maximum__gte=models.F("minimum")), name="volunteers_template_range"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="volunteers_template_hours"),
        ]
        verbose_name = _("ca mẫu")
        verbose_name_plural = _("ca mẫu")

    def __str__(self):
        return f"{self.commune_id} {self.weekday}:{self.part}"


class ShiftQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class Shift(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang xếp")
        PUBLISHED = "published", _("Đã công bố")
        CANCELLED = "cancelled", _("Đã hủy")

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("ngày"))
    part = models.CharField(_("buổi"), max_length=2, choices=Part.choices)
    start = models.TimeField(_("từ giờ"))
    end = models.TimeField(_("đến giờ"))
    minimum = models.PositiveSmallIntegerField(_("tối thiểu"), default=1)
    maximum = models.PositiveSmallIntegerField(_("tối đa"), default=5)
    demand = models.PositiveSmallIntegerField(
        _("số người cần (dự báo)"),
        default=0,
        help_text=_("Dự báo từ số hồ sơ người dân nộp theo thứ và buổi."),
    )
    skills = models.JSONField(_("kỹ năng cần có"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    checkin_token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["day", "part"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "day", "part"], name="volunteers_one_shift_per_slot"),
            models.CheckConstraint(
                condition=Q(maximum__gte=models.F("minimum")), name="volunteers_shift_range"
            ),
        ]
        indexes = [models.Index(fields=["commune", "day"], name="volunteers_shift_day")]
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.get_part_display()}"

    @property
    def key(self):
        return f"{self.day.isoformat()}:{self.part}"

    @property
    def skill_labels(self):
        return [str(Skill(code).label) if code in Skill.values else code for code in self.skills or ()]

    def starts_at(self, tz):
        return datetime.combine(self.day, self.start, tzinfo=tz)

    def ends_at(self, tz):
        return datetime.combine(self.day, self.end, tzinfo=tz)

    @property
    def hours(self):
        return (datetime.combine(self.day, self.end) - datetime.combine(self.day, self.start)) / timedelta(
            hours=1
        )


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="shift__commune", province="shift__commune__province"))

    def on_shift(self):
        """Bookings that hold a place on the shift (not the waiting list, not dropped or declined)."""
        return self.filter(status__in=Booking.HOLDING)


class Booking(models.Model):
    """A volunteer on a shift. The auto-roster's bookings are drafts until the coordinator publishes the period."""

    class Status(models.TextChoices):
        ROSTERED = "rostered", _("Được xếp lịch")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        WAITLISTED = "waitlisted", _("Danh sách chờ")
        DECLINED = "declined", _("Báo không đến được")
        DROPPED = "dropped", _("Đã rút")
        ATTENDED = "attended", _("Đã trực")
        NO_SHOW = "no_show", _("Vắng không báo")

    HOLDING = (Status.ROSTERED, Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    class Source(models.TextChoices):
        ROSTER = "roster", _("Xếp lịch tự động")
        COORDINATOR = "coordinator", _("Điều phối viên xếp")
        SELF = "self", _("Tự đăng ký")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="bookings")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ROSTERED)
    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices, default=Source.SELF)
    locked = models.BooleanField(_("giữ cố định khi xếp lại"), default=False)
    waitlist_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The channel that carried the reminder: the volunteer's choice, or e-mail when that failed.
    reminder_channel = models.CharField(
        _("đã nhắc qua"), max_length=5, choices=ReminderChannel.choices, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    check_in_at = models.DateTimeField(_("giờ đến"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("giờ về"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["shift__day", "shift__part", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="volunteers_one_booking_per_shift"),
            models.CheckConstraint(
                condition=Q(check_out_at__isnull=True) | Q(check_in_at__isnull=False),
                name="volunteers_checkout_after_checkin",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"], name="volunteers_booking_person")]
        verbose_name = _("lượt trực")
        verbose_name_plural = _("lượt trực")

    def __str__(self):
        return f"{self.volunteer} — {self.shift}"

    @property
    def hours(self):
        """Hours on the ledger: from check-in to check-out (capped at the shift's length plus an hour), else 0."""
        if self.check_in_at is None or self.check_out_at is None:
            return 0.0
        worked = (self.check_out_at - self.check_in_at) / timedelta(hours=1)
        return round(max(0.0, min(worked, self.shift.hours + 1)), 2)


class ChangeRequest(models.Model):
    """A volunteer asks to drop a booked shift, or to hand it to another volunteer; the coordinator decides."""

    class Kind(models.TextChoices):
        DROP = "drop", _("Xin rút")
        SWAP = "swap", _("Xin đổi cho người khác")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Không duyệt")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("loại"), max_length=4, choices=Kind.choices)
    to_volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đổi cho"),
    )
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="swap") | Q(to_volunteer__isnull=False),
                name="volunteers_swap_names_someone",
            ),
        ]
        verbose_name = _("đề nghị đổi ca")
        verbose_name_plural = _("đề nghị đổi ca")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.booking}"


class HelpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class Help(models.Model):
    """One citizen helped at the centre, logged in a few taps by the volunteer on shift."""

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="helps")
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="helps"
    )
    at = models.DateTimeField(_("lúc"))
    procedure = models.ForeignKey(
        "handbook.Procedure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("thủ tục"),
    )  # fmt: skip
    filed_online = models.BooleanField(_("đã nộp trực tuyến"), default=False)
    dossier = models.ForeignKey(
        "servicedesk.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hồ sơ"),
    )  # fmt: skip
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    objects = HelpQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["commune", "at"], name="volunteers_help_at")]
        verbose_name = _("lượt hỗ trợ người dân")
        verbose_name_plural = _("lượt hỗ trợ người dân")

    def __str__(self):
        return f"{self.volunteer} {self.at:%d/%m %H:%M}"


class RosterRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="commune__province"))


class RosterRun(models.Model):
    """One auto-roster of a commune's draft shifts over a period: how well it covered the forecast demand, how
    fair it was, how sure the solver is, and why each slot left short is short (codes with parameters, rendered in
    the reader's language)."""

    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=12)
    shifts = models.PositiveIntegerField(default=0)
    bookings = models.PositiveIntegerField(default=0)
    demand = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    fairness_min = models.PositiveSmallIntegerField(null=True)
    fairness_max = models.PositiveSmallIntegerField(null=True)
    gap = models.FloatField(null=True)
    seconds = models.FloatField(default=0)
    # Why each slot left short is short: [{"shift": pk, "short": n, "reasons": [{"code", "params"}]}]
    gaps = models.JSONField(default=list, blank=True)
    # The coordinator's locks the roster could not keep: [{"shift": pk, "volunteer": pk, "code", "params"}]
    lock_problems = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RosterRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lần xếp lịch tự động")
        verbose_name_plural = _("lần xếp lịch tự động")

    def __str__(self):
        return f"{self.commune_id} {self.start}–{self.end}"

    @property
    def gap_percent(self):
        """The proven gap as a percentage (the solver stores a fraction of the objective), or None."""
        return None if self.gap is None else self.gap * 100
