from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.roles import COMMUNE_ROLES, DEPARTMENT_ROLES, Role
from civicdesk.kernel.scoping import scope_filter

phone_validator = RegexValidator(r"^\+?[0-9 .-]{8,15}$", _("Số điện thoại không hợp lệ."))


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People a user may look up: their commune's colleagues, or the province's for province roles."""
        if user.is_authenticated and user.role in DEPARTMENT_ROLES:
            return self.filter(department_id=user.department_id) if user.department_id else self.none()
        return self.filter(scope_filter(user, commune="commune", province="province"))


class CivicUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[phone_validator])
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("tỉnh"),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("xã"),
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("sở, ngành"),
    )
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)

    objects = CivicUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        indexes = [models.Index(fields=["role", "commune"], name="core_user_role_commune")]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role in COMMUNE_ROLES and not self.commune_id:
            raise ValidationError({"commune": _("Vai trò cấp xã phải gắn với một xã, phường, đặc khu.")})
        if self.role in DEPARTMENT_ROLES and not self.department_id:
            raise ValidationError({"department": _("Chuyên viên sở, ngành phải gắn với một sở, ngành.")})

    def save(self, *args, **kwargs):
        # The province follows the unit: a commune or department user always belongs to its province.
        if self.commune_id:
            self.province_id = self.commune.province_id
        elif self.department_id:
            self.province_id = self.department.province_id
        super().save(*args, **kwargs)

    @property
    def unit_label(self):
        """The unit the user works for, as shown on their home page."""
        if self.commune_id:
            return self.commune.name
        if self.department_id:
            return self.department.name
        if self.province_id:
            return _("Tỉnh %(name)s") % {"name": self.province.name}
        return ""

    @property
    def is_commune_user(self):
        return self.role in COMMUNE_ROLES

    @property
    def is_province_admin(self):
        return self.is_superuser or self.role == Role.PROVINCE_ADMIN
