from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoAnchor(models.Model):
    """The day the demo data was laid out around (one row at most).

    Every date the demo generates — dossiers, tickets, availability windows, plan periods — is placed relative to
    this day, so the demo tells the same story whichever day it is loaded, and re-running `civicdesk demo` later
    completes it around the same day instead of mixing two.
    """

    anchor = models.DateField(_("ngày mốc dữ liệu minh họa"))
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngày mốc dữ liệu minh họa")
        verbose_name_plural = _("ngày mốc dữ liệu minh họa")

    def __str__(self):
        return f"{self.anchor:%d/%m/%Y}"
