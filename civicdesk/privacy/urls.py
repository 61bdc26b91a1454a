from django.urls import path

from .views import requests, retention

app_name = "privacy"
urlpatterns = [
    path("", requests.index, name="index"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/<slug:action>/", requests.request_action, name="request_action"),
    path("retention/", retention.retention, name="retention"),
    path("retention/due/", retention.retention_due, name="retention_due"),
    path("retention/run/", retention.retention_run, name="retention_run"),
    path("register/", retention.register, name="register"),
    path("register.xlsx", retention.register_xlsx, name="register_xlsx"),
]
