from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_audit
from .forms import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/days/", views.calendar_day_add, name="calendar_day_add"),
    path("calendar/days/<str:day>/delete/", views.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/calculate/", views.calendar_calculate, name="calendar_calculate"),
    path("organisation/", views.organisation, name="organisation"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/export.csv", views_audit.audit_export, name="audit_export"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
