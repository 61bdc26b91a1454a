from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def index(request):
    """Commune roles land on their dossier register; province roles on the dashboard."""
    if request.user.is_commune_user:
        return redirect("servicedesk:dossiers")
    return redirect("servicedesk:dashboard")
