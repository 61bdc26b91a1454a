"""Outreach's adapters for outbound messages: the generic SMS gateway and Zalo ZNS, whose wire format is the
kernel's (`kernel.channels.send_sms`, `send_zns`), with outreach's own settings (conf.py), so tests point them at
local stub servers and nothing leaves the machine.

Both send the message's `tracking_id`, so a retried send is kept once by the provider. A channel whose address or key
is not set raises NotConfigured (the message waits, queued); a refused or failed call raises ChannelError with the
provider's reason.
"""

from civicdesk.kernel.channels import ChannelError, NotConfigured, send_sms, send_zns

from . import conf

__all__ = ["ADAPTERS", "ChannelError", "NotConfigured", "SmsGateway", "ZaloZns"]


class SmsGateway:
    """POST {OUTREACH_SMS_API_BASE}/messages {"to", "text", "tracking_id"} → {"id"}; Bearer OUTREACH_SMS_API_KEY."""

    channel = "sms"

    def send(self, message):
        base, key = conf.get("OUTREACH_SMS_API_BASE"), conf.get("OUTREACH_SMS_API_KEY")
        if not base or not key:
            # Named here, not in the kernel: the officer sees which of outreach's settings to set.
            raise NotConfigured("OUTREACH_SMS_API_BASE / OUTREACH_SMS_API_KEY are not set")
        return send_sms(
            base,
            key,
            to=message.phone,
            text=message.body,
            tracking_id=message.tracking_id,
            timeout=conf.get("OUTREACH_CHANNEL_TIMEOUT"),
        )


class ZaloZns:
    """POST {OUTREACH_ZNS_API_BASE}/message/template {"phone": "84…", "template_id", "template_data", "tracking_id"}
    with the `access_token` header (OUTREACH_ZNS_ACCESS_TOKEN)."""

    channel = "zalo"

    def send(self, message):
        token = conf.get("OUTREACH_ZNS_ACCESS_TOKEN")
        if not token:
            raise NotConfigured("OUTREACH_ZNS_ACCESS_TOKEN is not set")
        template = message.template
        return send_zns(
            conf.get("OUTREACH_ZNS_API_BASE"),
            token,
            phone=message.phone,
            template_id=template.zns_template_id if template is not None else "",
            template_data=message.params,
            tracking_id=message.tracking_id,
            timeout=conf.get("OUTREACH_CHANNEL_TIMEOUT"),
        )


ADAPTERS = {"sms": SmsGateway, "zalo": ZaloZns}
