"""The language the citizen behind a question was served in, and whether an interpreter helped (issue 15).

Recorded when the question is filed (`create_ticket`: the commune's form, the operator's phone log, the API) or
later on the ticket page with `set_language_service`. The code is ISO 639-3 (`kernel/languages.py`); Vietnamese is
stored as blank, so that "nothing special recorded" has one spelling.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.kernel import served

from ..models import Ticket
from ..permissions import can_answer, is_commune_party


def can_set_language(user, ticket):
    """The asking commune (who served the citizen) and those who work on the answer (the desk logged the call)."""
    return is_commune_party(user, ticket) or can_answer(user, ticket)


@transaction.atomic
def set_language_service(actor, ticket, *, served_language, interpreter_used):
    """Record (or correct) the language the citizen was served in and whether an interpreter was used, in any
    state of the question. Audited with the old and new values; nothing is written when nothing changes."""
    if not can_set_language(actor, ticket):
        raise PermissionDenied(_("Bạn không được sửa thông tin của câu hỏi này."))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    served.update(actor, locked, served_language=served_language, interpreter_used=interpreter_used)
    ticket.served_language, ticket.interpreter_used = locked.served_language, locked.interpreter_used
    return locked
