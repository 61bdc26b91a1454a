"""Thin adapters for outbound messages: a generic SMS gateway and Zalo ZNS. Bases come from settings (conf.py), so
tests point them at local stub servers and nothing leaves the machine.

Both send the message's `tracking_id`: a send retried after a crash or a timeout carries the same id, and the
provider keeps one message for it (ZNS documents `tracking_id` for this; the SMS gateway contract in
docs/outreach.md asks the same). A refused or failed call raises ChannelError with the provider's reason.
"""

from civicdesk.kernel.channels import ChannelError, post_json

from . import conf


class NotConfigured(ChannelError):
    """The channel's address or key is not set: nothing was sent, the message waits."""


def _post_json(url, payload, headers):
    return post_json(url, payload, headers=headers, timeout=conf.get("OUTREACH_CHANNEL_TIMEOUT"))


class SmsGateway:
    """POST {OUTREACH_SMS_API_BASE}/messages {"to", "text", "tracking_id"} → {"id"}; Bearer OUTREACH_SMS_API_KEY."""

    channel = "sms"

    def send(self, message):
        base, key = conf.get("OUTREACH_SMS_API_BASE"), conf.get("OUTREACH_SMS_API_KEY")
        if not base or not key:
            raise NotConfigured("OUTREACH_SMS_API_BASE / OUTREACH_SMS_API_KEY are not set")
        answer = _post_json(
            f"{base.rstrip('/')}/messages",
            {"to": message.phone, "text": message.body, "tracking_id": message.tracking_id},
            {"Authorization": f"Bearer {key}"},
        )
        if not answer.get("id"):
            raise ChannelError(str(answer.get("error") or "the gateway refused the message")[:200])
        return str(answer["id"])


class ZaloZns:
    """POST {OUTREACH_ZNS_API_BASE}/message/template {"phone": "84…", "template_id", "template_data", "tracking_id"}
    with the `access_token` header; answers {"error": 0, "data": {"msg_id"}}."""

    channel = "zalo"

    def send(self, message):
        token = conf.get("OUTREACH_ZNS_ACCESS_TOKEN")
        if not token:
            raise NotConfigured("OUTREACH_ZNS_ACCESS_TOKEN is not set")
        template = message.template
        if template is None or not template.zns_template_id:
            raise ChannelError("the template has no ZNS template id")
        answer = _post_json(
            f"{conf.get('OUTREACH_ZNS_API_BASE').rstrip('/')}/message/template",
            {
                "phone": message.phone.lstrip("+"),
                "template_id": template.zns_template_id,
                "template_data": message.params or {},
                "tracking_id": message.tracking_id,
            },
            {"access_token": token},
        )
        if answer.get("error", 0) != 0:
            raise ChannelError(str(answer.get("message") or "Zalo refused the message")[:200])
        return str((answer.get("data") or {}).get("msg_id") or "")


ADAPTERS = {"sms": SmsGateway, "zalo": ZaloZns}
