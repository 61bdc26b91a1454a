from .capacity import CapacityRecord, CommuneProfile, GapWeights, Need
from .plans import Plan, PlanAssignment, PlanLock
from .pool import DepartmentQuota, StaffMember
from .tracking import Assessment, Secondment, WeeklyReport

__all__ = [
    "Assessment",
    "CapacityRecord",
    "CommuneProfile",
    "DepartmentQuota",
    "GapWeights",
    "Need",
    "Plan",
    "PlanAssignment",
    "PlanLock",
    "Secondment",
    "StaffMember",
    "WeeklyReport",
]
