"""Intake that is safe to retry: one idempotency key, one registration (API `Idempotency-Key`, the counter form's
one-time token).

`receive_dossier_once(actor, key, **intake)` runs `receive_dossier(actor, **intake)` at most once per (actor, key):

- the first request with a key runs the intake and keeps the key, a fingerprint of the intake and its outcome (the
  dossier registered, or the incomplete check) — in the intake's own transaction, so a request that dies before
  committing leaves no key behind and its retry simply runs;
- the same key with the same intake again → the stored outcome (`IntakeOnce.replayed`), nothing written;
- the same key with another intake → `IntakeKeyReused`, nothing written;
- two requests racing with one key: the unique (user, key) constraint lets one claim it; the other waits for that
  transaction (PostgreSQL holds the second insert on the index), gets the IntegrityError and answers from the row.

A key belongs to the user who sent it. Keys are kept `SERVICEDESK_IDEMPOTENCY_DAYS` (`conf.py`), then purged by the
worker (`tasks.purge_intake_keys`); a key reused after that registers anew. A bad intake (a ValidationError from
`receive_dossier`) keeps no key: the client corrects it and sends it again with the same key.
"""

import hashlib
import inspect
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf
from ..models import IntakeKey
from ..permissions import require_receive
from .intake import IntakeResult, receive_dossier

KEY_MAX_LENGTH = IntakeKey._meta.get_field("key").max_length
PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")
_INTAKE = inspect.signature(receive_dossier)


@dataclass
class IntakeOnce:
    """What an intake under a key did; `replayed`: the key came with this intake before, and `result` is what that
    request did (nothing was written now)."""

    result: IntakeResult
    replayed: bool


class IntakeKeyReused(Exception):
    """The key was already used for a different intake; `stored` is what that intake did (nothing was written)."""

    def __init__(self, stored):
        self.stored = stored
        super().__init__(
            _(
                "Khóa chống gửi trùng (Idempotency-Key) này đã dùng cho một lần tiếp nhận có nội dung khác; "
                "không tiếp nhận thêm. Mỗi hồ sơ mới cần một khóa mới."
            )
        )


def clean_idempotency_key(key):
    """The key as given, or ValidationError (field `idempotency_key`): 1–100 printable ASCII characters."""
    key = key if isinstance(key, str) else ""
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        message = _("Khóa chống gửi trùng (Idempotency-Key) phải dài từ 1 đến %(max)s ký tự.") % {
            "max": KEY_MAX_LENGTH
        }
    elif PRINTABLE_ASCII.fullmatch(key):
        return key
    else:
        bad = next(c for c in key if not PRINTABLE_ASCII.fullmatch(c))
        if ord(bad) < 0x20 or ord(bad) == 0x7F:
            message = _(
                "Khóa chống gửi trùng (Idempotency-Key) có ký tự điều khiển không nhìn thấy (%(code)s); chỉ dùng "
                "chữ không dấu, chữ số và dấu câu ASCII."
            ) % {"code": f"U+{ord(bad):04X}"}
        else:
            message = _(
                "Khóa chống gửi trùng (Idempotency-Key) chỉ gồm chữ không dấu, chữ số và dấu câu ASCII "
                "(có ký tự “%(char)s”, %(code)s)."
            ) % {"char": bad, "code": f"U+{ord(bad):04X}"}
    raise ValidationError({"idempotency_key": [message]}, code="idempotency_key")


def _plain(name, value):
    if name == "present":  # the components brought, as the intake reads them: a set of indexes
        return sorted({int(i) for i in value})
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):  # one instant, whatever offset it was written with
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    return value


def fingerprint(actor, intake):
    """SHA-256 of the intake as two requests are compared: every argument of `receive_dossier` (defaults filled
    in, so leaving one out and sending its default are the same intake), records by id, instants in UTC, the
    components as a sorted set. Applicant data enters only hashed, and the row is purged with the key."""
    bound = _INTAKE.bind(actor, **intake)
    bound.apply_defaults()
    canonical = {name: _plain(name, value) for name, value in bound.arguments.items() if name != "actor"}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def receive_dossier_once(actor, key, **intake):
    """`receive_dossier(actor, **intake)` at most once per (actor, key); see the module's docstring.

    Returns `IntakeOnce`; raises ValidationError (a bad key, field `idempotency_key`; or the intake's own, by
    field), `IntakeKeyReused`, or PermissionDenied outside the actor's commune (before any key is looked at).
    Without a key (None) it is `receive_dossier` as it is: nothing guards a retry."""
    if key is None:
        return IntakeOnce(receive_dossier(actor, **intake), replayed=False)
    key = clean_idempotency_key(key)
    require_receive(actor, intake["commune"].pk)
    digest = fingerprint(actor, intake)
    # A plain retry finds its key at once: no insert to fail (PostgreSQL logs every unique violation as an error).
    stored = _stored(actor, key)
    if stored is None:
        stored = _claim_or_wait(actor, key, digest, intake)
        if isinstance(stored, IntakeOnce):
            return stored
    outcome = IntakeResult(stored.intake_check, stored.dossier)
    if stored.fingerprint != digest:
        raise IntakeKeyReused(outcome)
    return IntakeOnce(outcome, replayed=True)


def _stored(actor, key):
    return IntakeKey.objects.of(actor).select_related("intake_check", "dossier").filter(key=key).first()


def _claim_or_wait(actor, key, digest, intake):
    """Claim the key and run the intake (`IntakeOnce`), or, when another request holds it, its stored row."""
    for _attempt in range(2):
        with transaction.atomic():
            try:
                # A savepoint: losing the race to another request with this key leaves the transaction usable.
                with transaction.atomic():
                    claim = IntakeKey.objects.create(user=actor, key=key, fingerprint=digest)
            except IntegrityError:
                claim = None
            if claim is not None:
                result = receive_dossier(actor, **intake)
                claim.intake_check, claim.dossier = result.check, result.dossier
                claim.save(update_fields=["intake_check", "dossier"])
                return IntakeOnce(result, replayed=False)
        # Read after the savepoint's rollback: the other request's row is committed (we waited for it).
        stored = _stored(actor, key)
        if stored is not None:
            return stored
        # Purged between our insert and this read (it had expired): the key is free again, claim it.
    raise RuntimeError(f"idempotency key of user {actor.pk} neither free nor stored")


def purge_intake_keys(now=None):
    """Delete the keys older than SERVICEDESK_IDEMPOTENCY_DAYS (the worker runs this every hour); their count."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.get("SERVICEDESK_IDEMPOTENCY_DAYS"))
    return IntakeKey.objects.created_before(cutoff).delete()[0]
