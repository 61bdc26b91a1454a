"""Webhooks of the SMS gateway and the Zalo relay: delivery receipts and citizens' replies (docs/outreach.md).

Each request is signed: the `X-CivicDesk-Signature` header is `sha256=` + hex HMAC-SHA256 of the raw body with
OUTREACH_WEBHOOK_SECRET. With the secret unset every request is refused (the hooks are off). Bodies:
{"type": "receipt", "tracking_id": "...", "status": "delivered" | "failed"} and
{"type": "reply", "message_id": "...", "from": "84912345678", "text": "TU CHOI"}.
"""

import hashlib
import hmac
import json

from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from civicdesk.kernel.validators import find_control_characters

from .. import conf, services

MAX_BODY = 64 * 1024


def signature(raw, secret):
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@csrf_exempt
@require_POST
def hook(request, channel):
    secret = conf.get("OUTREACH_WEBHOOK_SECRET")
    raw = request.body[: MAX_BODY + 1]
    given = request.headers.get("X-CivicDesk-Signature", "")
    if not secret or not hmac.compare_digest(given.encode(), signature(raw, secret).encode()):
        return HttpResponseForbidden("bad signature")
    if len(raw) > MAX_BODY:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        event = json.loads(raw)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(event, dict) or find_control_characters(event):
        return JsonResponse({"error": "invalid event"}, status=400)
    kind = event.get("type")
    if kind == "receipt" and event.get("tracking_id") and event.get("status") in ("delivered", "failed"):
        message = services.receipt(
            channel, tracking_id=str(event["tracking_id"])[:40], status=event["status"]
        )
        return JsonResponse({"ok": True, "known": message is not None})
    if (
        kind == "reply"
        and event.get("message_id")
        and event.get("from")
        and isinstance(event.get("text"), str)
    ):
        inbound = services.reply(
            channel, message_id=event["message_id"], phone=str(event["from"]), text=event["text"]
        )
        return JsonResponse(
            {"ok": True, "duplicate": inbound is None, "opted_out": bool(inbound and inbound.opted_out)}
        )
    return JsonResponse({"error": "unknown event"}, status=400)
