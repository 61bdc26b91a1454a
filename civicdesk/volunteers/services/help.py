"""Citizens helped at the centre: logged in a few taps by the volunteer on shift (procedure, filed online or not,
the dossier's code when known)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.validators import has_control_characters
from civicdesk.servicedesk.models import Dossier

from ..models import Booking, Help
from ..permissions import require_self_or_coordinate


@transaction.atomic
def log_help(actor, volunteer, *, procedure_code="", filed_online=False, dossier_code="", note="", at=None):
    """One citizen helped by `volunteer`, now (or at `at`, the same day), counted on the shift they checked in to."""
    require_self_or_coordinate(actor, volunteer)
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"at": _("Thời điểm không được ở tương lai.")})
    note = (note or "").strip()
    if has_control_characters(note) or len(note) > 300:
        raise ValidationError({"note": _("Ghi chú có ký tự không hợp lệ hoặc dài quá 300 ký tự.")})
    commune_id = volunteer.person.commune_id
    procedure = None
    if procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code.strip().upper()).first()
        if procedure is None:
            raise ValidationError(
                {"procedure_code": _("Không có thủ tục mã “%(c)s”.") % {"c": procedure_code[:20]}}
            )
    dossier = None
    if (dossier_code or "").strip():
        dossier = Dossier.objects.filter(code=dossier_code.strip(), commune_id=commune_id).first()
        if dossier is None:
            raise ValidationError(
                {"dossier_code": _("Xã không có hồ sơ mã “%(c)s”.") % {"c": dossier_code[:40]}}
            )
        procedure = procedure or dossier.procedure
        if dossier.channel in ("truc_tuyen", "truc_tuyen_ho_tro"):
            filed_online = True
    day = timezone.localtime(at).date()
    booking = (
        Booking.objects.filter(
            volunteer=volunteer, shift__day=day, check_in_at__isnull=False, check_in_at__lte=at
        )
        .order_by("-check_in_at")
        .first()
    )
    help_ = Help.objects.create(
        commune_id=commune_id, volunteer=volunteer, booking=booking, at=at, procedure=procedure,
        filed_online=bool(filed_online), dossier=dossier, note=note,
    )  # fmt: skip
    audit.record(
        actor, audit.Action.CREATE, help_,
        changes={"procedure": procedure.code if procedure else "", "online": bool(filed_online),
                 "dossier": dossier.code if dossier else ""},
    )  # fmt: skip
    return help_
