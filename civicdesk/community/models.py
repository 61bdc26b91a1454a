"""Language access (Cam Ly – Đà Lạt): who speaks what, who needs it, and the accompanied visits that bring them together.

`Person` is one record for everyone whose languages CivicDesk knows: commune officials, volunteers, the provincial
staff pool (staffing links each pool member to one) and citizens. `PersonLanguage` is the one language model they
all use (ISO 639-3, dialect, four skills 0–5, certificate). An `Accompaniment` is a request for a speaker of a
language to go with a citizen, at a hamlet and a time, for a procedure; it is matched, assigned, accepted or
declined, and closed with the visit's outcome, linked to the dossier it produced.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.languages import language_name, validate_language_code
from civicdesk.kernel.scoping import scope_filter

LEVEL_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]
SKILLS = ("listening", "speaking", "reading", "writing")

# Who may go on an accompanied visit: the commune's own officials and volunteers.
SPEAKER_KINDS = ("official", "volunteer")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A commune's people to its own users; the province's (the staff pool included) to province roles."""
        return self.filter(scope_filter(user, commune="commune", province="province"))

    def speakers(self):
        return self.filter(kind__in=SPEAKER_KINDS, is_active=True)

    def citizens(self):
        return self.filter(kind=Person.Kind.CITIZEN)


