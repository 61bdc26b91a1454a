"""Every write of outreach: campaigns, target lists and their reservation, consent and do-not-contact, attempts,
messages with their receipts and replies, and the announcements of the mobile team's visits."""

from .announcements import announce_visit
from .attempts import ContactBlocked, link_dossier, record_attempt, suggested_dossiers
from .campaigns import save_campaign
from .contact import add_do_not_contact, lift_do_not_contact, record_consent
from .messages import deliver, receipt, reply, retry_queued, save_template, send_message, send_text
from .targets import (
    EXAMPLE_CSV,
    IMPORT_COLUMNS,
    RULES,
    ImportReport,
    add_from_register,
    import_targets,
    release,
    reserve,
)

__all__ = [
    "EXAMPLE_CSV",
    "IMPORT_COLUMNS",
    "RULES",
    "ContactBlocked",
    "ImportReport",
    "add_do_not_contact",
    "add_from_register",
    "announce_visit",
    "deliver",
    "import_targets",
    "lift_do_not_contact",
    "link_dossier",
    "receipt",
    "record_attempt",
    "record_consent",
    "release",
    "reply",
    "reserve",
    "retry_queued",
    "save_campaign",
    "save_template",
    "send_message",
    "send_text",
    "suggested_dossiers",
]
