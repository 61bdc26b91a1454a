"""Every write of the hotline app. Views, the API, commands, channel adapters and jobs call these functions."""

from .knowledge import create_faq_from_ticket, link_record, unlink_record
from .language import set_language_service
from .routing import (
    add_absence,
    delete_canned_response,
    delete_routing_rule,
    ensure_teams,
    remove_absence,
    route,
    save_canned_response,
    set_routing_rule,
    set_sla_policy,
    update_team,
)
from .sla import check_sla
from .tickets import (
    AlreadyClaimed,
    assign,
    claim,
    close,
    create_ticket,
    merge,
    rate,
    reopen,
    reply,
    resolve,
    transfer,
)

__all__ = [
    "AlreadyClaimed",
    "add_absence",
    "assign",
    "check_sla",
    "claim",
    "close",
    "create_faq_from_ticket",
    "create_ticket",
    "delete_canned_response",
    "delete_routing_rule",
    "ensure_teams",
    "link_record",
    "merge",
    "rate",
    "remove_absence",
    "reopen",
    "reply",
    "resolve",
    "route",
    "save_canned_response",
    "set_language_service",
    "set_routing_rule",
    "set_sla_policy",
    "transfer",
    "unlink_record",
    "update_team",
]
