"""Province admins upload the provincial one-stop system's CSV; the import runs as a job with progress."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from .. import services
from ..forms import ImportForm


@login_required
def import_page(request):
    if not request.user.is_province_admin:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_import(request.user, form.cleaned_data["file"])
        return redirect("job_detail", job_id=job.pk)
    return render(request, "servicedesk/import.html", {"form": form}, status=400 if form.errors else 200)
