"""Volunteer profiles: the person (community's one model, with languages and half-days) and what the volunteer
programme adds — the youth-union unit, skills, weekly limit, consent to be contacted and the reminders' channel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.community import services as community
from civicdesk.community.models import Person
from civicdesk.core import audit
from civicdesk.kernel.phones import normalise
from civicdesk.kernel.validators import find_control_characters

from ..models import ReminderChannel, Volunteer
from ..permissions import is_self, require, require_coordinate
from .shifts import _check_skills

FIELDS = (
    "unit",
    "skills",
    "max_per_week",
    "contact_consent",
    "email",
    "reminder_channel",
    "joined_on",
    "is_active",
)


@transaction.atomic
def save_volunteer(actor, commune, *, person_data, data, volunteer=None):
    """Create a volunteer of `commune` (with their person record) or update one.

    `person_data` goes to community's `save_person` (full_name, phone, hamlet, available_slots…); `data` holds
    FIELDS. A volunteer may edit their own profile, but not their unit's membership (`is_active`). Reminders by SMS or
    Zalo need a valid phone number on the person."""
    own = volunteer is not None and is_self(actor, volunteer)
    if not own:
        require_coordinate(actor, commune)
    elif "is_active" in data:
        require(False, _("Điều phối viên mới đổi được tình trạng tham gia."))
    bad = find_control_characters({k: v for k, v in data.items() if isinstance(v, str)})
    if bad:
        raise ValidationError({bad: _("Có ký tự điều khiển không hợp lệ.")})
    if "skills" in data:
        data = {**data, "skills": _check_skills(data["skills"])}
    person_data = {**person_data, "kind": Person.Kind.VOLUNTEER}
    if volunteer is None:
        person = community.save_person(actor, commune=commune, data=person_data)
        volunteer = Volunteer(person=person, joined_on=data.get("joined_on") or timezone.localdate())
        created = True
    else:
        if person_data:
            community.save_person(actor, commune=commune, data=person_data, person=volunteer.person)
        created = False
    was_consenting = volunteer.contact_consent
    changes = audit.diff(volunteer, data, FIELDS) if not created else {}
    if created:
        for name in FIELDS:
            if name in data:
                setattr(volunteer, name, data[name])
    _check_reminder_phone(volunteer)
    if volunteer.contact_consent and not was_consenting:
        volunteer.contact_consent_at = timezone.now()
    volunteer.full_clean(exclude=["person"])
    volunteer.save()
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, volunteer, changes=changes)
    return volunteer


def _check_reminder_phone(volunteer):
    if volunteer.reminder_channel not in (ReminderChannel.SMS, ReminderChannel.ZALO):
        return
    try:
        phone = normalise(volunteer.person.phone)
    except ValidationError:
        phone = ""
    if not phone:
        raise ValidationError(
            {"reminder_channel": _("Nhắc lịch qua SMS hoặc Zalo cần một số điện thoại hợp lệ.")}
        )
