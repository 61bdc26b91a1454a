"""Every write of the servicedesk domain: intake, transitions, surveys, imports, KPI counters.

Views, the API, management commands, jobs and the demo loader call these functions; nothing else writes.
"""

from .digitisation import record_digitisation
from .idempotency import (
    IntakeKeyReused,
    IntakeOnce,
    clean_idempotency_key,
    purge_intake_keys,
    receive_dossier_once,
)
from .importer import ImportResult, import_dossiers, start_import
from .intake import IntakeResult, checklist_for, processing_days_for, receive_dossier
from .language import set_language_service
from .scorecard import can_set_targets, set_targets
from .scorecard_report import send_due, send_report, send_reports
from .stats import bulk_load, rebuild_all_stats, refresh_stats
from .survey import rate_centre, rate_dossier
from .transitions import (
    ACTIONS,
    allowed_actions,
    mark_done,
    record_delay,
    reject,
    request_supplement,
    resume_processing,
    return_result,
    start_processing,
    withdraw,
)

__all__ = [
    "ACTIONS",
    "ImportResult",
    "IntakeKeyReused",
    "IntakeOnce",
    "IntakeResult",
    "allowed_actions",
    "bulk_load",
    "can_set_targets",
    "checklist_for",
    "clean_idempotency_key",
    "import_dossiers",
    "mark_done",
    "processing_days_for",
    "purge_intake_keys",
    "rate_centre",
    "rate_dossier",
    "rebuild_all_stats",
    "receive_dossier",
    "receive_dossier_once",
    "record_delay",
    "record_digitisation",
    "refresh_stats",
    "reject",
    "request_supplement",
    "resume_processing",
    "return_result",
    "send_due",
    "send_report",
    "send_reports",
    "set_language_service",
    "set_targets",
    "start_import",
    "start_processing",
    "withdraw",
]
