"""Recording or correcting the two inputs of Decision 766's digitisation group on a registered dossier.

The counter sets `documents_digitised` at intake and the result step sets `result_electronic`; this is the
correction afterwards (a scan made later, a box ticked by mistake), so the counters follow either way.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit

from ..models import Dossier, Status
from ..permissions import require_process
from .stats import refresh_for

RESULT_STATUSES = (Status.DONE, Status.RETURNED)


@transaction.atomic
def record_digitisation(actor, dossier, *, documents_digitised, result_electronic):
    """Set whether the components were digitised and whether the result was issued electronically.

    The commune's officers and leaders, in any state; `result_electronic` only once the dossier has a result.
    Audited with the old and new values; nothing is written when nothing changes. Returns the dossier.
    """
    require_process(actor, dossier)
    d = Dossier.objects.select_for_update().get(pk=dossier.pk)
    documents_digitised, result_electronic = bool(documents_digitised), bool(result_electronic)
    if result_electronic and d.status not in RESULT_STATUSES:
        raise ValidationError({"result_electronic": [_("Chỉ ghi kết quả điện tử khi hồ sơ đã có kết quả.")]})
    changes = {}
    if d.documents_digitised != documents_digitised:
        changes["documents_digitised"] = [d.documents_digitised, documents_digitised]
    if d.result_electronic != result_electronic:
        changes["result_electronic"] = [d.result_electronic, result_electronic]
    if not changes:
        return d
    d.documents_digitised, d.result_electronic = documents_digitised, result_electronic
    d.save(update_fields=["documents_digitised", "result_electronic", "updated_at"])
    audit.record(actor, audit.Action.UPDATE, d, changes=changes)
    refresh_for(d)
    return d
