"""Public (citizen) pages of the service desk, mounted at /tra-cuu/ (short URLs for QR codes)."""

from django.urls import path  # noqa: F401

app_name = "servicedesk_public"
urlpatterns = []
