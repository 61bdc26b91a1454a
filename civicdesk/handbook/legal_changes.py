"""Changes of law (docs/handbook.md, "Legal texts and changes of law"): a legal text marked superseded flags every
record that cites it, and reviewers close the flags.

- `mark_superseded` records that a text was replaced (optionally naming its successor) and flags every record that
  cites it (`LegalFlag`): its verification goes back to "needs verification" with a note naming both texts, so it
  enters its department's review queue, and its page shows the warning. Marking again flags only the records that
  cite the text and were never flagged for it: it is idempotent.
- `confirm_unchanged` lets a reviewer close, in one go, the flags of records nobody edited since the flag: the record
  is "still right after the change of law". A record edited since goes through the normal review (`review.py`).
- `close_flags` is what verifying a record (`services.mark_verified`) does to its open flags.

Every write checks permissions, runs in a transaction and is audited.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system, person

from . import citations, permissions
from .hooks import run_hooks
from .legal_texts import catalogue_keys, citing_records, digest_related, require_manager, save_legal_text
from .models import Content, LegalFlag, LegalText
from .records import content_digest, set_verification

Status = Content.Status
Verification = Content.Verification


def flag_note(legal_text, when=None):
    """The sentence written into a flagged record's verification note, naming the text and its successor."""
    when = date_format(timezone.localtime(when or timezone.now()), "d/m/Y")
    if legal_text.superseded_by_id:
        return _(
            "Văn bản %(text)s đã bị thay thế bởi %(successor)s (ghi nhận %(day)s): kiểm tra lại nội dung."
        ) % {
            "text": legal_text.identifier,
            "successor": legal_text.superseded_by.identifier,
            "day": when,
        }
    return _("Văn bản %(text)s đã bị thay thế (ghi nhận %(day)s): kiểm tra lại nội dung.") % {
        "text": legal_text.identifier,
        "day": when,
    }


def _check_successor(legal_text, successor):
    """A text may not succeed itself, even through a chain (read from the database, not from stale instances)."""
    if successor is None:
        return
    seen, current = {legal_text.pk}, successor.pk
    while current is not None:
        if current in seen:
            raise ValidationError({"successor": [_("Một văn bản không thể thay thế chính nó.")]})
        seen.add(current)
        current = LegalText.objects.filter(pk=current).values_list("superseded_by", flat=True).first()


@dataclass
class FlagReport:
    flagged: list  # records flagged now
    already: int  # records citing the text that were flagged for it before


def _successor(actor, value):
    """The successor named by `value`: a LegalText, or an identifier (added to the catalogue when it is new)."""
    if value is None or isinstance(value, LegalText):
        return value
    value = " ".join(str(value).split())
    if not value:
        return None
    key = citations.key_of(value)
    if not key:
        raise ValidationError(
            {"successor": [_("Không đọc được số hiệu “%(text)s” (ví dụ: 120/2025/NĐ-CP).") % {"text": value}]}
        )
    existing = catalogue_keys().get(key)
    if existing is not None:
        return existing
    try:
        return save_legal_text(actor, None, {"identifier": value})
    except ValidationError as exc:
        raise ValidationError({"successor": exc.messages}) from exc


@transaction.atomic
def mark_superseded(actor, legal_text, *, superseded_by=None, note=""):
    """Record that `legal_text` was replaced (by `superseded_by` when known: a LegalText, or an identifier that is
    added to the catalogue if new) and flag every record citing it.

    Marking a superseded text again (with the same or another successor) updates the successor and flags the
    records that cite it and were never flagged for it; records flagged before keep their flag. Returns FlagReport.
    """
    require_manager(actor)
    legal_text = LegalText.objects.select_for_update().get(pk=legal_text.pk)
    superseded_by = _successor(actor, superseded_by)
    _check_successor(legal_text, superseded_by)
    old = {"status": legal_text.status, "superseded_by": legal_text.superseded_by_id}
    legal_text.status = LegalText.Status.SUPERSEDED
    legal_text.superseded_by = superseded_by
    if note:
        legal_text.note = note
    new = {"status": legal_text.status, "superseded_by": legal_text.superseded_by_id}
    if old != new or note:
        legal_text.superseded_at = legal_text.superseded_at or timezone.now()
        legal_text.updated_by = person(actor)
        legal_text.save()
        audit.record(
            actor,
            audit.Action.TRANSITION,
            legal_text,
            changes={
                "status": [old["status"], new["status"]],
                "superseded_by": superseded_by.identifier if superseded_by else None,
            },
            reason=note,
        )
    return flag_citing(actor, legal_text)