class Person(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Cán bộ, công chức xã")
        VOLUNTEER = "volunteer", _("Tình nguyện viên")
        POOL = "pool", _("Cán bộ tỉnh (nguồn biệt phái)")
        CITIZEN = "citizen", _("Người dân")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("xã, phường"),
    )
    hamlet = models.ForeignKey(
        "geo.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("thôn, tổ dân phố"),
    )
    kind = models.CharField(_("là"), max_length=12, choices=Kind.choices)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    id_number = models.CharField(_("số CCCD"), max_length=12, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("tài khoản CivicDesk"),
    )
    preferred_language = models.CharField(
        _("ngôn ngữ ưa dùng"), max_length=3, blank=True, validators=[validate_language_code]
    )
    interpreter_needed = models.BooleanField(_("cần người phiên dịch"), default=False)
    weekly_capacity = models.PositiveSmallIntegerField(
        _("số chuyến đi cùng tối đa mỗi tuần"), default=5, validators=[MaxValueValidator(30)]
    )
    # Half-days the person can go out, as "<weekday 0–6>:<am|pm>"; empty = Monday–Friday, mornings and afternoons.
    available_slots = models.JSONField(_("buổi có thể đi"), default=list, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Personal data (issue 21, privacy app): the person asked to restrict the processing of their data (outreach
    # does not contact them), and when their name, numbers and address were pseudonymised (past retention or at
    # their request; the commune, hamlet and languages stay for the coverage figures).
    restricted = models.BooleanField(_("hạn chế xử lý dữ liệu cá nhân"), default=False, db_default=False)
    pseudonymised_at = models.DateTimeField(_("đã ẩn danh hóa lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["commune", "kind"], name="community_person_commune_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="citizen") | Q(user__isnull=True), name="community_citizen_has_no_account"
            ),
        ]
        verbose_name = _("người")
        verbose_name_plural = _("người")

    def __str__(self):
        return self.full_name

    @property
    def location(self):
        """(lat, lon) of the person's hamlet, else of their commune, else (None, None)."""
        for place in (self.hamlet, self.commune):
            if place is not None and place.lat is not None and place.lon is not None:
                return place.lat, place.lon
        return None, None

    @property
    def preferred_language_name(self):
        return language_name(self.preferred_language) if self.preferred_language else ""


class PersonLanguage(models.Model):
    """A language a person speaks, with four skills (0 none … 5 like a native) and the certificate, if any.

    The skills split as the EU's Core Person Vocabulary does (understand, speak, read, write); a level left empty has
    not been assessed. Minority-language certificates for officials follow Circular 09/2023/TT-BGDĐT.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("ngôn ngữ (mã ISO 639-3)"), max_length=3, validators=[validate_language_code])
    dialect = models.CharField(_("phương ngữ, nhóm"), max_length=60, blank=True)
    listening = models.PositiveSmallIntegerField(
        _("nghe"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    speaking = models.PositiveSmallIntegerField(_("nói"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    reading = models.PositiveSmallIntegerField(_("đọc"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    writing = models.PositiveSmallIntegerField(_("viết"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    certificate_number = models.CharField(_("số chứng chỉ"), max_length=60, blank=True)
    certificate_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    certificate_issuer = models.CharField(_("nơi cấp"), max_length=200, blank=True)
    is_preferred = models.BooleanField(_("ưa dùng"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_preferred", "code"]
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="community_one_row_per_language"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{skill}__isnull": True}) | Q(**{f"{skill}__lte": 5}),
                    name=f"community_{skill}_0_5",
                )
                for skill in SKILLS
            ],
        ]
        verbose_name = _("ngôn ngữ của một người")
        verbose_name_plural = _("ngôn ngữ của một người")

    def __str__(self):
        return f"{self.person}: {self.name}"

    @property
    def name(self):
        return language_name(self.code)

    @property
    def certified(self):
        return bool(self.certificate_number or self.certificate_date)

    @property
    def oral_level(self):
        """What an accompanied visit needs: the lower of listening and speaking (one of them if one is known)."""
        known = [v for v in (self.listening, self.speaking) if v is not None]
        return min(known) if known else None


class AccompanimentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(user, commune="commune", province="province"))

    def open(self):
        return self.filter(status=Accompaniment.Status.OPEN)

    def active(self):
        return self.filter(status__in=Accompaniment.ACTIVE)


class Accompaniment(models.Model):
    """A request for a speaker of `language` to go with a citizen, and the visit that answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ phân công")
        ASSIGNED = "assigned", _("Đã phân công, chờ nhận")
        ACCEPTED = "accepted", _("Đã nhận chuyến")
        DONE = "done", _("Đã đi")
        CANCELLED = "cancelled", _("Đã hủy")

    class Slot(models.TextChoices):
        MORNING = "am", _("Buổi sáng")
        AFTERNOON = "pm", _("Buổi chiều")
        DAY = "day", _("Sáng hoặc chiều")

    class Origin(models.TextChoices):
        COMMUNE = "commune", _("Cán bộ xã đề nghị")
        COUNTER = "counter", _("Quầy một cửa")
        HOTLINE = "hotline", _("Đường dây nóng")
        DOSSIER = "dossier", _("Từ một hồ sơ")

    class Outcome(models.TextChoices):
        FILED = "filed", _("Đã nộp hồ sơ")
        GUIDED = "guided", _("Đã hướng dẫn, chưa nộp")
        REFERRED = "referred", _("Chuyển cơ quan khác")
        NOT_MET = "not_met", _("Không gặp được người dân")

    ACTIVE = (Status.OPEN, Status.ASSIGNED, Status.ACCEPTED)

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="accompaniments", verbose_name=_("xã, phường")
    )
    citizen = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="accompaniments_needed", verbose_name=_("người dân")
    )
    language = models.CharField(_("ngôn ngữ cần"), max_length=3, validators=[validate_language_code])
    dialect = models.CharField(_("phương ngữ"), max_length=60, blank=True)
    min_level = models.PositiveSmallIntegerField(
        _("trình độ nghe nói tối thiểu"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    hamlet = models.ForeignKey(
        "geo.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    address = models.CharField(_("địa chỉ, nơi hẹn"), max_length=255, blank=True)
    date = models.DateField(_("ngày hẹn"))
    slot = models.CharField(_("buổi"), max_length=3, choices=Slot.choices, default=Slot.DAY)
    procedure = models.ForeignKey(
        "handbook.Procedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    procedure_name = models.CharField(_("việc cần làm"), max_length=400, blank=True)
    origin = models.CharField(
        _("nguồn đề nghị"), max_length=10, choices=Origin.choices, default=Origin.COMMUNE
    )
    ticket = models.ForeignKey(
        "hotline.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin_dossier = models.ForeignKey(
        "servicedesk.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("hạn đáp ứng (3 ngày làm việc)"))
    assignee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompaniments",
        verbose_name=_("người đi cùng"),
    )
    assigned_slot = models.CharField(_("buổi được xếp"), max_length=2, blank=True)
    match_score = models.FloatField(_("điểm phù hợp"), null=True, blank=True)
    match_reasons = models.JSONField(_("lý do đề xuất"), default=list, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ManyToManyField(Person, blank=True, related_name="+")
    visited_at = models.DateTimeField(_("thời điểm đi"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("ghi chú kết quả"), max_length=500, blank=True)
    dossier = models.ForeignKey(
        "servicedesk.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ đã nộp"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slot", "pk"]
        indexes = [models.Index(fields=["commune", "status", "date"], name="community_acc_commune_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | Q(assignee__isnull=False),
                name="community_assigned_has_assignee",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(outcome=""), name="community_done_has_outcome"
            ),
        ]
        verbose_name = _("đề nghị đi cùng người dân")
        verbose_name_plural = _("đề nghị đi cùng người dân")

    def __str__(self):
        return _("Đi cùng %(citizen)s (%(language)s, %(date)s)") % {
            "citizen": self.citizen.full_name,
            "language": self.language_name,
            "date": self.date.strftime("%d/%m/%Y"),
        }

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def slots(self):
        return ("am", "pm") if self.slot == self.Slot.DAY else (self.slot,)

    @property
    def is_active(self):
        return self.status in self.ACTIVE
