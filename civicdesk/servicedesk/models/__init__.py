from .dossier import (
    CHANNEL_METHOD,
    INTAKE_ROLES,
    ONLINE_CHANNELS,
    OPEN_STATUSES,
    PERSONAL_DATA_ROLES,
    PROCESSING_ROLES,
    Channel,
    Dossier,
    DossierEvent,
    DueSource,
    IntakeCheck,
    Status,
    SupplementReason,
    normalise_phone,
    validate_cccd,
)
from .idempotency import IntakeKey
from .scorecard import ScorecardReport, ScorecardTarget
from .stats import CommuneDayFieldStat, CommuneDayStat, CommuneMonthStat
from .survey import SurveyReason, SurveyResponse

__all__ = [
    "CHANNEL_METHOD",
    "INTAKE_ROLES",
    "ONLINE_CHANNELS",
    "OPEN_STATUSES",
    "PERSONAL_DATA_ROLES",
    "PROCESSING_ROLES",
    "Channel",
    "CommuneDayFieldStat",
    "CommuneDayStat",
    "CommuneMonthStat",
    "Dossier",
    "DossierEvent",
    "DueSource",
    "IntakeCheck",
    "IntakeKey",
    "ScorecardReport",
    "ScorecardTarget",
    "Status",
    "SupplementReason",
    "SurveyReason",
    "SurveyResponse",
    "normalise_phone",
    "validate_cccd",
]
