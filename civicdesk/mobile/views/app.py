"""The mobile team's installable offline app (/mobile/app/): the shell page, its service worker and web manifest.

The shell is an ordinary Django page; everything else happens in the phone (static/mobile/*.js): the trip pack, the
dossiers and their photos live in IndexedDB until they are synced. The service worker is rendered here rather than
served as a static file so that (1) its scope is /mobile/app/ and (2) it names the static files it precaches by
their real URLs (hashed by whitenoise's manifest storage in production), each with a revision taken from the
file's content (what tells Workbox that an unhashed URL changed in development) — so a new deployment changes the
worker's bytes and the phones update themselves.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from civicdesk.kernel.roles import Role
from civicdesk.servicedesk import links

from ..services.attachments import MAX_BYTES, MAX_PER_DOSSIER

APP_ROLES = {Role.MOBILE_TEAM, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}
STYLES = ["css/civicdesk.css", "mobile/app.css"]
# Classic scripts in this order (the vendored libraries set globals; ours share `window.CDM`): no ES module
# imports, whose relative names the manifest storage would not rewrite to the hashed ones.
SCRIPTS = [
    "mobile/vendor/idb-8.0.4/idb.umd.js",
    "mobile/vendor/qrcode-generator-2.0.4/qrcode.js",
    "mobile/store.js",
    "mobile/photos.js",
    "mobile/sync.js",
    "mobile/receipt.js",
    "mobile/form.js",
    "mobile/app.js",
]
ICONS = {
    "svg": "mobile/icons/icon.svg",
    "192": "mobile/icons/icon-192.png",
    "512": "mobile/icons/icon-512.png",
}
MASKABLE = "mobile/icons/maskable-512.png"
WORKBOX = [f"mobile/vendor/workbox-7.4.1/workbox-{name}.prod.js" for name in ("core", "routing", "strategies", "precaching")]  # fmt: skip
WORKER = "mobile/sw.js"
STALE_DAYS = 2  # the app warns when a dossier has waited this long on the phone


def _can_use(user):
    return user.role in APP_ROLES and user.commune_id is not None


@login_required
@require_GET
@ensure_csrf_cookie  # the app's writes carry the cookie's token in X-CSRFToken (read fresh at each send)
def shell(request):
    """The app's page. Offline, the service worker serves its last copy (network first, cache when offline)."""
    if not _can_use(request.user):
        raise PermissionDenied(_("Ứng dụng dành cho tổ lưu động, cán bộ và lãnh đạo của một xã."))
    commune = request.user.commune
    config = {
        "commune": commune.code,
        "communeName": commune.name,
        "user": request.user.full_name or request.user.username,
        # Whose dossiers the phone shows: each user has their own store on the phone (mobile/store.js).
        "userKey": str(request.user.pk),
        "api": {
            "pack": "/api/servicedesk/field-pack",
            "devices": "/api/servicedesk/field-devices",
            "dossier": "/api/servicedesk/field-dossiers/",
        },
        "worker": reverse("mobile:app_sw"),
        "scope": reverse("mobile:app"),
        "login": f"{reverse('login')}?next={reverse('mobile:app')}",
        # The receipt's QR is built on the phone, offline: the same address `links.provisional_lookup_url` gives.
        "lookup": links.provisional_lookup_url(""),
        "staleDays": STALE_DAYS,
        "timeZone": settings.TIME_ZONE,
        "maxBytes": MAX_BYTES,
        "maxPhotos": MAX_PER_DOSSIER,
        "csrfCookie": settings.CSRF_COOKIE_NAME,
        "text": _texts(),
    }
    response = render(
        request,
        "mobile/app.html",
        {"commune": commune, "config": config, "styles": STYLES, "scripts": SCRIPTS, "icons": ICONS},
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _digest(path):
    """The first 16 hex characters of the SHA-256 of a static file (Workbox's revision for an unhashed URL)."""
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:16]
    with staticfiles_storage.open(path) as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


_REVISIONS = {}


def _revision(path):
    if (
        settings.DEBUG or path not in _REVISIONS
    ):  # files change under runserver; a deployment restarts the server
        _REVISIONS[path] = _digest(path)
    return _REVISIONS[path]


