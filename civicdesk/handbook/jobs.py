"""The handbook's background jobs: the entry points the worker runs (`core.jobs.start_job`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from civicdesk.core.models import User

from . import transfer


def run_import(*, job, text, actor_id, source_name=""):
    """Import an uploaded file that `services.start_import` already checked; the result links to the queue."""
    actor = User.objects.get(pk=actor_id)
    job(5, _("Đang kiểm tra và ghi dữ liệu…"))
    report = transfer.import_text(text, actor=actor, source_name=source_name)
    if not report.ok:
        # The data changed between the check and the job (another import); nothing was written.
        raise ValueError("; ".join(report.errors[:5]))
    job(
        100,
        _("%(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "url": reverse("handbook:queue"),
    }
