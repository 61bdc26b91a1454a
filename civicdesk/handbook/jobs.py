"""Background jobs of the handbook (started from pages with civicdesk.core.jobs.start_job)."""

from django.urls import reverse

from civicdesk.core.models import User


def run_import(*, job, text, actor_id, source_name=""):
    """Import an uploaded file that the page already checked; the result links back to the editor's queue."""
    from .services import import_text

    actor = User.objects.get(pk=actor_id)
    job(5, "Đang kiểm tra và ghi dữ liệu…")
    report = import_text(text, actor=actor, source_name=source_name)
    if not report.ok:
        # The data changed between the check and the job (another import); nothing was written.
        raise ValueError("; ".join(report.errors[:5]))
    job(100, f"{report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi")
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "url": reverse("handbook:queue"),
    }
