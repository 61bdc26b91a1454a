"""Which workflow buttons a user sees on a record (the services check the same rules again when clicked)."""

from django.db.models import Q

from civicdesk.core.models import User
from civicdesk.kernel.roles import Role

from . import permissions
from .models import Content
from .records import authors_since_publication

Status = Content.Status


def eligible_reviewers(record, exclude=None):
    """Experts of the responsible department and the province admins, except `exclude` (the submitter)."""
    q = Q(role=Role.PROVINCE_ADMIN)
    if record.department_id:
        q |= Q(role=Role.DEPARTMENT_EXPERT, department_id=record.department_id)
        q &= Q(province_id=record.department.province_id)
    users = User.objects.filter(q, is_active=True).order_by("full_name")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users


def workflow_context(user, record):
    state = record.workflow_state
    archived = record.status == Status.ARCHIVED
    can_edit = permissions.can_edit(user, record)
    can_review = permissions.can_review(user, record)
    refusal = None
    if state == Status.IN_REVIEW and not archived:
        refusal = permissions.publish_refusal(user, record, authors_since_publication(record))
    actions = {
        "edit": can_edit and not archived,
        "submit": can_edit and state == Status.DRAFT and not archived,
        "publish": state == Status.IN_REVIEW and not archived and refusal is None,
        "return": (state == Status.IN_REVIEW and not archived and (can_edit or can_review))
        or (archived and can_review),
        "archive": can_review and not archived,
        "verify": can_review and not archived,
    }
    return {
        "state": state,
        "actions": actions,
        "any_action": any(actions.values()),
        "can_history": can_edit or can_review,
        "pending": record.pending_revision if record.pending_revision_id else None,
        "publish_refusal": refusal if state == Status.IN_REVIEW and can_review else None,
        "reviewers": eligible_reviewers(record, exclude=user) if actions["submit"] else [],
    }
