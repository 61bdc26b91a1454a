"""Every write of the mobile team's domain: devices, field dossiers synced from the phones, the review list."""

from .devices import register_device
from .sync import SyncOutcome, SyncRefused, close_conflict, resolve, sync_field_dossier
from .trips import plan_trip

__all__ = [
    "SyncOutcome",
    "SyncRefused",
    "close_conflict",
    "plan_trip",
    "register_device",
    "resolve",
    "sync_field_dossier",
]
