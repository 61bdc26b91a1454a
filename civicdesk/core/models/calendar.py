from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An exception to the statutory calendar, edited by an admin.

    A *swap* makes a weekend day a working day (the Government moves a working Saturday to bridge a holiday);
    an *extra day off* closes an otherwise working day (a bridge day, a provincial holiday).
    """

    class Kind(models.TextChoices):
        WORKING = "working", _("Ngày làm việc bù (hoán đổi)")
        OFF = "off", _("Ngày nghỉ thêm")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"
