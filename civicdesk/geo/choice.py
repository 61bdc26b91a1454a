"""Which commune a commune workspace page is about."""

from django.http import Http404

from .models import Commune


def commune_of_request(request):
    """The user's own commune; for a province role, the visible commune named by `?commune=<code>` (query or form),
    or None when none is named (the page then offers the list). A code the user may not see is a 404."""
    user = request.user
    if user.commune_id:
        return user.commune
    code = request.GET.get("commune") or request.POST.get("commune")
    if not code:
        return None
    try:
        return Commune.objects.visible_to(user).get(code=int(code))
    except (Commune.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
