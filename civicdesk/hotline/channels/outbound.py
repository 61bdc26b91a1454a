"""Sending through messaging channels. Base URLs come from settings/env (ZALO_API_BASE, TELEGRAM_API_BASE), so tests
point them at a local stub server and nothing leaves the machine."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.kernel.channels import ChannelError, post_json

from .. import conf

log = logging.getLogger(__name__)


def _post_json(url, payload, headers=None):
    return post_json(url, payload, headers=headers, timeout=conf.get("HOTLINE_CHANNEL_TIMEOUT"))


class TelegramAdapter:
    channel = "telegram"

    def send(self, chat_id, text):
        token = conf.get("TELEGRAM_BOT_TOKEN")
        if not token:
            raise ChannelError("TELEGRAM_BOT_TOKEN is not set")
        url = f"{conf.get('TELEGRAM_API_BASE').rstrip('/')}/bot{token}/sendMessage"
        answer = _post_json(url, {"chat_id": chat_id, "text": text[:4000]})
        if not answer.get("ok"):
            raise ChannelError(answer.get("description") or "Telegram refused the message")
        return answer


class ZaloAdapter:
    channel = "zalo"

    def send(self, user_id, text):
        token = conf.get("ZALO_OA_ACCESS_TOKEN")
        if not token:
            raise ChannelError("ZALO_OA_ACCESS_TOKEN is not set")
        url = f"{conf.get('ZALO_API_BASE').rstrip('/')}/v3.0/oa/message/cs"
        answer = _post_json(
            url,
            {"recipient": {"user_id": user_id}, "message": {"text": text[:2000]}},
            headers={"access_token": token},
        )
        if answer.get("error", 0) != 0:
            raise ChannelError(answer.get("message") or "Zalo refused the message")
        return answer


ADAPTERS = {"telegram": TelegramAdapter, "zalo": ZaloAdapter}


def deliver(channel, external_id, text):
    """Send now; log and swallow failures (the conversation is on the web page either way)."""
    try:
        ADAPTERS[channel]().send(external_id, text)
        return True
    except ChannelError:
        log.exception("Hotline %s delivery to %s failed", channel, external_id)
        return False


def queue(channel, external_id, text):
    """Send once the transaction commits, on the worker (inline in tests)."""
    from ..tasks import deliver_channel_message

    transaction.on_commit(lambda: deliver_channel_message(channel, external_id, text))


def send_to_requester(ticket, message):
    """An expert's public reply also goes back through the channel the question came from."""
    if ticket.channel not in ADAPTERS or ticket.requester_id is None:
        return
    identity = ticket.requester.hotline_identities.filter(channel=ticket.channel).first()
    if identity is None:
        return
    text = _("[%(ref)s] %(author)s trả lời:\n%(body)s") % {
        "ref": ticket.reference,
        "author": message.author.get_full_name() if message.author else "CivicDesk",
        "body": message.body,
    }
    queue(ticket.channel, identity.external_id, text)