def _manifest():
    return {
        "name": _("CivicDesk – Tổ lưu động"),
        "short_name": _("Tổ lưu động"),
        "description": _("Nhận hồ sơ tại thôn khi không có mạng, gửi về xã khi có mạng."),
        "lang": "vi",
        "start_url": reverse("mobile:app"),
        "scope": reverse("mobile:app"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f8",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": static(ICONS["192"]), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static(ICONS["512"]), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static(MASKABLE), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": static(ICONS["svg"]), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }


@require_GET
def manifest(request):
    """The web manifest (public: browsers fetch it without cookies), with the icons' real static URLs."""
    response = JsonResponse(_manifest(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    """The service worker: Workbox by its static URLs, the list to precache, then the worker's logic (mobile/sw.js).

    Public (it names only static files), never cached by the browser's HTTP cache: the browser compares its bytes
    to decide on an update, and any change of a precached file changes them.
    """
    precache = [
        {"url": static(path), "revision": _revision(path)} for path in [*STYLES, *SCRIPTS, *ICONS.values()]
    ]
    manifest_body = json.dumps(_manifest(), sort_keys=True, ensure_ascii=False).encode()
    precache.append(
        {"url": reverse("mobile:app_manifest"), "revision": hashlib.sha256(manifest_body).hexdigest()[:16]}
    )
    config = {"shell": reverse("mobile:app"), "precache": precache}
    body = "\n".join(
        [
            "// CivicDesk – Tổ lưu động: generated by civicdesk/mobile/views/app.py; the logic is in mobile/sw.js.",
            f"importScripts({', '.join(json.dumps(static(path)) for path in WORKBOX)});",
            f"self.CD_MOBILE = {json.dumps(config, sort_keys=True)};",
            f"importScripts({json.dumps(static(WORKER))});",
            "",
        ]
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store, max-age=0"
    return response


def _texts():
    """What the app says from JavaScript, translated here with the rest of the site's strings."""
    return {
        "online": _("Có mạng"),
        "offline": _("Không có mạng — vẫn nhận hồ sơ được"),
        "pending": _("Chờ gửi"),
        "sending": _("Đang gửi…"),
        "sent": _("Đã gửi"),
        "review": _("Đã gửi — chờ cán bộ xã xem"),
        "linked": _("Đã gộp vào hồ sơ có sẵn"),
        "dismissed": _("Cán bộ xã đã loại"),
        "failed": _("Lỗi"),
        "retryAt": _("Chưa gửi được (%(error)s); tự thử lại lúc %(time)s."),
        "networkError": _("mất kết nối"),
        "serverError": _("máy chủ lỗi %(status)s"),
        "needLogin": _("Phiên đăng nhập đã hết: đăng nhập lại để gửi. Hồ sơ vẫn nằm an toàn trong máy."),
        "login": _("Đăng nhập lại"),
        "officialCode": _("Mã hồ sơ: %(code)s"),
        "photosSent": _("%(sent)s/%(total)s ảnh đã gửi"),
        "photoFailed": _("Ảnh %(n)s không gửi được: %(message)s"),
        "counts": _("%(pending)s chờ gửi · %(sent)s đã gửi · %(failed)s lỗi"),
        "emptyOutbox": _("Chưa có hồ sơ nào trong máy."),
        "stale": _(
            "Có %(count)s hồ sơ nằm trong máy đã %(days)s ngày chưa gửi được về xã. Hãy đến nơi có mạng và bấm “Gửi ngay”."
        ),
        "staleSync": _("Máy chưa đồng bộ được với xã từ %(date)s."),
        "noPersist": _(
            "Trình duyệt chưa cam kết giữ dữ liệu lâu dài: hãy thêm ứng dụng vào màn hình chính và gửi hồ sơ ngay khi có mạng."
        ),
        "insecure": _("Cần mở ứng dụng qua HTTPS để dùng được khi không có mạng."),
        "clockSkew": _("Giờ của điện thoại lệch %(minutes)s phút so với máy chủ: hãy chỉnh lại giờ."),
        "otherCommune": _(
            "Máy này đã đăng ký cho xã khác (%(prefix)s): không nhận hồ sơ mới được bằng tài khoản này."
        ),
        "deviceNameMissing": _("Hãy đặt tên cho máy (ví dụ: “Điện thoại tổ 1”)."),
        "deviceInfo": _("Máy này: %(label)s · số biên nhận tiếp theo: %(next)s"),
        "deviceRegistered": _("Đã đăng ký máy: biên nhận tạm có dạng %(example)s."),
        "packNone": _("Chưa tải gói chuyến đi: cần tải khi còn mạng, trước khi đi."),
        "packInfo": _("Tải lúc %(date)s: %(procedures)s thủ tục, %(hamlets)s thôn."),
        "packOld": _("Gói đã tải %(days)s ngày trước: tải lại khi có mạng để có danh mục mới nhất."),
        "packLoaded": _("Đã tải gói chuyến đi."),
        "packFailed": _("Không tải được gói chuyến đi: %(error)s"),
        "needOnline": _("Cần có mạng để làm việc này."),
        "chooseProcedure": _("— Chọn thủ tục —"),
        "noHamlet": _("— Không ghi thôn —"),
        "noTrip": _("— Không thuộc chuyến nào —"),
        "required": _("bắt buộc"),
        "missingRequired": _("Chưa cấp được biên nhận: còn thiếu thành phần bắt buộc: %(items)s."),
        "errorsTitle": _("Chưa lưu được hồ sơ:"),
        "needProcedure": _("Chọn thủ tục."),
        "needName": _("Nhập họ tên người nộp hồ sơ."),
        "badCccd": _("Số CCCD/căn cước phải gồm đúng 12 chữ số, 3 số đầu là mã tỉnh (001–096)."),
        "badPhone": _("Số điện thoại phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."),
        "photoTooBig": _("Ảnh “%(name)s” vẫn lớn hơn %(mb)s MB sau khi nén: hãy chụp lại gần hơn."),
        "photoUnreadable": _("Không đọc được ảnh “%(name)s”."),
        "tooManyPhotos": _("Mỗi hồ sơ kèm tối đa %(n)s ảnh."),
        "compressing": _("Đang nén ảnh…"),
        "photoInfo": _("%(kb)s KB"),
        "removePhoto": _("Bỏ ảnh này"),
        "saved": _("Đã lưu hồ sơ %(code)s trong máy."),
        "lookupHint": _("Tra cứu: quét mã QR hoặc vào %(url)s, nhập mã biên nhận và 4 số cuối điện thoại."),
        "receiptFor": _("Biên nhận tạm"),
        "viewReceipt": _("Xem biên nhận"),
        "retry": _("Thử lại"),
        "syncing": _("Đang gửi hồ sơ về xã…"),
        "syncDone": _("Đã gửi xong."),
        "nothingToSync": _("Không có hồ sơ nào chờ gửi."),
        "lastSync": _("Gửi thành công lần cuối: %(date)s."),
        "neverSynced": _("Chưa gửi được lần nào."),
        "storageError": _("Không lưu được vào bộ nhớ của máy: %(error)s"),
        "dayFormat": _("%(day)s/%(month)s/%(year)s"),
        # Correcting a dossier on the phone (mobile/form.js, sync.js)
        "edit": _("Sửa"),
        "newTitle": _("Hồ sơ mới"),
        "editTitle": _("Sửa hồ sơ %(code)s"),
        "saveNew": _("Lưu và cấp biên nhận tạm"),
        "saveEdit": _("Lưu bản sửa"),
        "editBeforeSend": _(
            "Hồ sơ %(code)s chưa gửi về xã: sửa rồi lưu, hồ sơ được gửi như mới. Biên nhận tạm giữ nguyên mã; "
            "in lại hoặc cho người dân xem bản đã sửa."
        ),
        "editAfterSend": _(
            "Hồ sơ %(code)s đã gửi về xã, đang chờ cán bộ xã xem. Bản sửa được lưu trong máy rồi gửi khi có mạng; "
            "nếu cán bộ đã xử lý hồ sơ trước khi bản sửa đến, bản sửa được chuyển cho cán bộ đối chiếu, không ghi "
            "đè. Ảnh đã gửi về xã không bỏ ra được."
        ),
        "keptTrip": _("Chuyến đã ghi trong hồ sơ"),
        "photoOnServer": _("đã gửi về xã"),
        "editPending": _("Bản sửa chờ gửi"),
        "editConflictBadge": _("Bản sửa chờ cán bộ đối chiếu"),
        "editConflict": _(
            "Cán bộ xã đã xử lý hồ sơ này (hoặc hồ sơ đã thay đổi trên hệ thống) trước khi bản sửa đến: bản sửa "
            "đã được gửi cho cán bộ xã để đối chiếu, không ghi đè lên hồ sơ. Nội dung đã sửa vẫn giữ trong máy."
        ),
        "editWaiting": _("Bản sửa lúc %(time)s chờ gửi về xã."),
        "editSent": _("Bản sửa đã đến xã lúc %(time)s (lần sửa %(n)s)."),
        "editedBeforeSend": _("Đã sửa lúc %(time)s, trước khi gửi."),
        "lockedRegistered": _(
            "Không sửa trên máy được nữa: hồ sơ đã vào sổ của xã (mã %(code)s). Cần sửa gì, báo cán bộ xã sửa "
            "trong sổ."
        ),
        "lockedLinked": _(
            "Không sửa trên máy được nữa: cán bộ xã đã gộp vào hồ sơ %(code)s có sẵn trong sổ. Cần sửa gì, báo "
            "cán bộ xã."
        ),
        "lockedDismissed": _("Không sửa trên máy được nữa: cán bộ xã đã loại hồ sơ này."),
        "editSaved": _("Đã lưu bản sửa của %(code)s trong máy; biên nhận giữ nguyên mã."),
        "editUnchanged": _("Không có gì thay đổi: hồ sơ giữ nguyên."),
        "editSavedAfterSend": _("Đã lưu bản sửa của %(code)s trong máy; bản sửa sẽ gửi về xã khi có mạng."),
        "otherUser": _(
            "Máy này còn %(count)s hồ sơ chưa gửi của %(name)s: được giữ riêng (tài khoản khác không xem được) và "
            "sẽ gửi khi người đó đăng nhập lại trên máy này."
        ),
    }
