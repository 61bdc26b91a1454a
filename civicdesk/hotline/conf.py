"""Hotline settings: read from Django settings first, then the environment, then a safe default.

The shared settings module does not list these yet; every one has a development default, so nothing is needed to
run the demo. Secrets (Zalo, Telegram, IMAP) also read `NAME_FILE` like the rest of CivicDesk.
"""

from civicdesk.kernel.appsettings import reader

DEFAULTS = {
    # Days after resolution during which the commune may reopen; resolved tickets close after it.
    "HOTLINE_REOPEN_DAYS": 7,
    "HOTLINE_ATTACHMENT_MAX_MB": 10,
    "HOTLINE_ATTACHMENT_MAX_FILES": 5,
    "HOTLINE_MAIL_ADDRESS": "",
    "HOTLINE_IMAP_HOST": "",
    "HOTLINE_IMAP_PORT": 993,
    "HOTLINE_IMAP_USER": "",
    "HOTLINE_IMAP_PASSWORD": "",
    "HOTLINE_IMAP_FOLDER": "INBOX",
    "ZALO_APP_ID": "",
    "ZALO_OA_SECRET_KEY": "",
    "ZALO_OA_ACCESS_TOKEN": "",
    "ZALO_API_BASE": "https://openapi.zalo.me",
    "TELEGRAM_BOT_TOKEN": "",
    "TELEGRAM_WEBHOOK_SECRET": "",
    "TELEGRAM_API_BASE": "https://api.telegram.org",
    "HOTLINE_CHANNEL_TIMEOUT": 10,
}


get = reader(DEFAULTS)
