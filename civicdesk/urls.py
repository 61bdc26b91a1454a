from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from civicdesk.api.urls import api

admin.site.site_header = "CivicDesk — Quản trị"
admin.site.site_title = "CivicDesk"

urlpatterns = [
    path("", include("civicdesk.core.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("communes/", include("civicdesk.geo.urls")),
    path("handbook/", include("civicdesk.handbook.urls")),
    path("cam-nang/", include("civicdesk.handbook.public_urls")),
    path("assistant/", include("civicdesk.assistant.urls")),
    path("hotline/", include("civicdesk.hotline.urls")),
    path("servicedesk/", include("civicdesk.servicedesk.urls")),
    path("tra-cuu/", include("civicdesk.servicedesk.public_urls")),
    path("staffing/", include("civicdesk.staffing.urls")),
    path("community/", include("civicdesk.community.urls")),
    path("outreach/", include("civicdesk.outreach.urls")),
    path("volunteers/", include("civicdesk.volunteers.urls")),
    path("mobile/", include("civicdesk.mobile.urls")),
    path("impact/", include("civicdesk.impact.urls")),
    path("privacy/", include("civicdesk.privacy.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