@transaction.atomic
def flag_citing(actor, legal_text):
    """Flag the records citing a superseded `legal_text` that were never flagged for it (see `mark_superseded`)."""
    require_manager(actor)
    if not legal_text.is_superseded:
        raise ValidationError(_("Chỉ gắn cờ khi văn bản đã bị thay thế."))
    now = timezone.now()
    sentence = flag_note(legal_text, now)
    flagged, already, published = [], 0, None
    done = set(legal_text.flags.values_list("content_type_id", "object_id"))
    todo = []
    for record in citing_records(legal_text):
        content_type = ContentType.objects.get_for_model(record)
        if (content_type.pk, record.pk) in done:
            already += 1
            continue
        flag = LegalFlag(
            content_type=content_type,
            object_id=record.pk,
            legal_text=legal_text,
            flagged_by=person(actor),
            content_hash=content_digest(record),
        )
        todo.append((flag, record))
    # The unique (record, text) constraint stops a concurrent run from flagging a record twice: it fails instead.
    LegalFlag.objects.bulk_create([flag for flag, _record in todo], batch_size=500)
    for _flag, record in todo:
        old = record.verification
        previous = record.verification_note.strip()
        note = sentence if not previous or sentence in previous else f"{sentence}\n{previous}"
        set_verification(record, Verification.NEEDS_VERIFICATION, note)
        audit.record(
            actor,
            audit.Action.UPDATE,
            record,
            changes={
                "verification": [old, record.verification],
                "legal_text": legal_text.identifier,
                "superseded_by": legal_text.superseded_by.identifier if legal_text.superseded_by_id else None,
            },
            reason=sentence[:255],
        )
        flagged.append(record)
        if record.status == Status.PUBLISHED:
            published = record
    if published is not None:
        run_hooks(published)  # once, like an import: the index reads the verification state
    return FlagReport(flagged=flagged, already=already)


@transaction.atomic
def reinstate(actor, legal_text, reason):
    """Undo a mistaken "superseded": the text is in force again and its open flags close as withdrawn. The records
    keep "needs verification" (nobody checked them); their reviewers verify them as usual."""
    require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lý do đưa văn bản về “còn hiệu lực”.")]})
    legal_text = LegalText.objects.select_for_update().get(pk=legal_text.pk)
    if not legal_text.is_superseded:
        raise ValidationError(_("Văn bản này đang được ghi là còn hiệu lực."))
    closed = legal_text.flags.open().update(
        resolution=LegalFlag.Resolution.WITHDRAWN,
        resolved_at=timezone.now(),
        resolved_by=person(actor),
        note=reason,
    )
    legal_text.status = LegalText.Status.IN_FORCE
    legal_text.superseded_by = None
    legal_text.superseded_at = None
    legal_text.updated_by = person(actor)
    legal_text.save()
    audit.record(
        actor,
        audit.Action.TRANSITION,
        legal_text,
        changes={
            "status": [LegalText.Status.SUPERSEDED, LegalText.Status.IN_FORCE],
            "flags_withdrawn": closed,
        },
        reason=reason[:255],
    )
    return legal_text


def open_flags(record):
    return list(LegalFlag.objects.of(record).open().select_related("legal_text__superseded_by"))


def close_flags(actor, record, resolution, note=""):
    """Close the open flags of `record` (it was verified): returns the identifiers of their legal texts."""
    flags = open_flags(record)
    if flags:
        LegalFlag.objects.filter(pk__in=[f.pk for f in flags]).update(
            resolution=resolution, resolved_at=timezone.now(), resolved_by=person(actor), note=note
        )
    return [f.legal_text.identifier for f in flags]


@dataclass
class FlagRow:
    """A flag on the legal text's page: its record, whether it was edited since, whether `user` may confirm it."""

    flag: LegalFlag
    record: object
    changed: bool
    can_review: bool

    @property
    def can_confirm(self):
        return self.flag.is_open and not self.changed and self.can_review


def _records_of(flags, user=None):
    """{(content type id, object id): record} for `flags`, one query per kind (only those `user` reads, if given)."""
    by_type = defaultdict(list)
    for flag in flags:
        by_type[flag.content_type_id].append(flag.object_id)
    records = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        qs = model.objects.visible_to(user) if user is not None else model.objects.all()
        qs = (
            qs.filter(pk__in=ids)
            .select_related(*digest_related(model.kind))
            # What `records.content_digest` reads, for all of them at once.
            .prefetch_related("related" if model.kind == "procedure" else "related_procedures")
        )
        records.update({(content_type_id, r.pk): r for r in qs})
    return records


