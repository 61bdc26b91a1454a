"""The language a citizen was served in, and whether an interpreter helped — the two fields the service desk's
dossiers and the hotline's tickets both carry (issue 15, language access).

The two apps do not know each other, so what they share lives here, under both: the stored value's rule
(ISO 639-3, Vietnamese stored as blank so that "nothing special recorded" has one spelling), the form fields, the
model's display helpers and the audited update.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, languages

FIELDS = ("served_language", "interpreter_used")


def clean_served_language(code):
    """The code to store: lower case, "" for Vietnamese or nothing; ValidationError for an unknown code."""
    code = (code or "").strip().lower()
    if code in ("", languages.VIETNAMESE):
        return ""
    languages.validate_language_code(code)
    return code


def language_errors(code):
    """(the code to store, {"served_language": messages} or {}): for services that collect every error first."""
    try:
        return clean_served_language(code), {}
    except ValidationError as exc:
        return "", {"served_language": exc.messages}


def select_choices(current=""):
    """The select's options: "Tiếng Việt" (stored as blank), then the province's languages; a code recorded
    elsewhere (an import, the API) that is not in the list stays selectable under its name."""
    options = [("", str(languages.REGIONAL_NAMES[languages.VIETNAMESE]))]
    options += [(code, name) for code, name in languages.choices() if code != languages.VIETNAMESE]
    known = {code for code, _name in options}
    if current and current not in known and languages.is_language_code(current):
        options.append((current, languages.language_name(current)))
    return options


class ServedLanguageFormMixin(forms.Form):
    """The two fields on a form; `served_language_help` is the help text the form shows."""

    served_language_help = gettext_lazy(
        "Ngôn ngữ cán bộ đã dùng để phục vụ người dân; để “Tiếng Việt” nếu không có gì đặc biệt."
    )

    served_language = forms.ChoiceField(label=gettext_lazy("Ngôn ngữ phục vụ"), required=False)
    interpreter_used = forms.BooleanField(label=gettext_lazy("Có người phiên dịch"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.data.get(self.add_prefix("served_language")) if self.is_bound else None
        current = current or self.initial.get("served_language") or ""
        field = self.fields["served_language"]
        field.choices = select_choices(current if isinstance(current, str) else "")
        field.help_text = self.served_language_help


class ServedLanguageModelMixin:
    """Display helpers for a model with `served_language` and `interpreter_used` fields."""

    @property
    def served_language_name(self):
        """The name of the language the citizen was served in ("" when nothing was recorded: Vietnamese)."""
        return languages.language_name(self.served_language) if self.served_language else ""

    @property
    def served_in(self):
        """ "tiếng K'Ho (Cơ Ho)", "tiếng Anh": the language as the record's badge says it."""
        name = self.served_language_name
        if name[:6].lower() == "tiếng ":
            name = name[6:]
        return _("tiếng %(name)s") % {"name": name} if name else ""

    @property
    def language_access_recorded(self):
        """Served in a language other than Vietnamese, or with an interpreter: the record's page shows a badge."""
        return self.served_language not in ("", languages.VIETNAMESE) or self.interpreter_used


def update(actor, record, *, served_language, interpreter_used):
    """Write the two fields on `record` (a row the caller locked, in its transaction) and audit the change with the
    old and new values; nothing is written when nothing changes. Returns the changes."""
    code, errors = language_errors(served_language)
    if errors:
        raise ValidationError(errors)
    changes = {}
    if record.served_language != code:
        changes["served_language"] = [record.served_language, code]
    if record.interpreter_used != bool(interpreter_used):
        changes["interpreter_used"] = [record.interpreter_used, bool(interpreter_used)]
    if changes:
        record.served_language, record.interpreter_used = code, bool(interpreter_used)
        record.save(update_fields=[*FIELDS, "updated_at"])
        audit.record(actor, audit.Action.UPDATE, record, changes=changes)
    return changes
