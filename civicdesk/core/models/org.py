"""Provincial departments (Sở, ngành) and multidisciplinary working groups: records, edited by the province admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every signed-in official may see their own province's departments (to know whom to ask)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(province_id=user.province_id) if user.province_id else self.none()


class Department(models.Model):
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField(_("mã"), max_length=40, help_text=_("Mã ngắn, ví dụ: tu-phap, noi-vu."))
    name = models.CharField(_("tên"), max_length=160)
    short_name = models.CharField(_("tên ngắn"), max_length=60, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="core_department_code_per_province")
        ]
        verbose_name = _("sở, ngành")
        verbose_name_plural = _("sở, ngành")

    def __str__(self):
        return self.name


class WorkingGroup(models.Model):
    """A multidisciplinary working group (tổ công tác liên ngành); it can span several departments."""

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="working_groups")
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    purpose = models.TextField(_("nhiệm vụ"), blank=True)
    departments = models.ManyToManyField(
        Department, related_name="working_groups", verbose_name=_("sở, ngành")
    )
    leader = models.ForeignKey(
        "core.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
        verbose_name=_("tổ trưởng"),
    )
    members = models.ManyToManyField(
        "core.User", blank=True, related_name="working_groups", verbose_name=_("thành viên")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["province", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="core_group_code_per_province")
        ]
        verbose_name = _("tổ công tác liên ngành")
        verbose_name_plural = _("tổ công tác liên ngành")

    def __str__(self):
        return self.name
