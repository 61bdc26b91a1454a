from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel import audit as audit_port
from civicdesk.kernel.validators import validate_no_control_characters


class CoreConfig(AppConfig):
    name = "civicdesk.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        # The app template (docs/architecture.md): menu entries and home-page cards in panels.py; core's demo
        # (units, departments, accounts) is the first step of `civicdesk demo` itself, not a registered loader.
        from . import audit, panels, signals  # noqa: F401  (signals: login/logout audit receivers)

        audit_port.install(audit.record)
        panels.register()
        _reject_control_characters_in_forms()


def _reject_control_characters_in_forms():
    """Every text field of every form (ours, the admin's, the login's) refuses control characters.

    Patched on the class's `run_validators`, not its validator list: fields created before this runs (Django's
    login form is imported by the admin, which starts first) look the method up on the class at each call."""
    from django import forms

    if getattr(forms.CharField.run_validators, "rejects_control_characters", False):
        return
    original = forms.CharField.run_validators

    def run_validators(self, value):
        if value not in self.empty_values:
            validate_no_control_characters(value)
        original(self, value)

    run_validators.rejects_control_characters = True
    forms.CharField.run_validators = run_validators
