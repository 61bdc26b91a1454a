"""Attachments: only document and image types, checked by extension AND by their first bytes, with a size cap."""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicdesk.kernel.actors import person

from .. import conf
from ..models import Attachment

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → (content type, accepted leading bytes; None = plain text)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".txt": ("text/plain", None),
}


def allowed_extensions():
    return ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED))


def check(name, head, size):
    """Raise a Vietnamese ValidationError if the file is not an accepted type or too large; else its type."""
    ext = PurePosixPath(name or "").suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("Tệp “%(name)s”: chỉ nhận các loại %(types)s.") % {"name": name, "types": allowed_extensions()}
        )
    max_mb = conf.get("HOTLINE_ATTACHMENT_MAX_MB")
    if size > max_mb * 1024 * 1024:
        raise ValidationError(_("Tệp “%(name)s” quá lớn (tối đa %(mb)s MB).") % {"name": name, "mb": max_mb})
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    content_type, magic = ALLOWED[ext]
    if magic is None:
        if b"\x00" in head:
            raise ValidationError(_("Tệp “%(name)s” không phải văn bản thuần.") % {"name": name})
    elif not any(head.startswith(m) for m in magic):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng với đuôi %(ext)s.") % {"name": name, "ext": ext}
        )
    return content_type


def check_upload(upload):
    """Check a Django UploadedFile without consuming it."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return check(upload.name, head, upload.size)


def check_many(uploads):
    uploads = [u for u in uploads if u]
    limit = conf.get("HOTLINE_ATTACHMENT_MAX_FILES")
    if len(uploads) > limit:
        raise ValidationError(_("Tối đa %(n)s tệp đính kèm mỗi lần.") % {"n": limit})
    for upload in uploads:
        check_upload(upload)
    return uploads


def store(ticket, upload, *, actor, message=None):
    """Save an already checked upload (UploadedFile) as an attachment of `ticket`, uploaded by `actor`."""
    content_type = check_upload(upload)
    attachment = Attachment(
        ticket=ticket,
        message=message,
        name=PurePosixPath(upload.name).name[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=person(actor),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment
