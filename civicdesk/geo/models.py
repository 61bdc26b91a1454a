"""Administrative units after the July 2025 reorganisation: provinces and commune-level units, with hamlets."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.languages import language_name, validate_language_code
from civicdesk.kernel.scoping import scope_filter


class Province(models.Model):
    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    codename = models.SlugField(max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    phone_code = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Communes whose internal pages (hamlets, staff) the user may open.

        Names and codes of units are public; what this guards is the commune's own workspace.
        """
        return self.filter(scope_filter(user, commune="", province="province"))


class Commune(models.Model):
    class Type(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        DAC_KHU = "dac_khu", _("Đặc khu")

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    codename = models.SlugField(max_length=120)
    division_type = models.CharField(_("loại"), max_length=10, choices=Type.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    lat = models.FloatField(
        _("vĩ độ"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("kinh độ"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("đơn vị hành chính cấp xã")
        verbose_name_plural = _("đơn vị hành chính cấp xã")

    def __str__(self):
        return self.name


class Hamlet(models.Model):
    """Thôn, bon, buôn, ấp (in a xã) or tổ dân phố (in a phường): where mobile teams and outreach go."""

    class Kind(models.TextChoices):
        THON = "thon", _("Thôn")
        BON = "bon", _("Bon")
        BUON = "buon", _("Buôn")
        AP = "ap", _("Ấp")
        TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
        KHAC = "khac", _("Khác")

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="hamlets", verbose_name=_("xã")
    )
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.THON)
    lat = models.FloatField(
        _("vĩ độ"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("kinh độ"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    population = models.PositiveIntegerField(_("số dân"), null=True, blank=True)

    class Meta:
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="geo_hamlet_unique_name_per_commune")
        ]
        verbose_name = _("thôn, tổ dân phố")
        verbose_name_plural = _("thôn, tổ dân phố")

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.name}"
            if not self.name.lower().startswith(str(self.get_kind_display()).lower())
            else self.name
        )


class HamletLanguage(models.Model):
    """How many people of a hamlet speak a minority language at home (from the hamlet CSV's `languages` column).

    What the coverage page weighs the commune's speakers against; the figure comes from the commune's own count
    (census, household register), entered by the commune.
    """

    hamlet = models.ForeignKey(Hamlet, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("ngôn ngữ (mã ISO 639-3)"), max_length=3, validators=[validate_language_code])
    population = models.PositiveIntegerField(_("số người"))

    class Meta:
        ordering = ["hamlet", "-population"]
        constraints = [
            models.UniqueConstraint(fields=["hamlet", "code"], name="geo_hamlet_language_once"),
        ]
        verbose_name = _("dân số theo ngôn ngữ của thôn")
        verbose_name_plural = _("dân số theo ngôn ngữ của thôn")

    def __str__(self):
        return f"{self.hamlet}: {language_name(self.code)} {self.population}"
