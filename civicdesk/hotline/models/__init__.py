from .channels import ChannelIdentity, ChannelLinkCode, InboundMessage
from .teams import Absence, CannedResponse, RoutingRule, SlaPolicy, Team
from .tickets import Attachment, HandbookLink, Message, Ticket, TicketEvent

__all__ = [
    "Absence",
    "Attachment",
    "CannedResponse",
    "ChannelIdentity",
    "ChannelLinkCode",
    "HandbookLink",
    "InboundMessage",
    "Message",
    "RoutingRule",
    "SlaPolicy",
    "Team",
    "Ticket",
    "TicketEvent",
]
