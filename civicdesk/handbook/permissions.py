"""Who may write handbook content (docs/handbook.md, "Workflow and permissions").

- Editors are the experts of the record's responsible department (`Content.department`) and province admins.
  A record with no department yet may be edited by any department expert.
- Reviewers (publish, archive, verify) are the experts of the responsible department and province admins; a record
  with no department can only be reviewed by a province admin.
- Four eyes: nobody publishes a change they authored (any revision since the last publication), so a reviewer is
  always a second person. The system (`kernel.actors.system`: seed, command-line import) is exempt.
- Legal texts (the catalogue of what the handbook cites, `legal_texts.py`) are kept by any editor: a change of law
  concerns every department whose records cite the text, and marking a text superseded only asks each responsible
  department to check its records again (their reviewers verify them, as above).
- Commune roles, planners and volunteers read published content and never write; corrections reach the handbook
  through the hotline, whose operators may create FAQ drafts (`services.create_faq_draft`).
"""

from django.utils.translation import gettext as _

from civicdesk.kernel.roles import Role


def _admin(user):
    return user.is_superuser or user.role == Role.PROVINCE_ADMIN


def is_editor(user):
    """A user who has an editor's queue: province admins and department experts."""
    return bool(user and user.is_authenticated and user.is_active) and (
        _admin(user) or (user.role == Role.DEPARTMENT_EXPERT and user.department_id is not None)
    )


def _of_department(user, department_id):
    return (
        user.role == Role.DEPARTMENT_EXPERT
        and department_id is not None
        and user.department_id == department_id
    )


def can_create(user, department_id):
    """Whether `user` may create a record whose responsible department is `department_id`."""
    if not is_editor(user):
        return False
    return _admin(user) or department_id is None or _of_department(user, department_id)


def can_edit(user, record):
    if not is_editor(user):
        return False
    return _admin(user) or record.department_id is None or _of_department(user, record.department_id)


def can_review(user, record):
    """Eligible to review this record at all (department expert of the record, or province admin)."""
    if not is_editor(user):
        return False
    return _admin(user) or _of_department(user, record.department_id)


def can_manage_legal_texts(user):
    """Add and edit legal texts, build the catalogue from the records, mark a text superseded or in force again."""
    return is_editor(user)


def publish_refusal(user, record, authors):
    """Why `user` may not publish the pending change of `record` (None when they may). `authors`: its authors' ids."""
    if not can_review(user, record):
        if record.department_id is None:
            return _("Nội dung chưa có sở, ngành chịu trách nhiệm: chỉ quản trị cấp tỉnh được duyệt.")
        return _(
            "Chỉ chuyên viên của sở, ngành chịu trách nhiệm (%(dept)s) hoặc quản trị cấp tỉnh được duyệt."
        ) % {"dept": record.department}
    if user.pk in authors:
        return _("Bạn đã soạn thay đổi này nên không thể tự duyệt; cần một người duyệt khác.")
    return None
