"""The transport under every outbound channel (the hotline's Zalo OA and Telegram replies, outreach's SMS gateway and
Zalo ZNS, the volunteers' shift reminders): one JSON POST with a timeout, whose failures — refused, unreachable, too
slow, not JSON — are all a `ChannelError` carrying a reason short enough to show an officer.

The two providers more than one app sends through have their wire format here: a generic SMS gateway
(`send_sms`) and Zalo ZNS templates (`send_zns`). They take the base URL, key and timeout as arguments; each app
keeps its own settings (and so its own keys and quotas), its own records and what it does when a send fails.

Both send a `tracking_id`: a send retried after a crash or a timeout carries the same id, and the provider keeps one
message for it (ZNS documents `tracking_id` for this; the SMS gateway contract in docs/outreach.md asks the same).
"""

import json
import urllib.error
import urllib.request


class ChannelError(Exception):
    """The provider did not take the message; str() is the reason."""


class NotConfigured(ChannelError):
    """The channel's address or key is not set: nothing was sent."""


def post_json(url, payload, *, headers=None, timeout=10):
    """POST `payload` as UTF-8 JSON and return the decoded JSON answer ({} for an empty body)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(str(exc)[:200]) from exc
    try:
        return json.loads(body or b"{}")
    except ValueError as exc:
        raise ChannelError("invalid JSON from the provider") from exc


def send_sms(base, key, *, to, text, tracking_id, timeout=10):
    """POST {base}/messages {"to", "text", "tracking_id"} with `Authorization: Bearer <key>` → {"id"}.

    `to` is E.164 ("+84912345678"). Returns the gateway's message id; raises NotConfigured without a base or a key,
    ChannelError when the gateway refuses (no id in the answer) or cannot be reached."""
    if not base or not key:
        raise NotConfigured("the SMS gateway's address or key is not set")
    answer = post_json(
        f"{base.rstrip('/')}/messages",
        {"to": to, "text": text, "tracking_id": tracking_id},
        headers={"Authorization": f"Bearer {key}"},
        timeout=timeout,
    )
    if not answer.get("id"):
        raise ChannelError(str(answer.get("error") or "the gateway refused the message")[:200])
    return str(answer["id"])


def send_zns(base, token, *, phone, template_id, template_data, tracking_id, timeout=10):
    """POST {base}/message/template {"phone": "84…", "template_id", "template_data", "tracking_id"} with the
    `access_token` header; Zalo answers {"error": 0, "data": {"msg_id"}}.

    `phone` is E.164 (the leading "+" is dropped, as ZNS wants). Returns the message id ("" when Zalo gives none);
    raises NotConfigured without a base or a token, ChannelError without a template id or when Zalo refuses."""
    if not base or not token:
        raise NotConfigured("the Zalo ZNS address or access token is not set")
    if not template_id:
        raise ChannelError("the template has no ZNS template id")
    answer = post_json(
        f"{base.rstrip('/')}/message/template",
        {
            "phone": phone.lstrip("+"),
            "template_id": template_id,
            "template_data": template_data or {},
            "tracking_id": tracking_id,
        },
        headers={"access_token": token},
        timeout=timeout,
    )
    if answer.get("error", 0) != 0:
        raise ChannelError(str(answer.get("message") or "Zalo refused the message")[:200])
    return str((answer.get("data") or {}).get("msg_id") or "")
