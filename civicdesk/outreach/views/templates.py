"""Message templates of the commune (and the province's, read-only to communes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import permissions, services
from ..forms import TemplateForm, add_service_errors
from ..models import MessageTemplate


@login_required
def message_templates(request, pk=None):
    user = request.user
    if (
        not (user.commune_id and permissions.can_run_commune(user, user.commune))
        and not user.is_province_admin
    ):
        raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo xã hoặc quản trị cấp tỉnh sửa mẫu tin nhắn."))
    rows = MessageTemplate.objects.visible_to(user)
    template = get_object_or_404(rows, pk=pk) if pk else None
    editable = template is None or template.commune_id == user.commune_id
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and editable and form.is_valid():
        try:
            saved = services.save_template(
                user,
                province=user.province,
                commune=user.commune if user.commune_id else None,
                data=form.cleaned_data,
                template=template,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mẫu “%(name)s”.") % {"name": saved.name})
            return redirect("outreach:templates")
    return render(
        request,
        "outreach/templates.html",
        {
            "rows": rows.select_related("commune"),
            "form": form,
            "template": template,
            "editable": editable,
            "fields": services.messages.PLACEHOLDERS,
        },
    )
