# Each pool member with languages gets a pool community.Person (kind "pool", the member's province, no commune,
# their name and status) and one PersonLanguage per language name it can read, with the same name → code rules as
# every importer (kernel.languages.parse_language, which is model-free); the first language listed is the preferred
# one. Names it cannot read are kept in the Person's note, so nothing typed is lost. Reversible: going back writes
# the names (and the unread ones from the note) into `languages` again and removes the pool Persons it made.

from django.core.exceptions import ValidationError
from django.db import migrations
from django.db.models import ProtectedError
from django.utils import translation

from civicdesk.kernel.languages import language_name, parse_language

UNREAD_NOTE = "Ngôn ngữ ghi trong nguồn biệt phái, chưa nhận ra: "
NOTE_LENGTH = 500


def _names(value):
    """The names a member's old `languages` JSON holds (a list of strings; anything else read as best it can)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def _codes(names):
    """(codes in the order named, each once; the names no rule reads)."""
    codes, unread = [], []
    for name in names:
        try:
            code = parse_language(name)
        except ValidationError:
            unread.append(name)
            continue
        if code not in codes:
            codes.append(code)
    return codes, unread


def forward(apps, schema_editor):
    StaffMember = apps.get_model("staffing", "StaffMember")
    Person = apps.get_model("community", "Person")
    PersonLanguage = apps.get_model("community", "PersonLanguage")
    with translation.override("vi"):
        for member in StaffMember.objects.filter(person__isnull=True).order_by("pk").iterator():
            names = _names(member.languages)
            if not names:
                continue
            codes, unread = _codes(names)
            person = Person.objects.create(
                kind="pool",
                province_id=member.province_id,
                commune=None,
                full_name=member.full_name,
                is_active=member.is_active,
                note=(UNREAD_NOTE + "; ".join(unread))[:NOTE_LENGTH] if unread else "",
            )
            PersonLanguage.objects.bulk_create(
                PersonLanguage(person=person, code=code, is_preferred=i == 0) for i, code in enumerate(codes)
            )
            member.person = person
            member.save(update_fields=["person"])


def backward(apps, schema_editor):
    StaffMember = apps.get_model("staffing", "StaffMember")
    PersonLanguage = apps.get_model("community", "PersonLanguage")
    with translation.override("vi"):
        for member in StaffMember.objects.filter(person__isnull=False).select_related("person").iterator():
            person = member.person
            rows = PersonLanguage.objects.filter(person=person).order_by("-is_preferred", "code")
            names = [language_name(row.code) for row in rows]
            if person.note.startswith(UNREAD_NOTE):
                names += [name for name in person.note[len(UNREAD_NOTE) :].split("; ") if name]
            member.languages = names
            member.person = None
            member.save(update_fields=["languages", "person"])
            if person.kind == "pool":
                try:
                    person.delete()
                except ProtectedError:
                    pass  # a record of community's points at them: the Person stays, unlinked


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("staffing", "0003_language_access"),
    ]

    operations = [migrations.RunPython(forward, backward)]
