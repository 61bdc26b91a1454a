"""Public read-only pages of published handbook content, mounted at /cam-nang/."""

from django.urls import path  # noqa: F401

app_name = "handbook_public"
urlpatterns = []
