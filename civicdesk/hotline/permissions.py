"""Who may do what on a ticket. Visibility is `Ticket.objects.visible_to`; these decide the 403s."""

from civicdesk.kernel.roles import Role

COMMUNE_ACTORS = (Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER)
PROVINCE_DESK = (Role.PROVINCE_ADMIN, Role.HOTLINE_OPERATOR)


def is_province_desk(user, province_id):
    """Province admin or hotline operator of that province (they triage, assign and log calls)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in PROVINCE_DESK and user.province_id == province_id


def is_team_member(user, team):
    return team is not None and team.has_member(user)


def is_team_leader(user, team):
    return team is not None and user.is_authenticated and getattr(team.leader_user, "pk", None) == user.pk


def can_answer(user, ticket):
    """Experts of the ticket's team, its assignee, and the province desk work on the answer."""
    return (
        is_province_desk(user, ticket.province_id)
        or (ticket.assignee_id is not None and ticket.assignee_id == user.pk)
        or is_team_member(user, ticket.team)
    )


def can_manage(user, ticket):
    """Assign to someone else, merge: the team leader and the province desk."""
    return is_province_desk(user, ticket.province_id) or is_team_leader(user, ticket.team)


def is_commune_party(user, ticket):
    """The asking side: the commune's leader and officers."""
    return (
        user.is_authenticated
        and user.role in COMMUNE_ACTORS
        and user.commune_id is not None
        and user.commune_id == ticket.commune_id
    )


def can_manage_team(user, team):
    """Strategy, leader and canned replies of a team: its leader and the province admin."""
    return is_province_admin_of(user, team.province_id) or is_team_leader(user, team)


def is_province_admin_of(user, province_id):
    return user.is_authenticated and (
        user.is_superuser or (user.role == Role.PROVINCE_ADMIN and user.province_id == province_id)
    )
