"""Who acts when no person does: the demo loader, a management command, a scheduled task.

Every service function takes the `actor` first. A person is a `core.User` and goes through the app's permission
checks. Anything else is a `SystemActor` with a name ("demo", "command dossiers import", "SLA auto-close"): it is
allowed what the system does, and the audit log records its name instead of a person. `None` is not an actor: a
service called with `None` refuses with `MissingActor`, so a forgotten argument never turns into full rights.

    from civicdesk.kernel.actors import system
    services.import_dossiers(system("lệnh dossiers import"), text)
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


class MissingActor(TypeError):
    """A service was called without an actor (None). Pass the user, or `system(name)` for the system itself."""


@dataclass(frozen=True)
class SystemActor:
    """The system acting by itself, under a name the audit log and the history show."""

    name: str  # or a lazy translation

    # What permission checks and templates read from a user; a system actor is none of these, and a check that
    # forgot `is_system()` refuses it rather than crash.
    pk = None
    id = None
    role = ""
    commune_id = None
    province_id = None
    department_id = None
    is_superuser = False
    is_staff = False
    is_province_admin = False
    is_commune_user = False
    is_authenticated = True
    is_anonymous = False
    is_active = True

    def get_full_name(self):
        return _("Hệ thống (%(name)s)") % {"name": self.name}

    def __str__(self):
        return self.get_full_name()


def system(name):
    """A system actor named `name` (what it is doing: "demo", "lệnh handbook import", …)."""
    if not str(name).strip():
        raise ValueError("A system actor needs a name: say what is acting (demo, a command, a task).")
    return SystemActor(name)  # a lazy translation stays lazy: the name shows in the reader's language


def is_system(actor):
    """True for a system actor, False for a person; `MissingActor` for None (the call forgot its actor)."""
    if actor is None:
        raise MissingActor("Service called without an actor: pass the user, or kernel.actors.system(name).")
    return isinstance(actor, SystemActor)


def person(actor):
    """The user behind `actor`, or None for the system (for `created_by`-style foreign keys)."""
    return None if actor is None or isinstance(actor, SystemActor) else actor


# The demo loader (`civicdesk demo`, `make run`): every app's `demo.load` acts as it.
DEMO = system("civicdesk demo")
