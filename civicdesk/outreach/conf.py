"""Outreach settings: Django settings first, then the environment (or `NAME_FILE` for secrets), then a default.

With the gateways' addresses or keys unset, nothing is sent: a message stays "queued" with the reason, and the
officer sees it. Tests point the bases at local stub servers.
"""

from civicdesk.kernel.appsettings import reader

DEFAULTS = {
    # Hours in which citizens may be contacted (Vietnam time); outside them nothing is sent and no call is logged.
    "OUTREACH_CONTACT_HOURS": "07:00-20:00",
    # A generic SMS gateway (brand-name SMS providers offer this shape; docs/outreach.md): POST {base}/messages.
    "OUTREACH_SMS_API_BASE": "",
    "OUTREACH_SMS_API_KEY": "",
    # CivicDesk's own daily cap on SMS per province (the cost an operator agreed to), not a provider's limit.
    "OUTREACH_SMS_DAILY_QUOTA": 2000,
    # Zalo Notification Service: POST {base}/message/template with the OA's access token.
    "OUTREACH_ZNS_API_BASE": "https://business.openapi.zalo.me",
    "OUTREACH_ZNS_ACCESS_TOKEN": "",
    # CivicDesk's own daily cap on ZNS messages per province; Zalo sets each OA's real quota — set this at or below it.
    "OUTREACH_ZNS_DAILY_QUOTA": 5000,
    # Delivery receipts and replies are posted to /outreach/hooks/<channel>/ signed with this secret (HMAC-SHA256).
    "OUTREACH_WEBHOOK_SECRET": "",
    "OUTREACH_CHANNEL_TIMEOUT": 10,
}


get = reader(DEFAULTS)
