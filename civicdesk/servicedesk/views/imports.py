"""Province admins upload the provincial one-stop system's CSV; the import runs as a job with progress."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicdesk.core.jobs import start_job

from ..forms import ImportForm


@login_required
def import_page(request):
    if not request.user.is_province_admin:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = settings.MEDIA_ROOT / "servicedesk-imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.csv"
        with open(path, "wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        job = start_job(
            request.user,
            "servicedesk.import",
            _("Nhập hồ sơ từ hệ thống một cửa của tỉnh"),
            "civicdesk.servicedesk.services.importer.import_job",
            path=str(path),
            user_id=request.user.pk,
        )
        return redirect("job_detail", job_id=job.pk)
    return render(request, "servicedesk/import.html", {"form": form}, status=400 if form.errors else 200)
