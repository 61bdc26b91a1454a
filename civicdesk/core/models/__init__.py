from .audit import AuditEvent
from .calendar import CalendarDay
from .jobs import Job
from .org import Department, WorkingGroup
from .tokens import ApiToken
from .users import User

__all__ = ["ApiToken", "AuditEvent", "CalendarDay", "Department", "Job", "User", "WorkingGroup"]
