"""Helpers shared by the staffing views."""

from django.http import Http404
from django.shortcuts import render

from civicdesk.core import exports

from ..permissions import require_planner


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
    """The planner's CSV files are the import formats (column codes as headers, so an export re-imports as it is);
    every cell is neutralised on the way out (`core.exports`)."""
    return exports.csv_response(filename, header, rows)


def validation_messages(exc):
    return exc.messages if hasattr(exc, "messages") else [str(exc)]
