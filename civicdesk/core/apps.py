from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civicdesk.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from . import dashboard, signals  # noqa: F401  (signals: login/logout audit receivers)

        dashboard.register()
        _reject_control_characters_in_forms()


def _reject_control_characters_in_forms():
    """Every text field of every form (ours, the admin's, the login's) refuses control characters."""
    from django import forms

    from .validators import validate_no_control_characters

    if validate_no_control_characters not in forms.CharField.default_validators:
        forms.CharField.default_validators = [
            *forms.CharField.default_validators,
            validate_no_control_characters,
        ]