def flag_rows(legal_text, user):
    """The flags of `legal_text` on records `user` may read, open ones first."""
    flags = list(legal_text.flags.select_related("resolved_by").order_by("resolved_at", "pk"))
    records = _records_of(flags, user)
    rows = []
    for flag in flags:
        record = records.get((flag.content_type_id, flag.object_id))
        if record is None:
            continue
        rows.append(
            FlagRow(
                flag=flag,
                record=record,
                changed=content_digest(record) != flag.content_hash,
                can_review=permissions.can_review(user, record),
            )
        )
    rows.sort(key=lambda row: (not row.flag.is_open, row.changed, row.record.kind, row.record.key))
    return rows


def _other_open_flags(legal_text, records):
    """{(content type id, record id): [identifiers]} of the open flags of other texts on `records`."""
    q = Q(pk__in=[])
    by_type = defaultdict(list)
    for record in records:
        by_type[ContentType.objects.get_for_model(record).pk].append(record.pk)
    for content_type_id, ids in by_type.items():
        q |= Q(content_type_id=content_type_id, object_id__in=ids)
    found = defaultdict(list)
    flags = LegalFlag.objects.open().filter(q).exclude(legal_text=legal_text).select_related("legal_text")
    for flag in flags.order_by("pk"):
        found[(flag.content_type_id, flag.object_id)].append(flag.legal_text.identifier)
    return found


@transaction.atomic
def confirm_unchanged(actor, legal_text, flag_ids, note=""):
    """A reviewer confirms that the records of `flag_ids` (flags of `legal_text`) are still right after the change
    of law, all in one go. Each must be unchanged since its flag and reviewable by the actor, or nothing is written
    (ValidationError naming them). Flags already closed are skipped, so posting twice changes nothing. A record with
    no other open flag becomes verified now, by the actor; each record is audited. Returns the records confirmed.
    """
    if is_system(actor):
        raise PermissionDenied(_("Xác nhận phải do một người duyệt có tên thực hiện."))
    if not permissions.is_editor(actor):
        raise PermissionDenied(_("Chỉ chuyên viên sở, ngành và quản trị cấp tỉnh được xác nhận."))
    ids = {int(i) for i in flag_ids if str(i).isdigit()}
    if not ids:
        raise ValidationError(_("Hãy chọn ít nhất một nội dung."))
    flags = list(legal_text.flags.select_for_update().filter(pk__in=ids))
    if len(flags) != len(ids):
        raise ValidationError(_("Có mục đã chọn không thuộc văn bản này."))
    problems, todo = [], []
    records = _records_of([flag for flag in flags if flag.is_open])
    for flag in flags:
        if not flag.is_open:
            continue
        record = records.get((flag.content_type_id, flag.object_id))
        if record is None:
            continue
        if not permissions.can_review(actor, record):
            problems.append(
                _(
                    "%(record)s: chỉ chuyên viên của sở, ngành chịu trách nhiệm hoặc quản trị cấp tỉnh được xác nhận."
                )
                % {"record": record.title}
            )
        elif content_digest(record) != flag.content_hash:
            problems.append(
                _("%(record)s: nội dung đã được sửa sau khi gắn cờ; hãy duyệt riêng.")
                % {"record": record.title}
            )
        elif record.status == Status.ARCHIVED:
            problems.append(_("%(record)s: nội dung đã lưu trữ.") % {"record": record.title})
        else:
            todo.append((flag, record))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    day = date_format(timezone.localtime(now), "d/m/Y")
    note = (note or "").strip()
    sentence = _("Vẫn đúng sau khi văn bản %(text)s bị thay thế (%(who)s xác nhận ngày %(day)s).") % {
        "text": legal_text.identifier,
        "who": actor.get_full_name(),
        "day": day,
    }
    if note:
        sentence = f"{sentence} {note}"
    confirmed, published = [], None
    others = _other_open_flags(legal_text, [record for _flag, record in todo])
    for flag, record in todo:
        flag.resolution = LegalFlag.Resolution.CONFIRMED
        flag.resolved_at, flag.resolved_by, flag.note = now, actor, note
        flag.save(update_fields=["resolution", "resolved_at", "resolved_by", "note"])
        old = record.verification
        remaining = others.get((flag.content_type_id, record.pk), [])
        if remaining:
            # Another change of law is still to be checked on this record.
            set_verification(
                record, Verification.NEEDS_VERIFICATION, f"{sentence}\n{record.verification_note}"
            )
        else:
            set_verification(record, Verification.VERIFIED, sentence, verified_by=actor, verified_at=now)
        audit.record(
            actor,
            audit.Action.UPDATE,
            record,
            changes={
                "verification": [old, record.verification],
                "verified_at": now.isoformat(),
                "legal_text": legal_text.identifier,
                "legal_flag": LegalFlag.Resolution.CONFIRMED.value,
                "flags_open": remaining,
            },
            reason=sentence[:255],
        )
        confirmed.append(record)
        if record.status == Status.PUBLISHED:
            published = record
    if published is not None:
        run_hooks(published)
    return confirmed
