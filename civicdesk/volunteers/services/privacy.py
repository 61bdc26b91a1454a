"""Personal data protection for volunteers (issue 21): pseudonymise the data of volunteers who have left, past the
province's retention period or at their request.

The privacy app reaches this through the source in `volunteers/privacy.py`. The person (name, numbers, address) is
pseudonymised by the register of people (`community.services.privacy`); the volunteer programme blanks its own:
e-mail, free-text notes of the help they logged and of their shift-change requests. Shifts, hours and the number of
citizens helped stay (the volunteers' report). Audited with counts, never values.
"""

from django.db import transaction

from civicdesk.community.services import privacy as community
from civicdesk.core import audit

from ..models import ChangeRequest, Help, Volunteer
from ..permissions import require_coordinate


@transaction.atomic
def pseudonymise_volunteers(actor, ids, *, reason):
    """The volunteers `ids` whose person is not pseudonymised yet. Returns how many changed."""
    volunteers = list(
        Volunteer.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, person__pseudonymised_at__isnull=True)
        .select_related("person__commune")
        .order_by("pk")
    )
    for volunteer in volunteers:
        require_coordinate(actor, volunteer.person.commune)
    done = [v.pk for v in volunteers]
    Volunteer.objects.filter(pk__in=done).update(email="")
    Help.objects.filter(volunteer_id__in=done).exclude(note="").update(note="")
    ChangeRequest.objects.filter(booking__volunteer_id__in=done).exclude(reason="").update(reason="")
    community.pseudonymise_people(actor, [v.person_id for v in volunteers], reason=reason)
    audit.record_pseudonymised(actor, "volunteers.volunteer", done, reason=reason)
    return len(done)
