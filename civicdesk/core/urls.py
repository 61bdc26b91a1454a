from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import ThrottledAuthenticationForm
from .views import audit, site

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/password_reset/", site.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("jobs/<uuid:job_id>/", site.job_detail, name="job_detail"),
    path("calendar/", site.calendar_view, name="calendar"),
    path("calendar/days/", site.calendar_day_add, name="calendar_day_add"),
    path("calendar/days/<str:day>/delete/", site.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/calculate/", site.calendar_calculate, name="calendar_calculate"),
    path("organisation/", site.organisation, name="organisation"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("account/tokens/", site.api_tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", site.api_token_revoke, name="api_token_revoke"),
]
