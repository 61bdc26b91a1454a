"""The language a dossier's applicant was served in, and whether an interpreter helped (issue 15, language access).

Recorded at the counter (`receive_dossier`), by the import, through the API, or later on the dossier page with
`set_language_service`. The code is ISO 639-3 (`kernel/languages.py`); Vietnamese is stored as blank, so that
"nothing special recorded" has one spelling.
"""

from django.db import transaction

from civicdesk.kernel import served
from civicdesk.kernel.actors import is_system

from ..models import Dossier
from ..permissions import require_process


@transaction.atomic
def set_language_service(actor, dossier, *, served_language, interpreter_used):
    """Record (or correct) the language the applicant was served in and whether an interpreter was used.

    The commune's officers and leaders (those who process the dossier), in any state: the monthly report counts
    dossiers by their day of receipt, so a correction after the result still belongs there. Audited with the old
    and new values; nothing is written when nothing changes. The system (`kernel.actors`) may record it too: the
    demo, and language access when a visit produced the dossier.
    """
    if not is_system(actor):
        require_process(actor, dossier)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    served.update(actor, locked, served_language=served_language, interpreter_used=interpreter_used)
    dossier.served_language, dossier.interpreter_used = locked.served_language, locked.interpreter_used
    return locked
