"""The pool of provincial staff who can be seconded, and how many each department can release."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import field_label
from .capacity import PlanningQuerySet


class StaffMemberQuerySet(PlanningQuerySet):
    """Who can go in a given period is decided in one place: `staffing.readiness.pool_state`."""


class DepartmentQuotaQuerySet(PlanningQuerySet):
    province_path = "department__province"


class StaffMember(models.Model):
    """A provincial civil servant or public employee who could be seconded; may or may not have an account."""

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="staff_pool")
    code = models.CharField(_("mã cán bộ"), max_length=40, help_text=_("Mã dùng trong tệp CSV và phương án."))
    full_name = models.CharField(_("họ và tên"), max_length=150)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="staff_pool", verbose_name=_("sở, ngành")
    )
    position = models.CharField(_("chức vụ, ngạch"), max_length=120, blank=True)
    fields = models.JSONField(_("lĩnh vực chuyên môn"), default=list)
    experience_years = models.PositiveSmallIntegerField(_("số năm kinh nghiệm"), default=0)
    # The languages the person speaks live in the one language model, community.PersonLanguage, on a pool Person
    # (kind "pool", no commune) that staffing's services create the first time the member has a language.
    person = models.OneToOneField(
        "community.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pool_member",
        verbose_name=_("hồ sơ ngôn ngữ"),
    )
    home_label = models.CharField(_("nơi ở"), max_length=120, blank=True)
    home_lat = models.FloatField(_("vĩ độ nơi ở"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    home_lon = models.FloatField(
        _("kinh độ nơi ở"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    available_from = models.DateField(_("sẵn sàng từ"), null=True, blank=True)
    available_until = models.DateField(_("sẵn sàng đến"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=_("tài khoản CivicDesk"),
    )
    is_active = models.BooleanField(_("trong danh sách"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["department__name", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="staffing_staff_code_per_province")
        ]
        verbose_name = _("cán bộ trong nguồn biệt phái")
        verbose_name_plural = _("cán bộ trong nguồn biệt phái")

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    @property
    def field_labels(self):
        return [field_label(f) for f in self.fields]

    @property
    def language_names(self):
        """The Vietnamese names of the languages the member speaks, the preferred one first (lists prefetch
        `person__languages`)."""
        if self.person_id is None:
            return []
        return [language.name for language in self.person.languages.all()]


class DepartmentQuota(models.Model):
    """A department can spare at most `max_release` people for secondment."""

    department = models.OneToOneField(
        "core.Department", on_delete=models.CASCADE, related_name="release_quota", verbose_name=_("sở, ngành")
    )
    max_release = models.PositiveIntegerField(_("số người tối đa được cử"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = DepartmentQuotaQuerySet.as_manager()

    class Meta:
        ordering = ["department__name"]
        verbose_name = _("hạn mức cử của sở, ngành")
        verbose_name_plural = _("hạn mức cử của sở, ngành")

    def __str__(self):
        return f"{self.department}: {self.max_release}"
