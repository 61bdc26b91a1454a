"""Consent per channel and do-not-contact: recorded with their source, date and who recorded them, and audited."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import person as user_of
from civicdesk.kernel.validators import has_control_characters

from ..models import Consent, ContactChannel, DoNotContact, Target
from ..permissions import require, require_run_commune


def _source(source):
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Ghi nguồn: người dân đồng ý ở đâu, khi nào, bằng cách nào.")})
    if has_control_characters(source) or len(source) > 200:
        raise ValidationError({"source": _("Nguồn ghi nhận có ký tự không hợp lệ hoặc dài quá 200 ký tự.")})
    return source


def _require_person(actor, person):
    require(person.commune is not None, _("Chỉ ghi nhận cho người dân của một xã."))
    require_run_commune(actor, person.commune)


@transaction.atomic
def record_consent(
    actor, person, channel, *, state=Consent.State.GRANTED, basis=Consent.Basis.CONSENT, source, at=None
):
    """Record (or change) the person's consent on one channel."""
    _require_person(actor, person)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Kênh không hợp lệ.")})
    if state not in Consent.State.values or basis not in Consent.Basis.values:
        raise ValidationError({"state": _("Tình trạng hoặc căn cứ không hợp lệ.")})
    source = _source(source)
    consent, _created = Consent.objects.update_or_create(
        person=person,
        channel=channel,
        defaults={
            "state": state,
            "basis": basis,
            "source": source,
            "given_at": at or timezone.now(),
            "recorded_by": user_of(actor),
        },
    )
    audit.record(
        actor, audit.Action.UPDATE, consent, changes={"channel": channel, "state": state, "basis": basis}
    )
    return consent


@transaction.atomic
def add_do_not_contact(actor, person, *, reason, source, channel="", until=None, at=None, check=True):
    """Stop contact with `person` (on `channel`, or every channel) until `until` (a date) or for good.

    Open campaign targets of the person are closed as "not to be contacted" when every channel is stopped for good.
    """
    if check:
        _require_person(actor, person)
    if channel and channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Kênh không hợp lệ.")})
    if reason not in DoNotContact.Reason.values:
        raise ValidationError({"reason": _("Lý do không hợp lệ.")})
    at = at or timezone.now()
    if until is not None and (not isinstance(until, date) or until < timezone.localtime(at).date()):
        raise ValidationError({"until": _("Ngày hết hạn phải từ hôm nay trở đi.")})
    row = DoNotContact.objects.create(
        person=person,
        channel=channel,
        reason=reason,
        until=until,
        source=_source(source),
        created_at=at,
        created_by=user_of(actor),
    )
    if not channel and until is None:
        Target.objects.filter(person=person, status__in=Target.OPEN).update(
            status=Target.Status.BLOCKED, next_action_at=None, updated_at=at
        )
    audit.record(actor, audit.Action.CREATE, row, changes={"channel": channel, "reason": reason})
    return row


@transaction.atomic
def lift_do_not_contact(actor, row):
    _require_person(actor, row.person)
    row.until = timezone.localdate() - timedelta(days=1)  # in force through `until`: ended yesterday
    row.save(update_fields=["until"])
    audit.record(actor, audit.Action.UPDATE, row, changes={"channel": row.channel, "until": str(row.until)})
