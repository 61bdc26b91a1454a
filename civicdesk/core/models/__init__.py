from .audit import AuditEvent
from .calendar import CalendarDay
from .demo import DemoAnchor
from .jobs import Job
from .org import Department, WorkingGroup
from .throttle import AttemptCounter
from .tokens import ApiToken
from .users import User

__all__ = [
    "ApiToken",
    "AttemptCounter",
    "AuditEvent",
    "CalendarDay",
    "DemoAnchor",
    "Department",
    "Job",
    "User",
    "WorkingGroup",
]
