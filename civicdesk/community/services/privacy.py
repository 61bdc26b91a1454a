"""Personal data protection in the register of people (issue 21): pseudonymise people (past the province's retention
period, or at their request), restrict their processing, correct their name and numbers.

The privacy app reaches these through the source in `community/privacy.py`; the volunteers app calls
`pseudonymise_people` for volunteers who have left. Each runs in one transaction, checks the actor
(`permissions.require_edit_person`) and audits counts and field names, never values.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.personal_data import HIDDEN, mask, pseudonym, subject_identifier
from civicdesk.kernel.phones import normalise

from ..models import Accompaniment, Person, PersonLanguage
from ..permissions import require_edit_person
from .people import save_person

BLANKED = ("phone", "id_number", "address", "note")


@transaction.atomic
def pseudonymise_people(actor, ids, *, reason):
    """The people `ids` not pseudonymised yet: name → pseudonym; phone, CCCD, address and note blanked; certificate
    numbers blanked; the address and notes of the visits they asked for scrubbed. Commune, hamlet, kind, languages
    and skills stay (the language coverage counts them). Returns how many changed."""
    people = list(
        Person.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, pseudonymised_at__isnull=True)
        .select_related("commune")
        .order_by("pk")
    )
    for person in people:
        require_edit_person(actor, person)
    now = timezone.now()
    for person in people:
        person.full_name = pseudonym(
            subject_identifier(person.id_number, person.phone, f"community.person:{person.pk}")
        )
        for name in BLANKED:
            setattr(person, name, "")
        person.pseudonymised_at = now
    Person.objects.bulk_update(people, ["full_name", *BLANKED, "pseudonymised_at"], batch_size=500)
    done = [p.pk for p in people]
    PersonLanguage.objects.filter(person_id__in=done).update(certificate_number="", certificate_issuer="")
    visits = list(Accompaniment.objects.filter(citizen_id__in=done))
    for visit in visits:
        visit.address = ""
        visit.note = mask(visit.note, HIDDEN)
        visit.outcome_note = mask(visit.outcome_note, HIDDEN)
    Accompaniment.objects.bulk_update(visits, ["address", "note", "outcome_note"], batch_size=500)
    audit.record_pseudonymised(actor, "community.person", done, reason=reason)
    return len(done)


@transaction.atomic
def set_restricted(actor, ids, restricted, *, reason=""):
    """Mark the people `ids` restricted (or lift it): outreach does not contact them on any channel."""
    people = list(
        Person.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .exclude(restricted=restricted)
        .select_related("commune")
    )
    for person in people:
        require_edit_person(actor, person)
        person.restricted = restricted
        audit.record(
            actor,
            audit.Action.UPDATE,
            person,
            changes={"restricted": [not restricted, restricted]},
            reason=reason,
        )
    Person.objects.bulk_update(people, ["restricted"])
    return len(people)


@transaction.atomic
def correct_people(actor, ids, data, *, reason=""):
    """Correct the name, CCCD or phone (`data`: "full_name", "id_number", "phone") of the people `ids`, through
    `save_person`. Returns how many changed."""
    values = {}
    if data.get("full_name"):
        values["full_name"] = data["full_name"].strip()[:150]
    if data.get("id_number"):
        values["id_number"] = data["id_number"]
    if data.get("phone"):
        values["phone"] = normalise(data["phone"])
    if not values:
        raise ValidationError(_("Ghi ít nhất một thông tin cần sửa."))
    changed = 0
    people = Person.objects.filter(pk__in=ids, pseudonymised_at__isnull=True).select_related("commune")
    for person in people:
        if all(getattr(person, name) == value for name, value in values.items()):
            continue
        save_person(actor, commune=person.commune, data=values, person=person)
        audit.record(actor, audit.Action.UPDATE, person, changes={"corrected": sorted(values)}, reason=reason)
        changed += 1
    return changed
