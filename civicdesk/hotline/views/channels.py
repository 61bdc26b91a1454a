"""Linking an official's Zalo/Telegram account, and the channels' webhooks (no session, signature-checked)."""

import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..channels import messaging
from ..models import ChannelIdentity

log = logging.getLogger(__name__)


@login_required
def channel_settings(request):
    code = None
    if request.method == "POST":
        code = messaging.new_link_code(request.user)
    identities = ChannelIdentity.objects.filter(user=request.user)
    return render(request, "hotline/channels.html", {"code": code, "identities": identities})


@login_required
@require_POST
def channel_unlink(request, identity_id):
    identity = get_object_or_404(ChannelIdentity, pk=identity_id, user=request.user)
    messaging.unlink_identity(request.user, identity)
    messages.success(request, _("Đã hủy liên kết."))
    return redirect("hotline:channels")


def _webhook(request, parse):
    try:
        inbound = parse(request.headers, request.body)
    except messaging.BadSignature as exc:
        log.warning("Hotline webhook refused: %s", exc)
        return JsonResponse({"error": "forbidden"}, status=403)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        return JsonResponse({"error": "invalid"}, status=400)
    if inbound is None:
        return JsonResponse({"status": "ignored"})
    record = messaging.handle(inbound)
    return JsonResponse({"status": "duplicate" if record is None else record.outcome})


@csrf_exempt
@require_POST
def telegram_webhook(request):
    return _webhook(request, messaging.parse_telegram)


@csrf_exempt
@require_POST
def zalo_webhook(request):
    return _webhook(request, messaging.parse_zalo)
