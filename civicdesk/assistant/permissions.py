"""Who may do what in the assistant. A conversation is its asker's (`Conversation.objects.visible_to`); the
questions answered badly ("gaps") are for the people who can fix the handbook."""

from civicdesk.kernel.roles import DEPARTMENT_ROLES, Role


def can_see_gaps(user):
    """Editors of content: the province admin and department experts (they write the handbook)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.role == Role.PROVINCE_ADMIN or user.role in DEPARTMENT_ROLES
