"""Photos of documents the team took with a dossier in the hamlet, sent after the dossier, once each.

The phone compresses each photo (JPEG, longest side ≤ 1600 px) and sends it under its own client UUID with the
SHA-256 of its bytes. `dossier_for(actor, dossier_uuid)` finds the dossier (it must have been synced first: the
phone sends the dossier, then its photos) and checks the caller before the body is read; `attach(actor, record,
attachment_uuid, ...)` checks the hash (a body cut or damaged on a weak mobile link is refused, and the phone sends
it again), keeps the file in the default storage, and is idempotent like the dossier's sync — the same bytes again
answer "already here", other bytes under the same UUID are refused.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.servicedesk.permissions import can_receive, can_see_personal_data

from ..models import FieldAttachment, FieldDossier
from .sync import SyncRefused

MAX_BYTES = 2 * 1024 * 1024
MAX_PER_DOSSIER = 10
# What each accepted type starts with: a body that is not what it says it is (a renamed file, an HTML error page
# saved as a photo) is refused rather than kept as evidence nobody can open.
TYPES = {
    "image/jpeg": ("jpg", (b"\xff\xd8\xff",)),
    "image/png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    "application/pdf": ("pdf", (b"%PDF-",)),
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class AttachOutcome:
    attachment: FieldAttachment
    created: bool  # False: these bytes were already here under this UUID (a retry)

    @property
    def http_status(self):
        return 201 if self.created else 200


def too_large():
    return SyncRefused(
        413,
        "too_large",
        _("Tệp lớn hơn %(mb)s MB: hãy chụp lại hoặc nén nhỏ hơn.") % {"mb": MAX_BYTES // (1024 * 1024)},
        max_bytes=MAX_BYTES,
    )


def check_body(content_type, body, sha256):
    """The refusals that need no database: type, size, hash. Returns the file's extension."""
    if content_type not in TYPES:
        raise SyncRefused(
            415, "unsupported_type", _("Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."), accepted=sorted(TYPES)
        )
    if not body:
        raise SyncRefused(422, "empty", _("Tệp gửi lên trống."))
    if len(body) > MAX_BYTES:
        raise too_large()
    extension, signatures = TYPES[content_type]
    if not body.startswith(signatures):
        raise SyncRefused(
            422, "wrong_type", _("Nội dung tệp không đúng loại %(type)s.") % {"type": content_type}
        )
    expected = (sha256 or "").strip().lower()
    if not SHA256.match(expected):
        raise SyncRefused(
            422, "bad_hash", _("Thiếu mã SHA-256 của tệp (header X-Content-SHA256, 64 ký tự hex).")
        )
    if hashlib.sha256(body).hexdigest() != expected:
        raise SyncRefused(
            422,
            "hash_mismatch",
            _("Tệp nhận được không khớp mã SHA-256 (đường truyền bị lỗi): máy sẽ gửi lại."),
        )
    return extension


def dossier_for(actor, dossier_uuid):
    """The synced field dossier a photo is for: 404 before it is synced, 403 for another commune's people. Checked
    before anything is read from the body."""
    record = FieldDossier.objects.filter(uuid=dossier_uuid).first()
    if record is None:
        raise SyncRefused(
            404, "not_found", _("Hệ thống chưa có hồ sơ này: máy gửi hồ sơ trước, rồi mới gửi ảnh của hồ sơ.")
        )
    if not can_receive(actor, record.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được gửi ảnh hồ sơ nhận tại thôn."))
    return record


def attach(actor, record, attachment_uuid, *, content_type, body, sha256):
    """Keep one photo of the field dossier `record` (from `dossier_for`; see the module docstring); returns
    `AttachOutcome`, raises `SyncRefused` (409 / 413 / 415 / 422) or `PermissionDenied`."""
    if not can_receive(actor, record.commune_id):
        raise PermissionDenied(_("Chỉ cán bộ hoặc tổ lưu động của xã được gửi ảnh hồ sơ nhận tại thôn."))
    extension = check_body(content_type, body, sha256)
    digest = sha256.strip().lower()
    with transaction.atomic():
        # One dossier's photos are taken one at a time: the count and a retry racing its first attempt stay right.
        FieldDossier.objects.select_for_update().filter(pk=record.pk).first()
        existing = FieldAttachment.objects.filter(uuid=attachment_uuid).first()
        if existing is not None:
            if existing.field_dossier_id == record.pk and existing.sha256 == digest:
                return AttachOutcome(existing, False)
            raise SyncRefused(
                409,
                "uuid_reused",
                _("Mã định danh %(uuid)s đã dùng cho một tệp khác; tệp đã có được giữ nguyên.")
                % {"uuid": attachment_uuid},
            )
        if FieldAttachment.objects.filter(field_dossier=record).count() >= MAX_PER_DOSSIER:
            raise SyncRefused(
                422,
                "too_many",
                _("Mỗi hồ sơ kèm tối đa %(n)s ảnh, tệp.") % {"n": MAX_PER_DOSSIER},
                max_files=MAX_PER_DOSSIER,
            )
        name = default_storage.save(
            f"mobile/{record.commune_id}/{record.uuid}/{attachment_uuid}.{extension}", ContentFile(body)
        )
        try:
            with transaction.atomic():
                attachment = FieldAttachment.objects.create(
                    uuid=attachment_uuid, field_dossier=record, file=name, content_type=content_type,
                    size=len(body), sha256=digest, uploaded_at=timezone.now(), uploaded_by=actor,
                )  # fmt: skip
        except IntegrityError:  # the same UUID sent for another dossier in the same instant
            default_storage.delete(name)
            raise SyncRefused(
                409,
                "uuid_reused",
                _("Mã định danh %(uuid)s đã dùng cho một tệp khác.") % {"uuid": attachment_uuid},
            ) from None
        audit.record(
            actor, audit.Action.CREATE, attachment, changes={"size": attachment.size, "type": content_type}
        )
    return AttachOutcome(attachment, True)


def open_for(actor, attachment, *, reason=""):
    """The file of `attachment`, for the commune's officers and leaders (it shows personal papers): read logged."""
    if not can_see_personal_data(actor, attachment.field_dossier.commune_id):
        raise PermissionDenied(_("Chỉ công chức, lãnh đạo xã xem được ảnh giấy tờ của người dân."))
    audit.record_view(actor, attachment, fields=["file"], reason=reason)
    return attachment.file.open("rb")
