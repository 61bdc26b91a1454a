"""Helpers shared by the staffing views."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ..access import require_planner


def planner_province(request):
    """The province a planner works on; anyone else gets a 403."""
    require_planner(request.user)
    if request.user.province is None:
        raise Http404
    return request.user.province


def page(request, template, partial, context, status=200):
    """The full page, or its `includes/` partial for an htmx request."""
    return render(request, partial if request.htmx and partial else template, context, status=status)


def csv_response(filename, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def validation_messages(exc):
    return exc.messages if hasattr(exc, "messages") else [str(exc)]
