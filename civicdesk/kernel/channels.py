"""The transport under every outbound channel (the hotline's Zalo OA and Telegram replies, outreach's SMS gateway and
Zalo ZNS): one JSON POST with a timeout, whose failures — refused, unreachable, too slow, not JSON — are all a
`ChannelError` carrying a reason short enough to show an officer. Each app keeps its adapters and settings."""

import json
import urllib.error
import urllib.request


class ChannelError(Exception):
    """The provider did not take the message; str() is the reason."""


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
