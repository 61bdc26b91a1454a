"""The assistant's home-page card: a question box (and, for editors, the count of unanswered questions)."""

from .models import Turn, can_see_gaps


def assistant_panel(request):
    unanswered = 0
    if can_see_gaps(request.user):
        unanswered = Turn.objects.for_gaps(request.user).filter(answered=False).count()
    return {"unanswered": unanswered}
