"""Every write of the mobile team's domain: devices, field dossiers synced from the phones, the review list, trips and their announcement."""

from .devices import register_device
from .sync import SyncOutcome, SyncRefused, close_conflict, resolve, sync_field_dossier
from .trips import announce_trip, plan_trip, reschedule_trip

__all__ = [
    "SyncOutcome",
    "SyncRefused",
    "announce_trip",
    "close_conflict",
    "plan_trip",
    "register_device",
    "reschedule_trip",
    "resolve",
    "sync_field_dossier",
]
